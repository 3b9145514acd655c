import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromHex, WireError } from "@pxe/core";
import { referenceChecksum as refChecksum, rejectsOnlyTyped, roundTrip } from "@pxe/core/testing";
import {
  arpPacket, ChecksumError, ethernetFrame, ethernetHeader, formatIpv4, formatMac, icmpMessage, ipv4Datagram, ipv4Header,
  maskToPrefix, parseIpv4, parseIpv4Datagram, parseMac, parseQuoted, prefixToMask, readIcmp, tryParseIpv4,
} from "@pxe/ip";
import { arbArpPacket, arbEthernetFrame, arbEthernetHeader, arbIcmpMessage, arbIpv4, arbIpv4Datagram, arbIpv4Header, arbMac } from "@pxe/ip/testing";

describe("codecs round-trip (also at nonzero offsets)", () => {
  it("Ethernet header", () => roundTrip(ethernetHeader, arbEthernetHeader));
  it("Ethernet frame", () => roundTrip(ethernetFrame, arbEthernetFrame(200)));
  it("ARP packet", () => roundTrip(arpPacket, arbArpPacket));
  it("IPv4 header", () => roundTrip(ipv4Header, arbIpv4Header));
  it("IPv4 datagram", () => roundTrip(ipv4Datagram, arbIpv4Datagram(300)));
  it("ICMP message", () => roundTrip(icmpMessage, arbIcmpMessage));
});

describe("decoders throw only WireError on arbitrary bytes", () => {
  const at = <T>(f: (d: Uint8Array, o: number, e: number) => T) => (d: Uint8Array) => f(d, 0, d.length);
  it("Ethernet", () => rejectsOnlyTyped(at(ethernetHeader.decode)));
  it("ARP", () => rejectsOnlyTyped(at(arpPacket.decode), { maxLength: 64 }));
  it("IPv4 header", () => rejectsOnlyTyped(at(ipv4Header.decode), { maxLength: 80 }));
  it("IPv4 datagram", () => rejectsOnlyTyped(at(parseIpv4Datagram)));
  it("ICMP", () => rejectsOnlyTyped(at(icmpMessage.decode), { maxLength: 100 }));
  it("quoted datagram", () => rejectsOnlyTyped(parseQuoted, { maxLength: 80 }));
  it("IPv4 with a valid checksum but random other fields", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 80 }), (d) => {
        d[0] = 0x40 | (d[0] & 15);
        d[10] = d[11] = 0;
        const hl = Math.min(d.length, (d[0] & 15) * 4);
        const c = refChecksum(d.subarray(0, hl));
        d[10] = c >> 8;
        d[11] = c & 255;
        try {
          parseIpv4Datagram(d, 0, d.length);
        } catch (e) {
          expect(e).toBeInstanceOf(WireError);
        }
      }),
    );
  });
});

describe("checksums match an independent reference", () => {
  it("IPv4 header checksum", () => {
    fc.assert(
      fc.property(arbIpv4Header, (h) => {
        const out = new Uint8Array(ipv4Header.encodingLength(h));
        ipv4Header.encodeInto(h, out, 0);
        const found = (out[10] << 8) | out[11];
        out[10] = out[11] = 0;
        expect(found).toBe(refChecksum(out));
      }),
    );
  });
  it("ICMP checksum", () => {
    fc.assert(
      fc.property(arbIcmpMessage, (m) => {
        const out = new Uint8Array(icmpMessage.encodingLength(m));
        icmpMessage.encodeInto(m, out, 0);
        const found = (out[2] << 8) | out[3];
        out[2] = out[3] = 0;
        expect(found).toBe(refChecksum(out));
      }),
    );
  });
  it("a golden IPv4 header (checksum 0xb861)", () => {
    const h = fromHex("4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7");
    const v = ipv4Header.decode(h, 0, h.length).value;
    expect(v).toMatchObject({ totalLength: 0x73, ttl: 64, protocol: 17, dontFragment: true, src: parseIpv4("192.168.0.1"), dst: parseIpv4("192.168.0.199") });
    const out = new Uint8Array(20);
    ipv4Header.encodeInto(v, out, 0);
    expect(Array.from(out)).toEqual(Array.from(h));
  });
  it("any single bit flip in a header is a ChecksumError or another WireError", () => {
    fc.assert(
      fc.property(arbIpv4Header, fc.nat(), (h, bit) => {
        const out = new Uint8Array(ipv4Header.encodingLength(h));
        ipv4Header.encodeInto(h, out, 0);
        const b = bit % (out.length * 8);
        out[b >> 3] ^= 1 << (b & 7);
        expect(() => ipv4Header.decode(out, 0, out.length)).toThrow(WireError);
      }),
    );
  });
  it("a bad ICMP checksum is a ChecksumError", () => {
    const m = new Uint8Array(12);
    m[0] = 8;
    m[2] = 0x12;
    expect(() => readIcmp(m, 0, m.length)).toThrow(ChecksumError);
  });
});

describe("IPv4 datagram bounds", () => {
  it("rejects a total length beyond the bytes present; ignores link padding", () => {
    const d = new Uint8Array(ipv4Datagram.encodingLength({ header: { tos: 0, id: 1, dontFragment: false, moreFragments: false, fragmentOffset: 0, ttl: 1, protocol: 17, src: 1, dst: 2, options: new Uint8Array(0) }, payload: new Uint8Array(10) }));
    ipv4Datagram.encodeInto({ header: { tos: 0, id: 1, dontFragment: false, moreFragments: false, fragmentOffset: 0, ttl: 1, protocol: 17, src: 1, dst: 2, options: new Uint8Array(0) }, payload: new Uint8Array(10) }, d, 0);
    expect(() => parseIpv4Datagram(d, 0, d.length - 1)).toThrow(/truncated/);
    const padded = new Uint8Array(60);
    padded.set(d);
    expect(parseIpv4Datagram(padded, 0, 60).payloadEnd).toBe(30);
  });
  it("rejects header lengths under 20 and options past the buffer", () => {
    const d = fromHex("4400 0014 0000 0000 4011 0000 0a00 0001 0a00 0002");
    expect(() => ipv4Header.decode(d, 0, d.length)).toThrow(/header length 16/);
    const e = fromHex("4f00 0014 0000 0000 4011 0000 0a00 0001 0a00 0002");
    expect(() => ipv4Header.decode(e, 0, e.length)).toThrow(/truncated/);
  });
});

describe("address helpers", () => {
  it("IPv4 text round-trips", () => fc.assert(fc.property(arbIpv4, (a) => void expect(parseIpv4(formatIpv4(a))).toBe(a))));
  it("MAC text round-trips", () => fc.assert(fc.property(arbMac, (m) => void expect(Array.from(parseMac(formatMac(m)))).toEqual(Array.from(m)))));
  it("rejects bad text", () => {
    for (const t of ["1.2.3", "1.2.3.256", "a.b.c.d", "1.2.3.4.5", ""]) expect(tryParseIpv4(t)).toBeUndefined();
    expect(() => parseMac("01:02:03")).toThrow(RangeError);
  });
  it("prefix <-> mask", () => {
    for (let p = 0; p <= 32; p++) expect(maskToPrefix(prefixToMask(p))).toBe(p);
    expect(prefixToMask(24)).toBe(0xffffff00);
    expect(() => maskToPrefix(parseIpv4("255.0.255.0"))).toThrow(RangeError);
  });
});
