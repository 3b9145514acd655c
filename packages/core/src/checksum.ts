import type { Platform } from "./platform.js";

/**
 * Pure-TS unfolded ones'-complement sum (RFC 1071) of bytes [start, end)
 * added to `initial`. Words are big-endian; an odd last byte is the high
 * half of a zero-padded word.
 */
export function onesSumTs(data: Uint8Array, start: number, end: number, initial: number): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) {
    sum += (data[i] << 8) | data[i + 1];
    if (sum > 0x7fffffff) sum = (sum & 0xffff) + (sum >>> 16);
  }
  if (i < end) sum += data[i] << 8;
  return sum;
}

/** Folds a 32-bit ones'-complement sum to 16 bits (not complemented). */
export function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** Ones'-complement sum using the platform accelerator when it has one. */
export function onesSum(platform: Platform | undefined, data: Uint8Array, start: number, end: number, initial = 0): number {
  const f = platform?.accel?.onesSum;
  return f ? f(data, start, end, initial) : onesSumTs(data, start, end, initial);
}

/** The Internet checksum of [start, end): the complement of the folded sum. */
export function internetChecksum(data: Uint8Array, start = 0, end = data.length, initial = 0, platform?: Platform): number {
  return ~fold(onesSum(platform, data, start, end, initial)) & 0xffff;
}
