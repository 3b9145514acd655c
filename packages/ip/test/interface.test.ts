import { describe, expect, it } from "vitest";
import { bytesEqual, seededPlatform } from "@pxe/core";
import {
  ARP_REPLY, ARP_REQUEST, arpPacket, ETHERTYPE_ARP, ETHERTYPE_IPV4, ethernetHeader, icmpMessage, ipv4Datagram, IpInterface,
  MAC_BROADCAST, NoRouteError, parseIpv4, readIcmp, writeEthernetHeader, type IpPacket,
} from "@pxe/ip";
import { MemoryLink } from "@pxe/ip/testing";

/** The last element (no Array.prototype.at: the tests also run in QuickJS 2021, ES2020). */
const last = <T>(a: T[]): T => a[a.length - 1];
const MAC_A = Uint8Array.of(2, 0, 0, 0, 0, 1), MAC_B = Uint8Array.of(2, 0, 0, 0, 0, 2);
const A = parseIpv4("10.0.0.1"), B = parseIpv4("10.0.0.2");

function pair(mtu = 1500) {
  const [la, lb] = MemoryLink.pair(MAC_A, MAC_B, mtu);
  const a = new IpInterface({ link: la, platform: seededPlatform(1), config: { address: A, prefix: 24, gateway: "10.0.0.254" } });
  const b = new IpInterface({ link: lb, platform: seededPlatform(2), config: { address: B, prefix: 24 } });
  const run = (from: number, to: number) => {
    for (let t = from; t <= to; t++) (a.poll(t), b.poll(t));
  };
  return { a, b, la, lb, run };
}

function ipFrame(dstMac: Uint8Array, dg: Parameters<typeof ipv4Datagram.encodeInto>[0]): Uint8Array {
  const f = new Uint8Array(14 + ipv4Datagram.encodingLength(dg));
  writeEthernetHeader(f, 0, dstMac, MAC_B, ETHERTYPE_IPV4);
  ipv4Datagram.encodeInto(dg, f, 14);
  return f;
}
const hdr = (o: Partial<Parameters<typeof ipv4Datagram.encodeInto>[0]["header"]> = {}) => ({ tos: 0, id: 1, dontFragment: false, moreFragments: false, fragmentOffset: 0, ttl: 64, protocol: 1, src: B, dst: A, options: new Uint8Array(0), ...o });

