/** Returns a DataView over exactly the bytes of `u8` (respecting its offset). */
export function view(u8: Uint8Array): DataView {
  return new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
}

/** The big-endian (network order) unsigned 16-bit number at `off`. The caller has checked bounds. */
export function readU16be(u8: Uint8Array, off: number): number {
  return (u8[off] << 8) | u8[off + 1];
}

/** The big-endian (network order) unsigned 32-bit number at `off`. The caller has checked bounds. */
export function readU32be(u8: Uint8Array, off: number): number {
  return ((u8[off] << 24) | (u8[off + 1] << 16) | (u8[off + 2] << 8) | u8[off + 3]) >>> 0;
}

/** Writes the low 16 bits of `v` big-endian (network order) at `off`. */
export function writeU16be(u8: Uint8Array, off: number, v: number): void {
  u8[off] = (v >>> 8) & 255;
  u8[off + 1] = v & 255;
}

/** Writes `v` as an unsigned 32-bit number big-endian (network order) at `off`. */
export function writeU32be(u8: Uint8Array, off: number, v: number): void {
  u8[off] = (v >>> 24) & 255;
  u8[off + 1] = (v >>> 16) & 255;
  u8[off + 2] = (v >>> 8) & 255;
  u8[off + 3] = v & 255;
}

/** The little-endian (x86 order) unsigned 16-bit number at `off`. The caller has checked bounds. */
export function readU16le(u8: Uint8Array, off: number): number {
  return u8[off] | (u8[off + 1] << 8);
}

/** The little-endian (x86 order) unsigned 32-bit number at `off`. The caller has checked bounds. */
export function readU32le(u8: Uint8Array, off: number): number {
  return (u8[off] | (u8[off + 1] << 8) | (u8[off + 2] << 16) | (u8[off + 3] << 24)) >>> 0;
}

/** Writes the low 16 bits of `v` little-endian (x86 order) at `off`. */
export function writeU16le(u8: Uint8Array, off: number, v: number): void {
  u8[off] = v & 255;
  u8[off + 1] = (v >>> 8) & 255;
}

/** Writes `v` as an unsigned 32-bit number little-endian (x86 order) at `off`. */
export function writeU32le(u8: Uint8Array, off: number, v: number): void {
  u8[off] = v & 255;
  u8[off + 1] = (v >>> 8) & 255;
  u8[off + 2] = (v >>> 16) & 255;
  u8[off + 3] = (v >>> 24) & 255;
}

/** Concatenates byte arrays into a new one. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** True when both arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lower-case hex of the bytes, optionally joined by `sep`. */
export function toHex(u8: Uint8Array, sep = ""): string {
  const out: string[] = [];
  for (let i = 0; i < u8.length; i++) out.push((u8[i] < 16 ? "0" : "") + u8[i].toString(16));
  return out.join(sep);
}

/** Parses hex (separators ':', '-', ' ' ignored); throws RangeError on bad input. */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[:\- ]/g, "");
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new RangeError(`not hex: ${hex}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.substr(i * 2, 2), 16);
  return out;
}

/** Encodes a string as ASCII/Latin-1 bytes (no TextEncoder on small engines). */
export function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** Decodes Latin-1 bytes [start, end) to a string (no TextDecoder needed). */
export function latin1(u8: Uint8Array, start = 0, end = u8.length): string {
  let s = "";
  for (let i = start; i < end; i += 4096) {
    s += String.fromCharCode.apply(null, Array.from(u8.subarray(i, Math.min(end, i + 4096))));
  }
  return s;
}

/** Encodes a string as UTF-8 without relying on TextEncoder. */
export function utf8Bytes(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Decodes UTF-8 bytes [start, end) leniently (bad sequences become U+FFFD). */
export function utf8(u8: Uint8Array, start = 0, end = u8.length): string {
  let s = "";
  let i = start;
  while (i < end) {
    const b = u8[i];
    let cp = 0xfffd;
    let len = 1;
    if (b < 0x80) cp = b;
    else if (b >= 0xc2 && b < 0xe0 && i + 1 < end && (u8[i + 1] & 0xc0) === 0x80) {
      cp = ((b & 31) << 6) | (u8[i + 1] & 63);
      len = 2;
    } else if (b >= 0xe0 && b < 0xf0 && i + 2 < end && (u8[i + 1] & 0xc0) === 0x80 && (u8[i + 2] & 0xc0) === 0x80) {
      cp = ((b & 15) << 12) | ((u8[i + 1] & 63) << 6) | (u8[i + 2] & 63);
      len = 3;
    } else if (b >= 0xf0 && b < 0xf5 && i + 3 < end && (u8[i + 1] & 0xc0) === 0x80 && (u8[i + 2] & 0xc0) === 0x80 && (u8[i + 3] & 0xc0) === 0x80) {
      cp = ((b & 7) << 18) | ((u8[i + 1] & 63) << 12) | ((u8[i + 2] & 63) << 6) | (u8[i + 3] & 63);
      len = 4;
    }
    s += String.fromCodePoint(cp);
    i += len;
  }
  return s;
}
