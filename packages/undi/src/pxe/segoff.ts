/**
 * A real-mode segment:offset pointer (PXE's SEGOFF16_t). Kept as its own
 * type so pointers are never confused with linear addresses or lengths.
 * In memory it is two little-endian words: offset first, then segment.
 */
export class SegOff {
  /** 16-bit segment. */
  readonly segment: number;
  /** 16-bit offset within the segment. */
  readonly offset: number;

  /** Makes a pointer; both parts must be integers in 0..0xffff. */
  constructor(segment: number, offset: number) {
    if (!isU16(segment) || !isU16(offset)) throw new RangeError(`bad seg:off ${segment}:${offset}`);
    this.segment = segment;
    this.offset = offset;
  }

  /** The 20-bit (up to 0x10FFEF) linear address segment * 16 + offset. */
  linear(): number {
    return this.segment * 16 + this.offset;
  }

  /** True for 0000:0000, which PXE uses as "no pointer". */
  isNull(): boolean {
    return this.segment === 0 && this.offset === 0;
  }

  /** Equality of both parts (two pointers to one linear address may differ). */
  equals(other: SegOff): boolean {
    return this.segment === other.segment && this.offset === other.offset;
  }

  /** "SSSS:OOOO" in hex. */
  toString(): string {
    return `${hex4(this.segment)}:${hex4(this.offset)}`;
  }

  /** The canonical pointer (offset < 16) to a linear address below 1 MiB. */
  static fromLinear(address: number): SegOff {
    if (!Number.isInteger(address) || address < 0 || address >= 0x100000) {
      throw new RangeError(`linear address 0x${address.toString(16)} is not reachable from real mode`);
    }
    return new SegOff(address >>> 4, address & 0xf);
  }

  /** The null pointer 0000:0000. */
  static readonly NULL = new SegOff(0, 0);
}

function isU16(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffff;
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, "0");
}
