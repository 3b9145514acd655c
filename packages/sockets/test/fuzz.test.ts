import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock, seededPlatform } from "@pxe/core";
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, icmpMessage, ipv4Datagram, MAC_BROADCAST, parseIpv4, writeEthernetHeader, type LayerCounters } from "@pxe/ip";
import { arbArpPacket, arbIcmpMessage, arbIpv4HeaderFields, MemoryLink } from "@pxe/ip/testing";
import { writeUdp } from "@pxe/udp";
import { Stack } from "@pxe/sockets";

const MAC = Uint8Array.of(2, 0, 0, 0, 0, 1), PEER = Uint8Array.of(2, 0, 0, 0, 0, 2);
const ME = parseIpv4("10.0.0.1");
const NEAR = fc.oneof(fc.constant(ME), fc.constant(0xffffffff), fc.constant(parseIpv4("10.0.0.255")), fc.integer({ min: parseIpv4("10.0.0.0"), max: parseIpv4("10.0.0.255") }), fc.integer({ min: 0, max: 0xffffffff }));

function frame(dst: Uint8Array, type: number, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(14 + payload.length);
  writeEthernetHeader(f, 0, dst, PEER, type);
  f.set(payload, 14);
  return f;
}
function ip(h: fc.Arbitrary<Parameters<typeof ipv4Datagram.encodeInto>[0]["header"]>, payload: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(h, payload).map(([header, p]) => {
    const out = new Uint8Array(ipv4Datagram.encodingLength({ header, payload: p }));
    ipv4Datagram.encodeInto({ header, payload: p }, out, 0);
    return out;
  });
}
const toMe = fc.tuple(arbIpv4HeaderFields, NEAR, NEAR, fc.boolean()).map(([h, dst, src, plain]) => ({ ...h, dst, src, ...(plain ? { moreFragments: false, fragmentOffset: 0 } : {}) }));
const withProto = (p: fc.Arbitrary<number>) => fc.tuple(toMe, p).map(([h, protocol]) => ({ ...h, protocol }));
/** UDP datagrams whose checksum is right for the IP header they travel in (so they reach demultiplexing). */
const udpDatagram = fc.tuple(withProto(fc.constant(17)), fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(7, 53, 68, 9999), fc.uint8Array({ maxLength: 100 })).map(([header, sp, dp, data]) => {
  const payload = new Uint8Array(8 + data.length);
  writeUdp(payload, 0, sp, dp, data, header.src, header.dst);
  const out = new Uint8Array(ipv4Datagram.encodingLength({ header, payload }));
  ipv4Datagram.encodeInto({ header, payload }, out, 0);
  return out;
});
const icmpBytes = arbIcmpMessage.map((m) => {
  const out = new Uint8Array(icmpMessage.encodingLength(m));
  icmpMessage.encodeInto(m, out, 0);
  return out;
});
const arbFrame: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 1514 }),
  fc.tuple(fc.constantFrom(MAC, MAC_BROADCAST, PEER), fc.constantFrom(ETHERTYPE_ARP, ETHERTYPE_IPV4, 0x86dd), fc.uint8Array({ maxLength: 200 })).map(([d, t, p]) => frame(d, t, p)),
  arbArpPacket.map((a) => {
    const b = new Uint8Array(28);
    // Mostly aimed at us.
    const p = { ...a, targetIp: a.op & 1 ? ME : a.targetIp, op: (a.op % 3) + 0 };
    new DataView(b.buffer).setUint16(0, 1);
    b.set([8, 0, 6, 4], 2);
    new DataView(b.buffer).setUint16(6, p.op);
    b.set(p.senderMac, 8);
    new DataView(b.buffer).setUint32(14, p.senderIp);
    b.set(p.targetMac, 18);
    new DataView(b.buffer).setUint32(24, p.targetIp);
    return frame(MAC_BROADCAST, ETHERTYPE_ARP, b);
  }),
  udpDatagram.map((d) => frame(MAC, ETHERTYPE_IPV4, d)),
  ip(withProto(fc.constant(1)), icmpBytes).map((d) => frame(MAC, ETHERTYPE_IPV4, d)),
  ip(withProto(fc.constantFrom(1, 6, 17, 200)), fc.uint8Array({ maxLength: 300 })).map((d) => frame(MAC, ETHERTYPE_IPV4, d)),
);
/** Valid frames with a few bytes flipped. */
const mutated = fc.tuple(arbFrame, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 3 })).map(([f, flips]) => {
  const g = f.slice();
  for (const [i, x] of flips) if (g.length) g[i % g.length] ^= x;
  return g;
});

/** Runs per `npm test` (~4000 frames); set PXE_FUZZ_RUNS for longer runs on demand. */
const RUNS = Number(globalThis.process?.env?.PXE_FUZZ_RUNS) || 300;

function balanced(c: LayerCounters): boolean {
  let d = 0;
  for (const k in c.dropped) d += c.dropped[k];
  return c.received === c.delivered + d;
}

describe("fuzz: arbitrary frames into a whole Stack", () => {
  it("never throws; every frame is counted once; every layer balances", () => {
    let total = 0;
    const reasons = new Map<string, number>();
    let udpDelivered = 0, icmpDelivered = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof(arbFrame, mutated), { minLength: 5, maxLength: 25 }), fc.array(fc.integer({ min: 0, max: 40_000 }), { maxLength: 25 }), (frames, gaps) => {
        const clock = new ManualClock(0);
        const [link, peer] = MemoryLink.pair(MAC, PEER);
        const stack = new Stack({ link, platform: seededPlatform(9, clock), config: { address: ME, prefix: 24, gateway: "10.0.0.254" } });
        const sock = stack.udpSocket({ port: 7 });
        stack.udpSocket({ port: 68 });
        frames.forEach((f, i) => {
          peer.transmit(f.length > 1514 ? f.subarray(0, 1514) : f);
          clock.advance(gaps[i] ?? 1);
          stack.poll(clock.time);
        });
        while (sock.readable()) sock.tryRecvFrom();
        const s = stack.stats();
        expect(s.link.received).toBe(frames.length);
        for (const layer of [s.link, s.arp, s.ipv4, s.icmp, s.udp]) expect(balanced(layer)).toBe(true);
        total += frames.length;
        for (const k in s.link.dropped) reasons.set(k, (reasons.get(k) ?? 0) + s.link.dropped[k]);
        udpDelivered += s.udp.delivered;
        icmpDelivered += s.icmp.delivered;
      }),
      { numRuns: RUNS },
    );
    expect(total).toBeGreaterThan(2000);
    // The generators reach every layer: these reasons and deliveries all occur.
    for (const r of ["truncated", "malformed", "badChecksum", "notForUs", "unknownEthertype", "unknownProtocol", "portUnreachable"]) expect(reasons.get(r) ?? 0, r).toBeGreaterThan(0);
    expect(udpDelivered).toBeGreaterThan(0);
    expect(icmpDelivered).toBeGreaterThan(0);
  });
});
