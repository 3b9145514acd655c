// Placement under a limit beside MemoryPlanner's own first-fit: Linux
// initrds must lie wholly below initrd_addr_max, which MemoryPlanner.place
// does not know about. They go to the lowest free usable memory after
// everything placed so far (after the kernel's init_size area), else to the
// lowest free memory anywhere below the limit. Not the top of memory as
// GRUB and iPXE do: pxehttp.0 stages copies from the top down (allocHigh),
// and a compact image leaves that room free.
import { LayoutError } from "./errors.js";
import type { MemRange } from "./image.js";
import { alignUp, type MemoryPlanner } from "./plan.js";

const hex = (n: number) => `0x${n.toString(16)}`;

/** The usable memory no placement covers yet, ascending. */
export function freeRanges(planner: MemoryPlanner): MemRange[] {
  let free: Array<[number, number]> = planner.usable.map((r) => [r.base, r.base + r.length]);
  for (const p of planner.placements) {
    if (p.size <= 0) continue;
    const next: Array<[number, number]> = [];
    for (const [a, b] of free) {
      if (p.base + p.size <= a || p.base >= b) next.push([a, b]);
      else {
        if (p.base > a) next.push([a, p.base]);
        if (p.base + p.size < b) next.push([p.base + p.size, b]);
      }
    }
    free = next;
  }
  return free.map(([a, b]) => ({ base: a, length: b - a }));
}

/**
 * Claims `size` bytes at an `align`-aligned address whose last byte is at
 * most `lastByte`, in free usable memory: the lowest such address at or
 * after the planner's end, else the lowest anywhere; returns the address.
 * LayoutError (naming the limit and the largest free block under it) when
 * nothing fits.
 */
export function placeBelow(planner: MemoryPlanner, name: string, size: number, align: number, lastByte: number, limitName: string): number {
  const free = freeRanges(planner);
  const fit = (from: number): number | undefined => {
    for (const r of free) {
      const base = alignUp(Math.max(r.base, from), align);
      const end = Math.min(r.base + r.length, lastByte + 1);
      if (base + size <= end) return base;
    }
    return undefined;
  };
  const base = fit(planner.end) ?? fit(0);
  if (base === undefined) {
    let largest = 0;
    for (const r of free) largest = Math.max(largest, Math.min(r.base + r.length, lastByte + 1) - r.base);
    throw new LayoutError(name, size, `does not fit in free usable memory below ${limitName} ${hex(lastByte)} (largest free block there: ${largest} bytes)`);
  }
  planner.fixed(name, base, size);
  return base;
}
