// Summaries of the E820 map that old boot interfaces still carry: the KiB of
// conventional memory at 0 and of contiguous memory from 1 MiB (Multiboot's
// mem_lower/mem_upper, Linux's alt_mem_k).
import type { E820Entry } from "./image.js";
import { E820_RAM } from "./plan.js";

const MIB = 0x100000;

/** End of the usable RAM that runs without a gap from `start` (merging touching type-1 entries); `start` when none covers it. */
function contiguousEnd(e820: readonly E820Entry[], start: number): number {
  let end = start;
  for (let grown = true; grown; ) {
    grown = false;
    for (const e of e820) {
      if (e.type === E820_RAM && e.base <= end && e.base + e.length > end) {
        end = e.base + e.length;
        grown = true;
      }
    }
  }
  // Anything not usable inside the run cuts it short.
  for (const e of e820) if (e.type !== E820_RAM && e.length > 0 && e.base + e.length > start && e.base < end) end = Math.max(start, e.base);
  return end;
}

/** KiB of usable memory from address 0, at most 640 (Multiboot's mem_lower). */
export function lowerMemoryKiB(e820: readonly E820Entry[]): number {
  return Math.floor(Math.min(contiguousEnd(e820, 0), 0xa0000) / 1024);
}

/** KiB of usable memory from 1 MiB up to the first hole (Multiboot's mem_upper, Linux's alt_mem_k); capped at 4 GiB - 1 MiB. */
export function upperMemoryKiB(e820: readonly E820Entry[]): number {
  return Math.floor((Math.min(contiguousEnd(e820, MIB), 0x100000000) - MIB) / 1024);
}
