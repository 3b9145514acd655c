/**
 * IPv4 addresses as unsigned 32-bit numbers (10.0.2.2 = 0x0a000202), the
 * same representation @pxe/ip uses, with the few helpers DHCP needs.
 */

/** An IPv4 address as an unsigned 32-bit integer. */
export type Ipv4 = number;

/** Reads a big-endian IPv4 address at `off` (caller has checked bounds). */
export function readIpv4(data: Uint8Array, off: number): Ipv4 {
  return ((data[off] << 24) | (data[off + 1] << 16) | (data[off + 2] << 8) | data[off + 3]) >>> 0;
}

/** Writes `a` big-endian at `off`. */
export function writeIpv4(out: Uint8Array, off: number, a: Ipv4): void {
  out[off] = (a >>> 24) & 255;
  out[off + 1] = (a >>> 16) & 255;
  out[off + 2] = (a >>> 8) & 255;
  out[off + 3] = a & 255;
}

/** Four bytes of `a`, big-endian. */
export function ipv4Bytes(a: Ipv4): Uint8Array {
  const out = new Uint8Array(4);
  writeIpv4(out, 0, a);
  return out;
}

/** Dotted-quad text of `a`. */
export function ipv4Text(a: Ipv4): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** Parses dotted-quad text; undefined when it is not an IPv4 address. */
export function parseIpv4Text(text: string): Ipv4 | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return undefined;
    v = v * 256 + o;
  }
  return v >>> 0;
}
