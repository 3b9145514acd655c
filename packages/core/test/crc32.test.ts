import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asciiBytes, crc32 } from "@pxe/core";
import { referenceCrc32 } from "@pxe/core/testing";

describe("crc32", () => {
  it("gives the known check values", () => {
    // The CRC-32 check value (the "123456789" of every CRC catalogue).
    expect(crc32(asciiBytes("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(asciiBytes("The quick brown fox jumps over the lazy dog"))).toBe(0x414fa339);
    expect(crc32(new Uint8Array(32))).toBe(0x190a55ad);
    expect(crc32(new Uint8Array(32).fill(0xff))).toBe(0xff6cab0b);
  });
  it("equals a bit-by-bit reference for any bytes at any alignment, and continues from any cut", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(7), fc.nat(), (bytes, skew, cut) => {
        // a view starting `skew` bytes into its buffer: the aligned word loop sees every alignment
        const buf = new Uint8Array(bytes.length + skew);
        buf.set(bytes, skew);
        const d = buf.subarray(skew);
        const want = referenceCrc32(bytes);
        expect(crc32(d)).toBe(want);
        const c = Math.min(d.length, cut % (d.length + 1));
        expect(crc32(d.subarray(c), crc32(d.subarray(0, c)))).toBe(want);
      }),
      { numRuns: 300 },
    );
  });
});
