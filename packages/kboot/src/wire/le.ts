// Little-endian integers for the structures kboot writes (x86 only).

/** `n` (0 <= n < 2^32) as 4 little-endian bytes. */
export function u32le(n: number): Uint8Array {
  const out = new Uint8Array(4);
  putU32(out, 0, n);
  return out;
}

/** `n` (a safe non-negative integer or a bigint < 2^64) as 8 little-endian bytes. */
export function u64le(n: number | bigint): Uint8Array {
  const out = new Uint8Array(8);
  putU64(out, 0, n);
  return out;
}

/** Writes u32 `n` at `o`. */
export function putU32(out: Uint8Array, o: number, n: number): void {
  out[o] = n & 0xff;
  out[o + 1] = (n >>> 8) & 0xff;
  out[o + 2] = (n >>> 16) & 0xff;
  out[o + 3] = (n >>> 24) & 0xff;
}

/** Writes u64 `n` at `o`. */
export function putU64(out: Uint8Array, o: number, n: number | bigint): void {
  const b = BigInt.asUintN(64, typeof n === "bigint" ? n : BigInt(n));
  putU32(out, o, Number(b & 0xffffffffn));
  putU32(out, o + 4, Number(b >> 32n));
}

/** Reads u32 at `o`. */
export function getU32(data: Uint8Array, o: number): number {
  return (data[o] | (data[o + 1] << 8) | (data[o + 2] << 16) | (data[o + 3] << 24)) >>> 0;
}

/** Reads u64 at `o` as a bigint. */
export function getU64(data: Uint8Array, o: number): bigint {
  return (BigInt(getU32(data, o + 4)) << 32n) | BigInt(getU32(data, o));
}
