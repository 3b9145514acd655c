/**
 * fast-check arbitraries for @pxe/ip messages, and an in-memory LinkDriver
 * pair for tests ("@pxe/ip/testing").
 */
import fc from "fast-check";
import type { LinkDriver, LinkInfo, LinkStatistics, PacketFilter } from "@pxe/undi";
import type { Ipv4Address } from "./wire/address.js";
import type { ArpPacket } from "./wire/arp.js";
import type { EthernetFrame, EthernetHeader } from "./wire/ethernet.js";
import type { IcmpMessage } from "./wire/icmp.js";
import type { Ipv4Datagram, Ipv4Header } from "./wire/ipv4.js";

/** Any IPv4 address. */
export const arbIpv4: fc.Arbitrary<Ipv4Address> = fc.integer({ min: 0, max: 0xffffffff });

/** Any 6-byte MAC. */
export const arbMac: fc.Arbitrary<Uint8Array> = fc.uint8Array({ minLength: 6, maxLength: 6 });

/** Ethernet II headers. */
export const arbEthernetHeader: fc.Arbitrary<EthernetHeader> = fc.record({ dst: arbMac, src: arbMac, ethertype: fc.integer({ min: 0, max: 0xffff }) });

/** Ethernet II frames with payloads up to `maxPayload` (default 1500). */
export function arbEthernetFrame(maxPayload = 1500): fc.Arbitrary<EthernetFrame> {
  return fc.record({ dst: arbMac, src: arbMac, ethertype: fc.integer({ min: 0, max: 0xffff }), payload: fc.uint8Array({ maxLength: maxPayload }) });
}

/** ARP packets (any op). */
export const arbArpPacket: fc.Arbitrary<ArpPacket> = fc.record({
  op: fc.integer({ min: 0, max: 0xffff }),
  senderMac: arbMac,
  senderIp: arbIpv4,
  targetMac: arbMac,
  targetIp: arbIpv4,
});

/** IPv4 options: 0..40 bytes in multiples of 4. */
export const arbIpv4Options: fc.Arbitrary<Uint8Array> = fc.integer({ min: 0, max: 10 }).chain((n) => fc.uint8Array({ minLength: n * 4, maxLength: n * 4 }));

/** IPv4 header fields without the total length. */
export const arbIpv4HeaderFields: fc.Arbitrary<Omit<Ipv4Header, "totalLength">> = fc.record({
  tos: fc.integer({ min: 0, max: 255 }),
  id: fc.integer({ min: 0, max: 0xffff }),
  dontFragment: fc.boolean(),
  moreFragments: fc.boolean(),
  fragmentOffset: fc.integer({ min: 0, max: 0x1fff }).map((n) => n * 8),
  ttl: fc.integer({ min: 0, max: 255 }),
  protocol: fc.integer({ min: 0, max: 255 }),
  src: arbIpv4,
  dst: arbIpv4,
  options: arbIpv4Options,
});

/** IPv4 headers with a consistent total length (>= header length). */
export const arbIpv4Header: fc.Arbitrary<Ipv4Header> = arbIpv4HeaderFields.chain((h) =>
  fc.integer({ min: 20 + h.options.length, max: 0xffff }).map((totalLength) => ({ ...h, totalLength })),
);

/** Whole IPv4 datagrams with payloads up to `maxPayload` (default 1480). */
export function arbIpv4Datagram(maxPayload = 1480): fc.Arbitrary<Ipv4Datagram> {
  return fc.record({ header: arbIpv4HeaderFields, payload: fc.uint8Array({ maxLength: maxPayload }) });
}

/** ICMP messages of every kind (the "other" kind never uses types 0, 3, 8, 11). */
export const arbIcmpMessage: fc.Arbitrary<IcmpMessage> = fc.oneof(
  fc.record({ kind: fc.constantFrom("echoRequest" as const, "echoReply" as const), id: fc.integer({ min: 0, max: 0xffff }), seq: fc.integer({ min: 0, max: 0xffff }), data: fc.uint8Array({ maxLength: 200 }) }),
  fc.record({ kind: fc.constant("destUnreachable" as const), code: fc.integer({ min: 0, max: 255 }), nextHopMtu: fc.integer({ min: 0, max: 0xffff }), original: fc.uint8Array({ maxLength: 100 }) }),
  fc.record({ kind: fc.constant("timeExceeded" as const), code: fc.integer({ min: 0, max: 255 }), original: fc.uint8Array({ maxLength: 100 }) }),
  fc.record({
    kind: fc.constant("other" as const),
    type: fc.integer({ min: 0, max: 255 }).filter((t) => t !== 0 && t !== 3 && t !== 8 && t !== 11),
    code: fc.integer({ min: 0, max: 255 }),
    rest: fc.integer({ min: 0, max: 0xffffffff }),
    data: fc.uint8Array({ maxLength: 100 }),
  }),
);

/**
 * One end of an in-memory Ethernet: what one end transmits the other
 * receives at its next poll (no delay, no loss). Frames are copied on
 * transmit; received frames are leases (the buffer is scribbled over after
 * the callback, so tests catch code that keeps them).
 */
export class MemoryLink implements LinkDriver {
  /** @inheritdoc */
  readonly info: LinkInfo;
  /** The other end. */
  peer: MemoryLink | undefined;
  /** Frames waiting to be polled. */
  readonly inbox: Uint8Array[] = [];
  /** Every frame transmitted (copies), for assertions. */
  readonly sentFrames: Uint8Array[] = [];
  /** When true, transmit drops frames (returns false). */
  full = false;
  private opened = false;
  private readonly stats: LinkStatistics = { xmitGoodFrames: 0, rcvGoodFrames: 0, rcvCrcErrors: 0, rcvResourceErrors: 0, dropped: 0 };

  constructor(mac: Uint8Array, mtu = 1500, name = "mem") {
    this.info = { mac: mac.slice(), mtu, linkType: 1, name };
  }

  /** @inheritdoc */
  open(_filter?: PacketFilter): void {
    this.opened = true;
  }

  /** @inheritdoc */
  close(): void {
    this.opened = false;
  }

  /** @inheritdoc */
  transmit(frame: Uint8Array): boolean {
    if (frame.length > this.info.mtu + 14) throw new RangeError(`frame of ${frame.length} bytes exceeds MTU ${this.info.mtu}`);
    if (this.full) {
      this.stats.dropped++;
      return false;
    }
    const copy = frame.slice();
    this.sentFrames.push(copy);
    this.stats.xmitGoodFrames++;
    this.peer?.inbox.push(copy.slice());
    return true;
  }

  /** @inheritdoc */
  poll(_now: number, onFrame: (frame: Uint8Array) => void, budget = Infinity): number {
    let n = 0;
    while (n < budget && this.inbox.length) {
      const f = this.inbox.shift()!;
      if (!this.opened) continue;
      this.stats.rcvGoodFrames++;
      onFrame(f);
      f.fill(0xee); // the lease is over
      n++;
    }
    return n;
  }

  /** @inheritdoc */
  statistics(): LinkStatistics {
    return { ...this.stats };
  }

  /** Two connected ends with the given MACs. */
  static pair(macA: Uint8Array, macB: Uint8Array, mtu = 1500): [MemoryLink, MemoryLink] {
    const a = new MemoryLink(macA, mtu, "mem-a"), b = new MemoryLink(macB, mtu, "mem-b");
    a.peer = b;
    b.peer = a;
    return [a, b];
  }
}
