import { describe, expect, it } from "vitest";
import { EPHEMERAL_PORT_MAX, EPHEMERAL_PORT_MIN, freeEphemeralPort, parsePort, seededPlatform } from "@pxe/core";

describe("freeEphemeralPort", () => {
  it("draws from 49152-65535 (RFC 6335) and skips ports in use", () => {
    const platform = seededPlatform(7);
    const taken = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const p = freeEphemeralPort(platform, (q) => taken.has(q))!;
      expect(p).toBeGreaterThanOrEqual(EPHEMERAL_PORT_MIN);
      expect(p).toBeLessThanOrEqual(EPHEMERAL_PORT_MAX);
      expect(taken.has(p)).toBe(false);
      taken.add(p);
    }
  });
  it("finds the last free port and is undefined when none is left", () => {
    const platform = seededPlatform(8);
    expect(freeEphemeralPort(platform, (q) => q !== 50000)).toBe(50000);
    expect(freeEphemeralPort(platform, () => true)).toBeUndefined();
  });
});

describe("parsePort", () => {
  it("takes 1..65535 in decimal, leading zeros allowed", () => {
    expect([parsePort("1"), parsePort("80"), parsePort("00080"), parsePort("65535")]).toEqual([1, 80, 80, 65535]);
  });
  it("refuses 0, too large, signs, white space, hex, exponents, fractions and empty text", () => {
    for (const bad of ["0", "00000", "65536", "99999", "123456", "+80", "-1", " 80", "80 ", "0x50", "8e1", "80.0", ""]) {
      expect([bad, parsePort(bad)]).toEqual([bad, undefined]);
    }
  });
});
