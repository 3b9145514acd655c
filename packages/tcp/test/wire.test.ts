import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WireError, fromHex } from "@pxe/core";
import { referencePseudoChecksum, rejectsOnlyTyped, roundTrip } from "@pxe/core/testing";
import { TcpFlags, decodeSegment, encodeSegment, encodeSegmentInto, segmentLength, tcpChecksum, tcpHeaderCodec, tcpOptionsCodec, verifyTcpChecksum, type TcpHeader } from "@pxe/tcp";
import { arbHeader, arbOptions, normalizeHeader, normalizeOptions } from "@pxe/tcp/testing";

/** Independent reference: the pseudo-header (protocol 6) and the segment, summed with BigInt. */
const referenceChecksum = (src: number, dst: number, seg: Uint8Array): number => referencePseudoChecksum(src, dst, 6, seg);

describe("TCP options codec", () => {
  it("round-trips any option list (nonzero offsets)", () => {
    roundTrip(tcpOptionsCodec, arbOptions, { normalize: normalizeOptions });
  });
  it("rejects a truncated option, a length below 2 and wrong lengths of known kinds", () => {
    const bad = ["02", "0201", "020500000000", "0303", "04030000", "050a00000000", "080a00000000", "fe05aabb"];
    for (const hex of bad) {
      const b = fromHex(hex);
      expect(() => tcpOptionsCodec.decode(b, 0, b.length), hex).toThrow(WireError);
    }
  });
  it("skips unknown kinds by their length and stops at EOL", () => {
    const b = fromHex("fe04aabb01020405b400ffff");
    const opts = tcpOptionsCodec.decode(b, 0, b.length).value;
    expect(opts).toEqual([{ kind: "unknown", code: 0xfe, data: fromHex("aabb") }, { kind: "nop" }, { kind: "mss", mss: 1460 }, { kind: "eol" }]);
  });
});

describe("TCP header codec", () => {
  it("round-trips any header (nonzero offsets)", () => {
    roundTrip(tcpHeaderCodec, arbHeader, { normalize: normalizeHeader });
  });
  it("decoding arbitrary bytes throws only WireError", () => {
    rejectsOnlyTyped((d) => tcpHeaderCodec.decode(d, 0, d.length), { numRuns: 1000, maxLength: 80 });
    rejectsOnlyTyped((d) => decodeSegment(d, 0, d.length, { src: 0x0a000202, dst: 0x0a00020f }), { numRuns: 500 });
  });
  it("checks the data offset against the bytes there", () => {
    const h: TcpHeader = { srcPort: 80, dstPort: 1234, seq: 1, ack: 2, flags: TcpFlags.ACK, window: 100, checksum: 0, urgent: 0, options: [{ kind: "mss", mss: 1460 }] };
    const b = new Uint8Array(tcpHeaderCodec.encodingLength(h));
    tcpHeaderCodec.encodeInto(h, b, 0);
    expect(() => tcpHeaderCodec.decode(b, 0, 20)).toThrow(/data offset 24 bytes exceeds the 20/);
    b[12] = 0x40;
    expect(() => tcpHeaderCodec.decode(b, 0, b.length)).toThrow(/below 5/);
    expect(() => tcpHeaderCodec.decode(b, 0, 19)).toThrow(WireError);
  });
  it("decodes a golden SYN (Linux-style options: MSS, SACK-perm, TS, NOP, WS)", () => {
    // 49152 -> 80, seq 0x01020304, SYN, win 65535, MSS 1460, SACK-perm, TS 1/0, NOP, WS 7; checksum for 10.0.2.15 -> 10.0.2.2.
    const bytes = fromHex("c000 0050 01020304 00000000 a002 ffff 0000 0000 020405b4 0402 080a 00000001 00000000 01 030307");
    const c = tcpChecksum(0x0a00020f, 0x0a000202, bytes, 0, bytes.length);
    bytes[16] = c >> 8;
    bytes[17] = c & 0xff;
    expect(c).toBe(referenceChecksum(0x0a00020f, 0x0a000202, (() => { const z = bytes.slice(); z[16] = z[17] = 0; return z; })()));
    const seg = decodeSegment(bytes, 0, bytes.length, { src: 0x0a00020f, dst: 0x0a000202 });
    expect(seg.header).toMatchObject({ srcPort: 49152, dstPort: 80, seq: 0x01020304, flags: TcpFlags.SYN, window: 65535 });
    expect(seg.header.options).toEqual([
      { kind: "mss", mss: 1460 },
      { kind: "sackPermitted" },
      { kind: "timestamps", tsVal: 1, tsEcr: 0 },
      { kind: "nop" },
      { kind: "windowScale", shift: 7 },
    ]);
    expect(seg.payload.length).toBe(0);
  });
});

describe("TCP checksum", () => {
  it("equals an independent BigInt reference over pseudo-header + segment", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.uint8Array({ minLength: 20, maxLength: 1600 }), (src, dst, seg) => {
        const z = seg.slice();
        expect(tcpChecksum(src, dst, z, 0, z.length)).toBe(referenceChecksum(src, dst, z));
      }),
      { numRuns: 300 },
    );
  });
  it("encodeSegmentInto writes a verifying checksum at a nonzero offset and decodeSegment catches any flipped bit", () => {
    fc.assert(
      fc.property(arbHeader, fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 1, max: 33 }), fc.nat(), (h, payload, pad, flip) => {
        const len = segmentLength(h, payload.length);
        const out = new Uint8Array(len + 2 * pad).fill(0xee);
        expect(encodeSegmentInto(h, payload, 0x0a00020f, 0x0a000202, out, pad)).toBe(pad + len);
        expect(out[pad - 1]).toBe(0xee);
        expect(out[pad + len]).toBe(0xee);
        expect(verifyTcpChecksum(0x0a00020f, 0x0a000202, out, pad, pad + len)).toBe(true);
        const seg = decodeSegment(out, pad, pad + len, { src: 0x0a00020f, dst: 0x0a000202 });
        expect(seg.payload).toEqual(payload);
        expect(normalizeHeader(seg.header)).toEqual(normalizeHeader({ ...h, checksum: seg.header.checksum }));
        const bit = flip % (len * 8);
        out[pad + (bit >> 3)] ^= 1 << (bit & 7);
        expect(() => decodeSegment(out, pad, pad + len, { src: 0x0a00020f, dst: 0x0a000202 })).toThrow(WireError);
      }),
      { numRuns: 300 },
    );
  });
  it("encodeSegment matches encodeSegmentInto", () => {
    const h: TcpHeader = { srcPort: 1, dstPort: 2, seq: 3, ack: 4, flags: TcpFlags.ACK | TcpFlags.PSH, window: 5, checksum: 0, urgent: 0, options: [] };
    const p = Uint8Array.of(1, 2, 3);
    const a = encodeSegment(h, p, 1, 2);
    expect(referenceChecksum(1, 2, (() => { const z = a.slice(); z[16] = z[17] = 0; return z; })())).toBe((a[16] << 8) | a[17]);
  });
});
