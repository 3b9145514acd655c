/**
 * Bookkeeping of out-of-order data held beyond the next expected byte
 * (smoltcp's Assembler idea): a sorted list of disjoint, non-adjacent
 * ranges [start, end) as offsets from `rcv_nxt`, always with start > 0.
 * The bytes themselves sit in the receive ring at those offsets, so
 * overlapping and duplicate segments just rewrite the same bytes.
 */
export class Assembler {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Offset range of the most recently added data (for the first SACK block). */
  private lastStart = -1;

  /** Creates an assembler holding at most `maxRanges` separate ranges. */
  constructor(private readonly maxRanges = 32) {}

  /** Number of separate ranges held. */
  get count(): number {
    return this.starts.length;
  }

  /** True when nothing is held. */
  get isEmpty(): boolean {
    return this.starts.length === 0;
  }

  /** Ranges as [start, end) offsets (copies). */
  ranges(): Array<[number, number]> {
    return this.starts.map((s, i) => [s, this.ends[i]]);
  }

  /**
   * Records [start, end) (start > 0) as held. Returns false, recording
   * nothing, when that would need more than `maxRanges` ranges.
   */
  add(start: number, end: number): boolean {
    if (end <= start) return true;
    const s = this.starts, e = this.ends;
    // First range whose end >= start (may merge), and last whose start <= end.
    let i = 0;
    while (i < s.length && e[i] < start) i++;
    let j = i;
    while (j < s.length && s[j] <= end) j++;
    if (i === j) {
      if (s.length >= this.maxRanges) return false;
      s.splice(i, 0, start);
      e.splice(i, 0, end);
    } else {
      const ns = Math.min(start, s[i]);
      const ne = Math.max(end, e[j - 1]);
      s.splice(i, j - i, ns);
      e.splice(i, j - i, ne);
    }
    this.lastStart = start;
    return true;
  }

  /**
   * In-order data [0, n) arrived. Absorbs held ranges that now touch it,
   * shifts the rest so offsets stay relative to the new `rcv_nxt`, and
   * returns how far the contiguous data now reaches (>= n).
   */
  advance(n: number): number {
    const s = this.starts, e = this.ends;
    let reach = n;
    let k = 0;
    while (k < s.length && s[k] <= reach) {
      if (e[k] > reach) reach = e[k];
      k++;
    }
    if (k > 0) {
      s.splice(0, k);
      e.splice(0, k);
    }
    for (let i = 0; i < s.length; i++) {
      s[i] -= reach;
      e[i] -= reach;
    }
    this.lastStart -= reach;
    return reach;
  }

  /**
   * Up to `max` ranges for SACK blocks (RFC 2018 §4): the one holding the
   * most recently received data first, then the others in order.
   */
  sackRanges(max: number): Array<[number, number]> {
    const all = this.ranges();
    const k = all.findIndex(([a, b]) => this.lastStart >= a && this.lastStart < b);
    if (k > 0) all.unshift(all.splice(k, 1)[0]);
    return all.slice(0, max);
  }

  /** Forgets everything. */
  clear(): void {
    this.starts.length = 0;
    this.ends.length = 0;
  }
}
