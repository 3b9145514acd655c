import type { Platform } from "./platform.js";
import { SeededRandom } from "./random.js";

/** A clock the test (or simulation) advances by hand. */
export class ManualClock {
  /** Current time in milliseconds. */
  time: number;
  constructor(start = 0) {
    this.time = start;
  }
  /** Moves time forward by `ms`; returns the new time. */
  advance(ms: number): number {
    this.time += ms;
    return this.time;
  }
}

/**
 * A deterministic Platform: time from a ManualClock, random bytes from a
 * seed, console output collected in `output` (or passed to `write`).
 */
export function seededPlatform(seed: number, clock = new ManualClock(), write?: (s: string) => void): Platform & { clock: ManualClock; output: string[] } {
  const rng = new SeededRandom(seed);
  const output: string[] = [];
  return {
    clock,
    output,
    now: () => clock.time,
    randomBytes: (out) => rng.fill(out),
    write: write ?? ((s) => void output.push(s)),
  };
}