describe("IpInterface", () => {
  it("answers ARP requests for its address and learns the asker", () => {
    const { a, la } = pair();
    const f = new Uint8Array(42);
    writeEthernetHeader(f, 0, MAC_BROADCAST, MAC_B, ETHERTYPE_ARP);
    arpPacket.encodeInto({ op: ARP_REQUEST, senderMac: MAC_B, senderIp: B, targetMac: new Uint8Array(6), targetIp: A }, f, 14);
    expect(a.receiveFrame(f, 0)).toBe("ok");
    const reply = last(la.sentFrames);
    expect(ethernetHeader.decode(reply, 0, 14).value).toEqual({ dst: MAC_B, src: MAC_A, ethertype: ETHERTYPE_ARP });
    expect(arpPacket.decode(reply, 14, reply.length).value).toEqual({ op: ARP_REPLY, senderMac: MAC_A, senderIp: A, targetMac: MAC_B, targetIp: B });
    expect(a.arpEntries(0).map((e) => [e.address, e.state])).toEqual([[B, "reachable"]]);
    // A request for someone else is counted as not for us and not learned.
    arpPacket.encodeInto({ op: ARP_REQUEST, senderMac: MAC_B, senderIp: parseIpv4("10.0.0.9"), targetMac: new Uint8Array(6), targetIp: parseIpv4("10.0.0.8") }, f, 14);
    expect(a.receiveFrame(f, 0)).toBe("notForUs");
    expect(a.arpEntries(0)).toHaveLength(1);
  });

  it("answers echo requests with the same id, seq and data", () => {
    const { a, la } = pair();
    a.arp.insert(B, MAC_B, 0);
    const data = Uint8Array.from({ length: 56 }, (_, i) => i);
    const req = icmpMessage;
    const payload = new Uint8Array(req.encodingLength({ kind: "echoRequest", id: 0x1234, seq: 7, data }));
    req.encodeInto({ kind: "echoRequest", id: 0x1234, seq: 7, data }, payload, 0);
    expect(a.receiveFrame(ipFrame(MAC_A, { header: hdr(), payload }), 0)).toBe("ok");
    const out = last(la.sentFrames);
    const dg = ipv4Datagram.decode(out, 14, out.length).value;
    expect(dg.header.dst).toBe(B);
    expect(readIcmp(dg.payload, 0, dg.payload.length)).toEqual({ kind: "echoReply", id: 0x1234, seq: 7, data });
  });

  it("pings the other side, ARP first", () => {
    const { a, b, run } = pair();
    const s = a.startPing(B, { count: 2, intervalMs: 10 }, 0);
    run(0, 30);
    expect(s.stats()).toMatchObject({ transmitted: 2, received: 2, lossPercent: 0 });
    expect(b.stats().icmp.sent).toBe(2);
  });

  it("fragments datagrams over the MTU and reassembles them on the other side", () => {
    const { a, b, la, run } = pair(576);
    const got: Uint8Array[] = [];
    b.register(253, { receive: (p: IpPacket) => (got.push(p.data.slice(p.start, p.end)), "ok") });
    const payload = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) & 255);
    a.arp.insert(B, MAC_B, 0);
    a.send({ dst: B, protocol: 253, length: payload.length, write: (o, off) => o.set(payload, off) }, 0);
    expect(la.sentFrames.length).toBe(6);
    for (const f of la.sentFrames) expect(f.length).toBeLessThanOrEqual(576 + 14);
    run(1, 1);
    expect(got.length).toBe(1);
    expect(bytesEqual(got[0], payload)).toBe(true);
    expect(b.stats().reassembly.reassembled).toBe(1);
  });

  it("sends protocol unreachable for unknown protocols and counts the drop", () => {
    const { a, la } = pair();
    a.arp.insert(B, MAC_B, 0);
    expect(a.receiveFrame(ipFrame(MAC_A, { header: hdr({ protocol: 200 }), payload: new Uint8Array(8) }), 0)).toBe("unknownProtocol");
    const out = last(la.sentFrames);
    const dg = ipv4Datagram.decode(out, 14, out.length).value;
    expect(readIcmp(dg.payload, 0, dg.payload.length)).toMatchObject({ kind: "destUnreachable", code: 2 });
    expect(a.stats().link.dropped).toEqual({ unknownProtocol: 1 });
  });

  it("routes through the gateway, and throws NoRouteError without a route", () => {
    const { a, la } = pair();
    a.send({ dst: parseIpv4("8.8.8.8"), protocol: 253, length: 1, write: () => {} }, 0);
    const arp = last(la.sentFrames);
    expect(arpPacket.decode(arp, 14, arp.length).value.targetIp).toBe(parseIpv4("10.0.0.254"));
    a.configure({ gateway: 0 });
    expect(() => a.send({ dst: parseIpv4("8.8.8.8"), protocol: 253, length: 1, write: () => {} }, 0)).toThrow(NoRouteError);
    expect(a.stats().ipv4.sendFailed).toEqual({ noRoute: 1 });
  });

  it("a busy ARP entry is refreshed by a unicast request before it expires", () => {
    const { a, b, la, run } = pair();
    a.arp.insert(B, MAC_B, 0);
    const n = la.sentFrames.length;
    a.send({ dst: B, protocol: 253, length: 1, write: () => {} }, 56_000);
    const req = la.sentFrames[n];
    expect(ethernetHeader.decode(req, 0, 14).value).toEqual({ dst: MAC_B, src: MAC_A, ethertype: ETHERTYPE_ARP });
    expect(arpPacket.decode(req, 14, 42).value).toMatchObject({ op: ARP_REQUEST, targetIp: B });
    run(56_000, 56_001);
    expect(a.arpEntries(61_000).find((e) => e.address === B)?.state).toBe("reachable");
    void b;
  });

  it("static routes win over the default route by prefix length", () => {
    const { a, la } = pair();
    a.configure({ routes: [{ destination: "192.168.5.0", prefix: 24, gateway: "10.0.0.3" }] });
    expect(a.routeList().map((r) => r.origin)).toEqual(["connected", "static", "default"]);
    a.send({ dst: parseIpv4("192.168.5.7"), protocol: 253, length: 1, write: () => {} }, 0);
    expect(arpPacket.decode(last(la.sentFrames), 14, 42).value.targetIp).toBe(parseIpv4("10.0.0.3"));
  });

  it("datagrams to our own address and to 127/8 loop back without touching the link", () => {
    const { a, la } = pair();
    const got: number[] = [];
    a.register(253, { receive: (p) => (got.push(p.data[p.start]), "ok") });
    const before = la.sentFrames.length;
    a.send({ dst: A, protocol: 253, length: 1, write: (o, off) => void (o[off] = 7) }, 0);
    a.send({ dst: parseIpv4("127.0.0.1"), protocol: 253, length: 1, write: (o, off) => void (o[off] = 8) }, 0);
    a.poll(0);
    expect(got).toEqual([7, 8]);
    expect(la.sentFrames.length).toBe(before);
  });

  it("drops and counts frames for other MACs, other IPs, bad checksums", () => {
    const { a } = pair();
    const good = ipFrame(MAC_A, { header: hdr({ protocol: 200 }), payload: new Uint8Array(8) });
    expect(a.receiveFrame(ipFrame(MAC_B, { header: hdr(), payload: new Uint8Array(8) }), 0)).toBe("notForUs");
    expect(a.receiveFrame(ipFrame(MAC_A, { header: hdr({ dst: parseIpv4("10.0.0.3") }), payload: new Uint8Array(8) }), 0)).toBe("notForUs");
    const bad = good.slice();
    bad[14 + 8] ^= 1; // TTL
    expect(a.receiveFrame(bad, 0)).toBe("badChecksum");
    expect(a.receiveFrame(good.subarray(0, 20), 0)).toBe("truncated");
    expect(a.receiveFrame(new Uint8Array(5), 0)).toBe("truncated");
    const s = a.stats().link;
    expect(s.received).toBe(5);
    expect(s.dropped).toEqual({ notForUs: 2, badChecksum: 1, truncated: 2 });
  });

  it("accepts any unicast address while unconfigured (DHCP offers) and broadcasts without routes", () => {
    const [la] = MemoryLink.pair(MAC_A, MAC_B);
    const a = new IpInterface({ link: la, platform: seededPlatform(1) });
    const seen: string[] = [];
    a.register(253, { receive: (p) => (seen.push(p.cast), "ok") });
    a.receiveFrame(ipFrame(MAC_A, { header: hdr({ protocol: 253, dst: parseIpv4("10.0.0.50") }), payload: new Uint8Array(1) }), 0);
    a.receiveFrame(ipFrame(MAC_BROADCAST, { header: hdr({ protocol: 253, dst: 0xffffffff }), payload: new Uint8Array(1) }), 0);
    expect(seen).toEqual(["unicast", "broadcast"]);
    a.send({ dst: 0xffffffff, protocol: 253, length: 1, write: () => {} }, 0);
    const f = last(la.sentFrames);
    expect(ethernetHeader.decode(f, 0, 14).value.dst).toEqual(MAC_BROADCAST);
    expect(ipv4Datagram.decode(f, 14, f.length).value.header.src).toBe(0);
  });
});
