import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold, internetChecksum, onesSumTs } from "@pxe/core";
import { referenceChecksum as reference } from "@pxe/core/testing";

describe("internet checksum", () => {
  it("matches RFC 1071's worked example", () => {
    // RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (folded).
    const d = Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
    expect(fold(onesSumTs(d, 0, d.length, 0))).toBe(0xddf2);
    expect(internetChecksum(d)).toBe(~0xddf2 & 0xffff);
  });
  it("equals a BigInt reference for any bytes, also split at any even point", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(), (d, cut) => {
        expect(internetChecksum(d)).toBe(reference(d));
        const c = Math.min(d.length, cut) & ~1;
        expect(internetChecksum(d, c, d.length, onesSumTs(d, 0, c, 0))).toBe(reference(d));
      }),
    );
  });
});
