// Little-endian integers for the structures kboot writes (x86 only); the 32-bit ones are @pxe/core's.
import { readU32le, writeU32le } from "@pxe/core";

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
  writeU32le(out, o, n);
}

/** Writes u64 `n` at `o`. */
export function putU64(out: Uint8Array, o: number, n: number | bigint): void {
  const b = BigInt.asUintN(64, typeof n === "bigint" ? n : BigInt(n));
  putU32(out, o, Number(b & 0xffffffffn));
  putU32(out, o + 4, Number(b >> 32n));
}

/** Reads u32 at `o`. */
export function getU32(data: Uint8Array, o: number): number {
  return readU32le(data, o);
}

/** Reads u64 at `o` as a bigint. */
export function getU64(data: Uint8Array, o: number): bigint {
  return (BigInt(getU32(data, o + 4)) << 32n) | BigInt(getU32(data, o));
}
