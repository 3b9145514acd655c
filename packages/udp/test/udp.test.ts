import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededPlatform } from "@pxe/core";
import { referencePseudoChecksum, rejectsOnlyTyped, roundTrip } from "@pxe/core/testing";
import { ChecksumError, IpInterface, IP_PROTO_UDP, parseIpv4, type IpPacket } from "@pxe/ip";
import { arbIpv4, MemoryLink } from "@pxe/ip/testing";
import { AddressInUseError, EPHEMERAL_MIN, readUdp, udpDatagram, udpHeader, UdpLayer, writeUdp, type UdpInbound } from "@pxe/udp";
import { arbUdpDatagram, arbUdpHeader } from "@pxe/udp/testing";

/** Independent UDP checksum: the BigInt reference over pseudo-header (protocol 17) and segment; 0 is sent as 0xffff (RFC 768). */
function refUdpChecksum(src: number, dst: number, seg: Uint8Array): number {
  const c = referencePseudoChecksum(src, dst, 17, seg);
  return c === 0 ? 0xffff : c;
}

describe("UDP wire", () => {
  it("header round-trips", () => roundTrip(udpHeader, arbUdpHeader));
  it("datagram round-trips between any two addresses", () => {
    fc.assert(fc.property(arbIpv4, arbIpv4, (s, d) => roundTrip(udpDatagram(s, d), arbUdpDatagram(300), { numRuns: 5 })), { numRuns: 40 });
  });
  it("checksum matches an independent reference", () => {
    fc.assert(
      fc.property(arbIpv4, arbIpv4, arbUdpDatagram(600), (s, d, u) => {
        const out = new Uint8Array(8 + u.payload.length);
        writeUdp(out, 0, u.srcPort, u.dstPort, u.payload, s, d);
        const found = (out[6] << 8) | out[7];
        out[6] = out[7] = 0;
        expect(found).toBe(refUdpChecksum(s, d, out));
      }),
    );
  });
  it("a zero checksum means none; a wrong one is a ChecksumError", () => {
    const out = new Uint8Array(12);
    writeUdp(out, 0, 1, 2, Uint8Array.of(1, 2, 3, 4), 5, 6);
    out[11] ^= 1;
    expect(() => readUdp(out, 0, 12, 5, 6)).toThrow(ChecksumError);
    out[6] = out[7] = 0;
    expect(readUdp(out, 0, 12, 5, 6).checksummed).toBe(false);
  });
  it("length field bounds", () => {
    const out = new Uint8Array(12);
    writeUdp(out, 0, 1, 2, Uint8Array.of(1, 2, 3, 4), 5, 6);
    expect(() => readUdp(out, 0, 11, 5, 6)).toThrow(/truncated/);
    out[5] = 7;
    expect(() => readUdp(out, 0, 12, 5, 6)).toThrow(/length 7 < 8/);
  });
  it("readUdp throws only WireError on arbitrary bytes", () => rejectsOnlyTyped((d) => readUdp(d, 0, d.length, 1, 2)));
});

describe("UdpLayer", () => {
  const A = parseIpv4("10.0.0.1"), B = parseIpv4("10.0.0.2");
  function setup() {
    const [la, lb] = MemoryLink.pair(Uint8Array.of(2, 0, 0, 0, 0, 1), Uint8Array.of(2, 0, 0, 0, 0, 2));
    const ia = new IpInterface({ link: la, platform: seededPlatform(3), config: { address: A, prefix: 24 } });
    const ib = new IpInterface({ link: lb, platform: seededPlatform(4), config: { address: B, prefix: 24 } });
    const ua = new UdpLayer(ia), ub = new UdpLayer(ib);
    ia.register(IP_PROTO_UDP, ua);
    ib.register(IP_PROTO_UDP, ub);
    const run = () => {
      for (let t = 0; t < 4; t++) (ia.poll(t), ib.poll(t));
    };
    return { ia, ib, ua, ub, run };
  }
  const sink = (into: string[], tag: string) => ({ datagram: (d: UdpInbound) => (into.push(`${tag}:${d.srcPort}:${d.data.slice(d.start, d.end).join(",")}`), true), error: (e: Error) => void into.push(`${tag}!${e.message}`) });

  it("ephemeral ports are random in 49152-65535 and distinct", () => {
    const { ua } = setup();
    const ports = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const p = ua.bind(sink([], "x")).localPort;
      expect(p).toBeGreaterThanOrEqual(EPHEMERAL_MIN);
      expect(p).toBeLessThanOrEqual(65535);
      ports.add(p);
    }
    expect(ports.size).toBe(200);
  });

  it("binding overlaps are refused", () => {
    const { ua } = setup();
    ua.bind(sink([], "x"), 68);
    expect(() => ua.bind(sink([], "y"), 68, A)).toThrow(AddressInUseError);
  });

  it("demultiplexes: connected endpoint over a wildcard one", () => {
    const { ua, ub, run } = setup();
    const log: string[] = [];
    const e1 = ua.bind(sink(log, "a1"), 1000);
    const e2 = ua.bind(sink(log, "a2"), 1001);
    const w = ub.bind(sink(log, "w"), 53, 0);
    ub.release(w);
    const conn = ub.bind(sink(log, "c"), 53, B);
    conn.connect(A, 1000);
    ub.bind(sink(log, "other"), 54);
    e1.sendTo(Uint8Array.of(1), B, 53, 0);
    e2.sendTo(Uint8Array.of(2), B, 53, 0); // not the connected peer: port unreachable back to a2
    run();
    expect(log).toEqual(["c:1000:1", "a2!port unreachable: 10.0.0.2:53 (reported by 10.0.0.2)"]);
    expect(ub.counters.c.dropped).toEqual({ portUnreachable: 1 });
  });

  it("counts bad checksums", () => {
    const { ia, ub } = setup();
    ub.bind(sink([], "x"), 7);
    const seg = new Uint8Array(9);
    writeUdp(seg, 0, 5, 7, Uint8Array.of(9), A, B);
    seg[8] ^= 0xff;
    const p: IpPacket = { header: { tos: 0, totalLength: 29, id: 0, dontFragment: false, moreFragments: false, fragmentOffset: 0, ttl: 64, protocol: 17, src: A, dst: B, options: new Uint8Array(0) }, data: seg, start: 0, end: 9, cast: "unicast" };
    expect(ub.receive(p, 0)).toBe("badChecksum");
    void ia;
  });
});
