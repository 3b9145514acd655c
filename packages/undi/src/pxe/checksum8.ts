/** Sum of bytes [start, end) modulo 256; a valid PXE structure sums to 0. */
export function byteSum(u8: Uint8Array, start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i++) s = (s + u8[i]) & 0xff;
  return s;
}

/** Sets the byte at `at` so that bytes [start, end) sum to 0 modulo 256. */
export function fixChecksum(u8: Uint8Array, start: number, end: number, at: number): void {
  u8[at] = 0;
  u8[at] = (256 - byteSum(u8, start, end)) & 0xff;
}
