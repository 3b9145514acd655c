import { describe, expect, it } from "vitest";
import { SeededRandom } from "@pxe/core";

describe("SeededRandom", () => {
  it("replays the same sequence for the same seed and differs across seeds", () => {
    const a = new SeededRandom(42), b = new SeededRandom(42), c = new SeededRandom(43);
    const sa = Array.from({ length: 16 }, () => a.nextU32());
    expect(Array.from({ length: 16 }, () => b.nextU32())).toEqual(sa);
    expect(Array.from({ length: 16 }, () => c.nextU32())).not.toEqual(sa);
  });
  it("is roughly uniform", () => {
    const r = new SeededRandom(7);
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) bins[r.below(10)]++;
    for (const n of bins) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });
});
