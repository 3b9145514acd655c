import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seq } from "@pxe/tcp";

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const dist = fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 });

describe("sequence arithmetic modulo 2^32", () => {
  it("orders a and a+d by the sign of d, across the wrap", () => {
    fc.assert(
      fc.property(u32, dist, (a, d) => {
        const b = seq.add(a, d);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThanOrEqual(0xffffffff);
        expect(seq.sub(b, a)).toBe(d);
        expect(seq.lt(a, b)).toBe(d > 0);
        expect(seq.gt(a, b)).toBe(d < 0);
        expect(seq.le(a, b)).toBe(d >= 0);
        expect(seq.ge(a, b)).toBe(d <= 0);
        expect(seq.max(a, b)).toBe(d >= 0 ? b : a);
      }),
    );
  });
  it("handles the wrap explicitly", () => {
    expect(seq.lt(0xffffffff, 0)).toBe(true);
    expect(seq.add(0xfffffff0, 0x20)).toBe(0x10);
    expect(seq.sub(0x10, 0xfffffff0)).toBe(0x20);
    expect(seq.inRange(0x5, 0xfffffff0, 0x10)).toBe(true);
    expect(seq.inRange(0x10, 0xfffffff0, 0x10)).toBe(false);
  });
});
