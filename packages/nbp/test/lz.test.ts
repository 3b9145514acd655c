import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { lzCompress, lzDecompress } from "../src/cli/lz.js";

describe("NBP image compression (decoded by lz_decode in platform/stub.asm)", () => {
  test("round-trips arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (data) => {
        expect(lzDecompress(lzCompress(data), data.length)).toEqual(data);
      }),
      { numRuns: 300 },
    );
  });

  test("round-trips repetitive data with long matches and long literal runs", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 400 })), { maxLength: 30 }),
        fc.uint8Array({ maxLength: 2000 }),
        (runs, noise) => {
          const parts: number[] = [...noise];
          for (const [chunk, times] of runs) for (let i = 0; i < times; i++) parts.push(...chunk);
          const data = Uint8Array.from(parts);
          expect(lzDecompress(lzCompress(data), data.length)).toEqual(data);
        },
      ),
      { numRuns: 100 },
    );
  });

  test("compresses repetitive input and keeps matches within the 16-bit window", () => {
    const data = new Uint8Array(200_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 251 < 200 ? i % 13 : (i >> 3) & 0xff;
    const c = lzCompress(data);
    expect(c.length).toBeLessThan(data.length / 4);
    expect(lzDecompress(c, data.length)).toEqual(data);
  });

  test("empty input is one literal-only token", () => {
    expect(Array.from(lzCompress(new Uint8Array(0)))).toEqual([0]);
  });
});
