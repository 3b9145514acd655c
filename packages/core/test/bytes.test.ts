import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readU16be, readU16le, readU32be, readU32le, writeU16be, writeU16le, writeU32be, writeU32le } from "@pxe/core";

describe("big- and little-endian reads and writes", () => {
  it("read what DataView reads in either order, at any offset", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 40 }), fc.nat(), (u8, at) => {
        const off = at % (u8.length - 3);
        const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
        expect(readU16be(u8, off)).toBe(dv.getUint16(off));
        expect(readU32be(u8, off)).toBe(dv.getUint32(off));
        expect(readU16le(u8, off)).toBe(dv.getUint16(off, true));
        expect(readU32le(u8, off)).toBe(dv.getUint32(off, true));
      }),
    );
  });
  it("write what DataView writes, touching only their 2 or 4 bytes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 8 }), (v, off) => {
        const a = new Uint8Array(12).fill(0xa5);
        const b = new Uint8Array(12).fill(0xa5);
        writeU32be(a, off, v);
        new DataView(b.buffer).setUint32(off, v);
        expect(Array.from(a)).toEqual(Array.from(b));
        writeU16be(a, off, v);
        new DataView(b.buffer).setUint16(off, v & 0xffff);
        expect(Array.from(a)).toEqual(Array.from(b));
        writeU32le(a, off, v);
        new DataView(b.buffer).setUint32(off, v, true);
        expect(Array.from(a)).toEqual(Array.from(b));
        writeU16le(a, off, v);
        new DataView(b.buffer).setUint16(off, v & 0xffff, true);
        expect(Array.from(a)).toEqual(Array.from(b));
      }),
    );
  });
  it("a 32-bit read is unsigned (0xff first byte is not negative)", () => {
    expect(readU32be(Uint8Array.of(0xff, 0xfe, 0xfd, 0xfc), 0)).toBe(0xfffefdfc);
    expect(readU16be(Uint8Array.of(0x12, 0x34), 0)).toBe(0x1234);
  });
});
