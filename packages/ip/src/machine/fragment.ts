/** One fragment's slice of the payload. */
export interface FragmentSlice {
  /** Offset in the payload (always a multiple of 8). */
  offset: number;
  /** Bytes in this fragment. */
  length: number;
  /** More fragments follow. */
  more: boolean;
}

/**
 * Splits a payload of `payloadLength` bytes into fragments that fit an MTU
 * with an IP header of `headerLength`: every fragment but the last carries
 * a multiple of 8 bytes. One slice when it fits.
 */
export function fragmentSlices(payloadLength: number, mtu: number, headerLength: number): FragmentSlice[] {
  const room = mtu - headerLength;
  if (payloadLength <= room) return [{ offset: 0, length: payloadLength, more: false }];
  const step = room & ~7;
  if (step <= 0) throw new RangeError(`MTU ${mtu} too small for fragments`);
  const out: FragmentSlice[] = [];
  for (let off = 0; off < payloadLength; off += step) {
    const length = Math.min(step, payloadLength - off);
    out.push({ offset: off, length, more: off + length < payloadLength });
  }
  return out;
}
