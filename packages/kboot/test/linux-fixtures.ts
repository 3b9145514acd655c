// A synthetic bzImage written field by field from Documentation/x86/boot.rst
// (literal offsets, not kboot's constants, so the tests check those too).

/** Fields of the synthetic bzImage. */
export interface BzOptions {
  setupSects?: number;
  version?: number;
  loadflags?: number;
  code32Start?: number;
  initrdAddrMax?: number;
  kernelAlignment?: number;
  relocatable?: number;
  minAlignment?: number;
  cmdlineSize?: number;
  prefAddress?: number;
  initSize?: number;
  kernelBytes?: number;
}

function put(b: Uint8Array, o: number, n: number, size: number): void {
  for (let i = 0; i < size; i++) b[o + i] = Math.floor(n / 2 ** (8 * i)) & 0xff;
}

/** A bzImage with the given header and a protected-mode part of kernelBytes bytes (0x5a each). */
export function makeBzImage(o: BzOptions = {}): Uint8Array {
  const sects = o.setupSects ?? 4;
  const real = ((sects === 0 ? 4 : sects) + 1) * 512;
  const b = new Uint8Array(real + (o.kernelBytes ?? 4096));
  b.fill(0x5a, real);
  b[0x1f1] = sects;
  put(b, 0x1f4, 0x1234, 4); // syssize
  put(b, 0x1fe, 0xaa55, 2);
  b[0x200] = 0xeb; // jmp short
  b[0x201] = 0x6a; // header ends at 0x26c
  b.set([0x48, 0x64, 0x72, 0x53], 0x202); // "HdrS"
  put(b, 0x206, o.version ?? 0x020f, 2);
  b[0x211] = o.loadflags ?? 0x01;
  put(b, 0x214, o.code32Start ?? 0x100000, 4);
  put(b, 0x22c, o.initrdAddrMax ?? 0x7fffffff, 4);
  put(b, 0x230, o.kernelAlignment ?? 0x200000, 4);
  b[0x234] = o.relocatable ?? 1;
  b[0x235] = o.minAlignment ?? 21;
  put(b, 0x236, 0x7f, 2);
  put(b, 0x238, o.cmdlineSize ?? 0x7ff, 4);
  put(b, 0x258, o.prefAddress ?? 0x1000000, 4);
  put(b, 0x260, o.initSize ?? 0x400000, 4);
  return b;
}
