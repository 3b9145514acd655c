import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readSetupHeader } from "../src/linux/setup-header.js";
import { encodeBootParams } from "../src/linux/boot-params.js";
import { planLinuxBoot, concatInitrds } from "../src/linux/load.js";
import { BzImageFormatError, BzImageTooOldError, CmdlineTooLongError } from "../src/linux/errors.js";
import { LayoutError } from "../src/errors.js";
import { usableRanges } from "../src/plan.js";
import type { E820Entry } from "../src/image.js";
import { makeBzImage } from "./linux-fixtures.js";
import { E820 as QEMU_128M } from "./fixtures.js";

describe("readSetupHeader", () => {
  it("reads the fields a 32-bit loader needs", () => {
    const h = readSetupHeader(makeBzImage({ setupSects: 0x1b }), "vmlinuz");
    expect(h).toEqual({
      setupSects: 0x1b, kernelOffset: 0x1c * 512, kernelSize: 4096, headerEnd: 0x26c, version: 0x020f, loadflags: 1,
      code32Start: 0x100000, initrdAddrMax: 0x7fffffff, kernelAlignment: 0x200000, relocatable: true, minAlignment: 21,
      xloadflags: 0x7f, cmdlineSize: 0x7ff, prefAddress: 0x1000000, initSize: 0x400000,
    });
  });
  it("reads setup_sects 0 as 4", () => {
    expect(readSetupHeader(makeBzImage({ setupSects: 0 })).kernelOffset).toBe(5 * 512);
  });
  it("has no 2.10 fields before 2.10", () => {
    const h = readSetupHeader(makeBzImage({ version: 0x0206 }));
    expect([h.prefAddress, h.initSize, h.minAlignment, h.xloadflags]).toEqual([undefined, 0, 0, 0]);
  });
  it("refuses protocols before 2.06 as too old", () => {
    const e = catchError(() => readSetupHeader(makeBzImage({ version: 0x0205 }), "old"));
    expect(e).toBeInstanceOf(BzImageTooOldError);
    expect((e as BzImageTooOldError).message).toBe("old: Linux boot protocol 2.05 is too old: 2.06 or later (Linux 2.6.22+) is needed");
  });
  it("names the broken field", () => {
    const cases: Array<[(b: Uint8Array) => void, string]> = [
      [(b) => (b[0x1fe] = 0), "boot_flag"],
      [(b) => (b[0x202] = 0x41), "header"],
      [(b) => (b[0x211] = 0), "loadflags"],
      [(b) => (b[0x1f1] = 200), "setup_sects"],
      [(b) => (b[0x201] = 0x30), "jump"],
      [(b) => (b[0x232] = 0x31), "kernel_alignment"],
      [(b) => b.fill(0, 0x238, 0x23c), "cmdline_size"],
      [(b) => (b[0x216] = 0), "code32_start"],
    ];
    for (const [breakIt, field] of cases) {
      const b = makeBzImage();
      breakIt(b);
      const e = catchError(() => readSetupHeader(b, "k"));
      expect(e, field).toBeInstanceOf(BzImageFormatError);
      expect((e as BzImageFormatError).field).toBe(field);
    }
    const truncated = catchError(() => readSetupHeader(makeBzImage().subarray(0, 0x204), "k"));
    expect((truncated as BzImageFormatError).field).toBe("header");
    const noKernel = catchError(() => readSetupHeader(makeBzImage().subarray(0, 5 * 512), "k"));
    expect((noKernel as BzImageFormatError).field).toBe("setup_sects");
  });
  it("gives only its typed errors on arbitrary bytes", () => {
    const ok = (b: Uint8Array) => {
      try {
        readSetupHeader(b, "fuzz");
      } catch (e) {
        if (!(e instanceof BzImageFormatError || e instanceof BzImageTooOldError)) throw e;
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 0x900 }), ok), { numRuns: 300 });
    // Mutations of a valid header reach past the signature checks.
    const base = makeBzImage({ kernelBytes: 64 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0x1f1, max: 0x26f }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat(base.length), (muts, cut) => {
        const b = base.slice(0, Math.max(cut, 0x200));
        for (const [o, v] of muts) if (o < b.length) b[o] = v;
        ok(b);
      }),
      { numRuns: 500 },
    );
  });
});

