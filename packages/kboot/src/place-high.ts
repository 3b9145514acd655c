// Top-down placement beside MemoryPlanner's bottom-up one: a piece as high as
// possible below a limit, in usable memory nothing else has claimed. Linux
// initrds go there (as GRUB and iPXE place them), far from where the kernel
// decompresses itself.
import { LayoutError } from "./errors.js";
import type { MemRange } from "./image.js";
import type { MemoryPlanner } from "./plan.js";

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
 * Claims `size` bytes at the highest `align`-aligned address whose last byte
 * is at most `lastByte`, in free usable memory; returns the address.
 * LayoutError (naming the limit and the largest free block under it) when
 * nothing fits.
 */
export function placeHighest(planner: MemoryPlanner, name: string, size: number, align: number, lastByte: number, limitName: string): number {
  const free = freeRanges(planner);
  let largest = 0;
  for (let i = free.length - 1; i >= 0; i--) {
    const start = free[i].base;
    const end = Math.min(free[i].base + free[i].length, lastByte + 1);
    if (end <= start) continue;
    largest = Math.max(largest, end - start);
    const base = Math.floor((end - size) / align) * align;
    if (base >= start) {
      planner.fixed(name, base, size);
      return base;
    }
  }
  throw new LayoutError(name, size, `does not fit in free usable memory below ${limitName} ${hex(lastByte)} (largest free block there: ${largest} bytes)`);
}
