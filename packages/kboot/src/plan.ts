// The memory planner: which physical memory the image may use (usable E820
// RAM at or above 1 MiB, below what the kernel maps, minus reserved ranges)
// and where each piece goes. Fixed pieces (the kernel) are checked; the rest
// are placed first-fit in ascending order after everything placed before, as
// FreeBSD's loader lays files out one after the other.
import { LayoutError } from "./errors.js";
import type { E820Entry, MemRange } from "./image.js";

/** E820 type of usable RAM. */
export const E820_RAM = 1;
/** Lowest address the planner uses. */
export const PLAN_MIN = 0x100000;
/** Default limit: the first 1 GiB, which the amd64 trampoline's page tables map. */
export const PLAN_LIMIT = 0x40000000;

/** Options of a MemoryPlanner. */
export interface PlanOptions {
  /** Lowest usable address (default 1 MiB). */
  readonly min?: number;
  /** First address past what may be used (default 1 GiB). */
  readonly limit?: number;
}

/** A placed piece: name and [base, base + size). */
export interface Placement {
  /** Piece name. */
  readonly name: string;
  /** First byte. */
  readonly base: number;
  /** Bytes (data + zero fill). */
  readonly size: number;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/**
 * Sorted, disjoint ranges of memory the image may use: the union of type-1
 * E820 entries minus every other entry (an overlap counts as not usable),
 * minus `reserved`, cut to [min, limit).
 */
export function usableRanges(e820: readonly E820Entry[], reserved: readonly MemRange[] = [], opts: PlanOptions = {}): MemRange[] {
  const min = opts.min ?? PLAN_MIN;
  const limit = opts.limit ?? PLAN_LIMIT;
  let ranges: Array<[number, number]> = [];
  for (const e of e820) {
    if (e.type !== E820_RAM || !(e.length > 0)) continue;
    ranges.push([Math.max(e.base, min), Math.min(e.base + e.length, limit)]);
  }
  ranges = merge(ranges.filter(([a, b]) => b > a));
  const holes: Array<[number, number]> = [];
  for (const e of e820) if (e.type !== E820_RAM && e.length > 0) holes.push([e.base, e.base + e.length]);
  for (const r of reserved) if (r.length > 0) holes.push([r.base, r.base + r.length]);
  for (const [ha, hb] of holes) {
    const next: Array<[number, number]> = [];
    for (const [a, b] of ranges) {
      if (hb <= a || ha >= b) next.push([a, b]);
      else {
        if (ha > a) next.push([a, ha]);
        if (hb < b) next.push([hb, b]);
      }
    }
    ranges = next;
  }
  return ranges.map(([a, b]) => ({ base: a, length: b - a }));
}

function merge(rs: Array<[number, number]>): Array<[number, number]> {
  rs.sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const r of rs) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** Rounds `n` up to a multiple of `align` (a power of two or any positive integer). */
export function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

/** Places pieces in usable memory, never overlapping; LayoutError when something does not fit. */
export class MemoryPlanner {
  /** The memory pieces may use. */
  readonly usable: readonly MemRange[];
  private readonly placed: Placement[] = [];
  private cursor: number;

  constructor(e820: readonly E820Entry[], reserved: readonly MemRange[] = [], opts: PlanOptions = {}) {
    this.usable = usableRanges(e820, reserved, opts);
    this.cursor = opts.min ?? PLAN_MIN;
  }

  /** Everything placed so far, in placement order. */
  get placements(): readonly Placement[] {
    return this.placed;
  }

  /** The first address after everything placed so far. */
  get end(): number {
    return this.cursor;
  }

  /** Claims [base, base + size) for a piece that must sit there; LayoutError unless it is usable and free. */
  fixed(name: string, base: number, size: number): void {
    if (size > 0) {
      const inside = this.usable.some((r) => base >= r.base && base + size <= r.base + r.length);
      if (!inside) {
        throw new LayoutError(name, size, `must sit at ${hex(base)}-${hex(base + size)}, which is not all usable memory (usable: ${this.describe()})`);
      }
      for (const p of this.placed) {
        if (p.size > 0 && base < p.base + p.size && p.base < base + size) {
          throw new LayoutError(name, size, `at ${hex(base)} overlaps ${p.name} at ${hex(p.base)}-${hex(p.base + p.size)}`);
        }
      }
    }
    this.placed.push({ name, base, size });
    this.cursor = Math.max(this.cursor, base + size);
  }

  /**
   * Places a piece of `size` bytes at the lowest `align`-aligned address at
   * or after the end of everything placed so far; returns that address.
   */
  place(name: string, size: number, align: number): number {
    for (const r of this.usable) {
      const end = r.base + r.length;
      if (end <= this.cursor) continue;
      const base = alignUp(Math.max(r.base, this.cursor), align);
      if (base + size <= end) {
        this.placed.push({ name, base, size });
        this.cursor = base + size;
        return base;
      }
    }
    throw new LayoutError(name, size, `no usable memory left for it after ${hex(this.cursor)} (usable: ${this.describe()})`);
  }

  private describe(): string {
    if (this.usable.length === 0) return "none";
    return this.usable.map((r) => `${hex(r.base)}-${hex(r.base + r.length)}`).join(", ");
  }
}