describe("boot_params", () => {
  it("matches the zero page written by hand from zero-page.rst and boot.rst", () => {
    const kernel = makeBzImage();
    const bp = encodeBootParams({
      kernel, headerEnd: 0x26c, code32Start: 0x1000000, cmdLinePtr: 0x1401000, ramdiskImage: 0x7f00000, ramdiskSize: 0x12345,
      e820: [{ base: 0, length: 0x9fc00, type: 1 }, { base: 0x100000, length: 0x7ee0000, type: 1 }, { base: 0xfffc0000, length: 0x40000, type: 2 }],
      altMemK: 0x1fb80,
    });
    const want = new Uint8Array(4096);
    want.set(kernel.subarray(0x1f1, 0x26c), 0x1f1); // the kernel's own setup header
    const w = (o: number, bytes: number[]) => want.set(bytes, o);
    w(0x1e0, [0x80, 0xfb, 0x01, 0x00]); // alt_mem_k
    w(0x1e8, [3]); // e820_entries
    w(0x1fa, [0xff, 0xff]); // vid_mode: normal
    w(0x210, [0xff]); // type_of_loader: undefined
    w(0x211, [0x01]); // loadflags: LOADED_HIGH only
    w(0x214, [0x00, 0x00, 0x00, 0x01]); // code32_start
    w(0x218, [0x00, 0x00, 0xf0, 0x07]); // ramdisk_image
    w(0x21c, [0x45, 0x23, 0x01, 0x00]); // ramdisk_size
    w(0x226, [0, 0]); // ext_loader_ver, ext_loader_type
    w(0x228, [0x00, 0x10, 0x40, 0x01]); // cmd_line_ptr
    // e820_table at 0x2d0: packed { u64 addr; u64 size; u32 type; }
    w(0x2d0, [0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0xfc, 0x09, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    w(0x2e4, [0, 0, 0x10, 0, 0, 0, 0, 0, 0x00, 0x00, 0xee, 0x07, 0, 0, 0, 0, 1, 0, 0, 0]);
    w(0x2f8, [0, 0, 0xfc, 0xff, 0, 0, 0, 0, 0x00, 0x00, 0x04, 0x00, 0, 0, 0, 0, 2, 0, 0, 0]);
    expect(Array.from(bp)).toEqual(Array.from(want));
  });
  it("clears the flags the loader does not honour and keeps the sentinel 0", () => {
    const bp = encodeBootParams({ kernel: makeBzImage({ loadflags: 0xe1 }), headerEnd: 0x26c, code32Start: 0x100000, cmdLinePtr: 0, ramdiskImage: 0, ramdiskSize: 0, e820: [], altMemK: 0 });
    expect(bp[0x211]).toBe(0x01);
    expect(bp[0x1ef]).toBe(0);
  });
});

describe("planLinuxBoot", () => {
  const initrd = (n: number, name = "initrd.img") => ({ name, data: new Uint8Array(n).fill(7) });
  it("places the kernel at pref_address, the initrd page-aligned after its init_size area, and enters at the kernel with ESI = boot_params", () => {
    const kernel = makeBzImage();
    const p = planLinuxBoot({ kernel: { name: "vmlinuz", data: kernel }, initrds: [initrd(10000)], cmdline: "console=ttyS0 quiet", e820: QEMU_128M });
    expect(p.kernelBase).toBe(0x1000000);
    expect(p.kernelReserve).toBe(0x400000);
    expect(p.initrdSize).toBe(10000);
    expect(p.initrdBase % 4096).toBe(0);
    expect(p.initrdBase).toBe(p.cmdlinePtr + 0x1000 - (p.cmdlinePtr % 0x1000)); // the first page after the command line
    expect(p.image.entry).toEqual({ kind: "protected32", eip: 0x1000000, esp: p.bootParams + 0x1e8, regs: { esi: p.bootParams } });
    const byName = new Map(p.image.pieces.map((x) => [x.name, x]));
    expect(Array.from(byName.get("kernel")!.data)).toEqual(Array.from(kernel.subarray(5 * 512)));
    expect(Array.from(byName.get("cmdline")!.data)).toEqual([..."console=ttyS0 quiet"].map((c) => c.charCodeAt(0)).concat([0]));
    const bp = byName.get("boot_params")!.data;
    const u32 = (o: number) => bp[o] | (bp[o + 1] << 8) | (bp[o + 2] << 16) | (bp[o + 3] * 2 ** 24);
    expect([u32(0x214), u32(0x218), u32(0x21c), u32(0x228), bp[0x1e8]]).toEqual([0x1000000, p.initrdBase, 10000, p.cmdlinePtr, 6]);
    // boot_params and the command line stay out of the kernel's init_size.
    expect(p.bootParams).toBeGreaterThanOrEqual(0x1400000);
  });
  it("falls back to the lowest aligned address when pref_address is not free, and to code32_start when not relocatable", () => {
    const small = [{ base: 0, length: 0x9fc00, type: 1 }, { base: 0x100000, length: 0xf00000, type: 1 }];
    expect(planLinuxBoot({ kernel: { name: "k", data: makeBzImage() }, e820: small }).kernelBase).toBe(0x200000);
    expect(planLinuxBoot({ kernel: { name: "k", data: makeBzImage({ relocatable: 0 }) }, e820: QEMU_128M }).kernelBase).toBe(0x100000);
    const e = catchError(() => planLinuxBoot({ kernel: { name: "k", data: makeBzImage({ relocatable: 0 }) }, e820: QEMU_128M, reserved: [{ base: 0x100000, length: 0x1000 }] }));
    expect(e).toBeInstanceOf(LayoutError);
  });
  it("concatenates initrds on 4-byte boundaries", () => {
    const a = { name: "a", data: Uint8Array.from([1, 2, 3]) };
    const b = { name: "b", data: Uint8Array.from([4, 5]) };
    expect(Array.from(concatInitrds([a, b]))).toEqual([1, 2, 3, 0, 4, 5, 0, 0]);
    const p = planLinuxBoot({ kernel: { name: "k", data: makeBzImage() }, initrds: [a, b], e820: QEMU_128M });
    expect(p.initrdSize).toBe(8);
    expect(p.image.pieces.find((x) => x.name === "initrd")!.data.length).toBe(8);
  });
  it("refuses an initrd too big for memory below initrd_addr_max and a command line longer than cmdline_size", () => {
    const big = catchError(() => planLinuxBoot({ kernel: { name: "k", data: makeBzImage() }, initrds: [initrd(0x1000000, "huge.img")], e820: [{ base: 0x100000, length: 0x1f00000, type: 1 }] }));
    expect(big).toBeInstanceOf(LayoutError);
    expect((big as LayoutError).message).toMatch(/^initrd huge\.img \(16777216 bytes\): does not fit in free usable memory below initrd_addr_max 0x7fffffff/);
    const capped = catchError(() => planLinuxBoot({ kernel: { name: "k", data: makeBzImage({ initrdAddrMax: 0x1500000 }) }, initrds: [initrd(0x1000000)], e820: QEMU_128M }));
    expect(capped).toBeInstanceOf(LayoutError);
    const long = catchError(() => planLinuxBoot({ kernel: { name: "k", data: makeBzImage({ cmdlineSize: 8 }) }, cmdline: "123456789", e820: QEMU_128M }));
    expect(long).toBeInstanceOf(CmdlineTooLongError);
    expect(planLinuxBoot({ kernel: { name: "k", data: makeBzImage({ cmdlineSize: 8 }) }, cmdline: "12345678", e820: QEMU_128M }).cmdlinePtr).toBeGreaterThan(0);
  });
  it("keeps initrds below initrd_addr_max, in usable memory and clear of every other piece, for any map", () => {
    const entry = fc.record({
      base: fc.integer({ min: 0, max: 0x3fff }).map((p) => p * 0x10000),
      length: fc.integer({ min: 1, max: 0x2000 }).map((p) => p * 0x1000),
      type: fc.constantFrom(1, 1, 1, 2, 3, 4),
    });
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 0x100000 }).map((n) => n * 4), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0x100000, max: 0x40000000 }),
        fc.boolean(),
        (e820: E820Entry[], sizes, initrdAddrMax, relocatable) => {
          const kernel = makeBzImage({ initrdAddrMax, relocatable: relocatable ? 1 : 0, initSize: 0x100000 });
          let p;
          try {
            p = planLinuxBoot({ kernel: { name: "k", data: kernel }, initrds: sizes.map((n, i) => initrd(n, `i${i}`)), e820 });
          } catch (e) {
            if (e instanceof LayoutError) return;
            throw e;
          }
          const usable = usableRanges(e820, [], { limit: 0x100000000 });
          const inUsable = (a: number, n: number) => usable.some((r) => a >= r.base && a + n <= r.base + r.length);
          expect(p.initrdBase + p.initrdSize - 1).toBeLessThanOrEqual(initrdAddrMax);
          expect(p.initrdBase % 4096).toBe(0);
          const spans: Array<[number, number]> = p.image.pieces.map((x) => [x.dest, x.data.length + (x.zero ?? 0)]);
          spans.push([p.kernelBase, p.kernelReserve]);
          for (const [a, n] of spans) expect(inUsable(a, n)).toBe(true);
          for (const x of p.image.pieces) {
            if (x.name === "kernel") continue;
            for (const y of p.image.pieces) if (x !== y) expect(x.dest + x.data.length <= y.dest || y.dest + y.data.length <= x.dest).toBe(true);
            expect(x.dest + x.data.length <= p.kernelBase || p.kernelBase + p.kernelReserve <= x.dest).toBe(true);
          }
        },
      ),
      { numRuns: 250 },
    );
  });
});

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("no error thrown");
}
