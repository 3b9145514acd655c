import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bytesEqual, encode, WireError } from "@pxe/core";
import { roundTrip, rejectsOnlyTyped } from "@pxe/core/testing";
import { pcapCodec, parsePcap, PcapWriter, ReplayLink, PcapError, recordTimeMs, type PcapFile } from "@pxe/undi";
import { arbEthernetFrame } from "@pxe/undi/testing";

const arbFile = (): fc.Arbitrary<PcapFile> =>
  fc.record({
    littleEndian: fc.boolean(), nanosecond: fc.boolean(), versionMajor: fc.constant(2), versionMinor: fc.integer({ min: 0, max: 0xffff }),
    thiszone: fc.integer({ min: -0x80000000, max: 0x7fffffff }), sigfigs: fc.integer({ min: 0, max: 0xffffffff }),
    snaplen: fc.integer({ min: 0, max: 0xffffffff }), linktype: fc.integer({ min: 0, max: 0xffffffff }),
    records: fc.array(fc.record({
      tsSec: fc.integer({ min: 0, max: 0xffffffff }), tsFrac: fc.integer({ min: 0, max: 999_999_999 }),
      data: arbEthernetFrame(), extra: fc.integer({ min: 0, max: 100 }),
    }).map(({ extra, ...r }) => ({ ...r, origLen: r.data.length + extra })), { maxLength: 8 }),
  });

describe("pcap", () => {
  it("write -> read round-trips, both byte orders, us and ns (also at a nonzero offset)", () => {
    roundTrip(pcapCodec, arbFile(), { numRuns: 150 });
  });

  it("PcapWriter output parses back to the same frames and times", () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1e9 }), arbEthernetFrame()), { maxLength: 10 }), (recs) => {
      const w = new PcapWriter();
      for (const [t, f] of recs) w.write(t, f);
      const file = parsePcap(w.bytes());
      expect(file.linktype).toBe(1);
      expect(file.littleEndian).toBe(true);
      expect(file.nanosecond).toBe(false);
      expect(file.records.length).toBe(recs.length);
      file.records.forEach((r, i) => {
        expect(bytesEqual(r.data, recs[i][1])).toBe(true);
        expect(recordTimeMs(r, false)).toBe(recs[i][0]);
      });
    }), { numRuns: 100 });
  });

  it("golden header: little-endian microsecond magic, version 2.4, Ethernet", () => {
    const w = new PcapWriter({ snaplen: 1514 });
    expect(Array.from(w.bytes())).toEqual([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xea, 5, 0, 0, 1, 0, 0, 0]);
  });

  it("cuts frames to the snaplen but keeps the original length", () => {
    const w = new PcapWriter({ snaplen: 20 });
    w.write(0, new Uint8Array(100));
    const r = parsePcap(w.bytes()).records[0];
    expect(r.data.length).toBe(20);
    expect(r.origLen).toBe(100);
  });

  it("bad files are PcapErrors (a WireError), never anything else", () => {
    const good = encode(pcapCodec, { littleEndian: true, nanosecond: false, versionMajor: 2, versionMinor: 4, thiszone: 0, sigfigs: 0, snaplen: 65535, linktype: 1, records: [{ tsSec: 1, tsFrac: 2, origLen: 60, data: new Uint8Array(60) }] });
    expect(() => parsePcap(good.subarray(0, 10))).toThrow(PcapError);
    expect(() => parsePcap(good.subarray(0, good.length - 1))).toThrow(/record claims/);
    expect(() => parsePcap(good.subarray(0, 30))).toThrow(/truncated record header/);
    const badMagic = good.slice();
    badMagic[0] = 0;
    expect(() => parsePcap(badMagic)).toThrow(/bad magic/);
    const huge = good.slice();
    huge[24 + 8 + 3] = 0x7f;
    expect(() => parsePcap(huge)).toThrow(PcapError);
    rejectsOnlyTyped((d) => parsePcap(d), { maxLength: 200 });
    rejectsOnlyTyped((d) => parsePcap(Uint8Array.from([...good.subarray(0, 24), ...d])), { maxLength: 200, errorClass: WireError });
  });

  it("ReplayLink feeds a capture by its recorded timing and records transmits", () => {
    const w = new PcapWriter();
    const frames = [0, 10, 25].map((t, i) => {
      const f = new Uint8Array(60).fill(i + 1);
      w.write(1000 + t, f);
      return f;
    });
    const link = new ReplayLink(w.bytes());
    link.open();
    const got: Uint8Array[] = [];
    expect(link.poll(500, (f) => got.push(f.slice()))).toBe(1);
    expect(link.poll(509, (f) => got.push(f.slice()))).toBe(0);
    expect(link.poll(510, (f) => got.push(f.slice()))).toBe(1);
    expect(link.poll(600, (f) => got.push(f.slice()))).toBe(1);
    got.forEach((g, i) => expect(bytesEqual(g, frames[i])).toBe(true));
    expect(link.remaining).toBe(0);
    link.transmit(new Uint8Array(60));
    expect(link.transmitted.length).toBe(1);
    const fast = new ReplayLink(w.bytes(), { timing: "immediate" });
    fast.open();
    expect(fast.poll(0, () => {})).toBe(3);
  });
});
