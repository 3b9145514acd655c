import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatIpv4, parseDottedQuad } from "@pxe/core";

describe("IPv4 dotted-quad text", () => {
  it("formats and parses back every address, strict or not", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (a) => {
        const t = formatIpv4(a);
        expect(parseDottedQuad(t)).toBe(a);
        expect(parseDottedQuad(t, true)).toBe(a);
      }),
    );
    expect(formatIpv4(0x0a000202)).toBe("10.0.2.2");
    expect(formatIpv4(0xffffffff)).toBe("255.255.255.255");
  });
  it("refuses what is not four decimal parts 0..255; strict also refuses leading zeros", () => {
    for (const bad of ["", "10.0.2", "10.0.2.2.1", "10.0.2.256", "1e1.0.0.1", "10.0.0.-1", " 10.0.2.2", "10.0.2.2 ", "0x0a.0.2.2", "1..2.3"]) {
      expect([bad, parseDottedQuad(bad)]).toEqual([bad, undefined]);
    }
    expect(parseDottedQuad("010.000.002.002")).toBe(0x0a000202);
    expect(parseDottedQuad("010.0.2.2", true)).toBeUndefined();
    expect(parseDottedQuad("10.0.2.00", true)).toBeUndefined();
    expect(parseDottedQuad("0.0.0.0", true)).toBe(0);
  });
});
