import { PxeError, type Platform, readU16be } from "@pxe/core";
import type { LinkDriver, LinkStatistics } from "@pxe/undi";
import { ArpTimeoutError, DatagramTooLongError, NoRouteError } from "../errors.js";
import { IPV4_BROADCAST, isMulticast, MAC_BROADCAST, MAC_ZERO, macEqual, prefixToMask, type Ipv4Address } from "../wire/address.js";
import { ARP_LEN, ARP_REPLY, ARP_REQUEST, arpPacket, type ArpPacket } from "../wire/arp.js";
import { ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4, IP_PROTO_ICMP, IPV4_MAX_DATAGRAM, IPV4_MIN_HEADER_LEN } from "../wire/constants.js";
import { ETH_TYPE, writeEthernetHeader } from "../wire/ethernet.js";
import { parseIpv4Datagram, writeIpv4Header, type Ipv4View } from "../wire/ipv4.js";
import { ArpCache, type ArpEntry, type ArpOptions } from "./arp-cache.js";
import { dropReasonOf } from "./classify.js";
import { normalizeConfig, UNCONFIGURED, type InterfaceConfig, type InterfaceConfigInput } from "./config.js";
import { Counters, type LayerCounters, type Verdict } from "./counters.js";
import { fragmentSlices } from "./fragment.js";
import { IcmpLayer } from "./icmp-layer.js";
import type { PingOptions, PingSession } from "./ping.js";
import { Reassembler, type ReassemblyOptions, type ReassemblyStats } from "./reassembly.js";
import { RouteTable, type Route } from "./routes.js";
import type { IpPacket, IpProtocolHandler, IpSendRequest, TxOwner } from "./types.js";

/** Options of an IpInterface. */
export interface IpInterfaceOptions {
  /** The link to run on (any @pxe/undi backend). It is opened by the constructor. */
  link: LinkDriver;
  /** Clock-free host services: random ids, checksum accelerator. */
  platform: Platform;
  /** Initial configuration (default: unconfigured, 0.0.0.0). */
  config?: InterfaceConfigInput;
  /** ARP cache tunables. */
  arp?: ArpOptions;
  /** Reassembly limits. */
  reassembly?: ReassemblyOptions;
  /** ICMP errors sent per second at most. Default 100. */
  icmpErrorsPerSecond?: number;
  /** Frames taken from the link per poll at most (default: all that are there). */
  pollBudget?: number;
}

/** Counters of every layer of an interface, as plain data (`stats`). */
export interface IpStats {
  /** Every received frame's final fate: received = delivered + sum(dropped), whatever layer dropped it. */
  link: LayerCounters;
  /** ARP packets. */
  arp: LayerCounters;
  /** IPv4 datagrams (delivered = handed to a protocol or to reassembly). */
  ipv4: LayerCounters;
  /** ICMP messages. */
  icmp: LayerCounters;
  /** Fragment reassembly. */
  reassembly: ReassemblyStats;
  /** The link driver's own counters (UNDI statistics). */
  driver: LinkStatistics;
}

interface Queued {
  frames: Uint8Array[];
  owner: TxOwner | undefined;
}

const DEFAULT_TTL = 64;

/**
 * Ethernet II + ARP + IPv4 + ICMP over one LinkDriver, as a synchronous
 * machine driven by `poll(now)`. Transports register per protocol number
 * (`register(17, udp)`, later `register(6, tcp)`) and send through `send`.
 *
 * Leases: frames from LinkDriver.poll are valid only inside its callback;
 * the interface parses them in place and hands protocol handlers a view
 * (IpPacket.data) that is equally a lease. Anything kept (fragments, ARP
 * senders' MACs) is copied.
 */
export class IpInterface {
  /** The link below. */
  readonly link: LinkDriver;
  /** The host platform. */
  readonly platform: Platform;
  /** Our MAC (a copy of the link's). */
  readonly mac: Uint8Array;
  /** Largest IP datagram per frame. */
  readonly mtu: number;
  /** The ARP cache. */
  readonly arp: ArpCache<Queued>;
  /** The route table (rebuilt on configure). */
  readonly routes = new RouteTable();
  /** The fragment reassembler. */
  readonly reassembler: Reassembler;
  /** ICMP (echo, ping sessions, errors). */
  readonly icmp: IcmpLayer;
  private readonly handlers = new Map<number, IpProtocolHandler>();
  private cfg: InterfaceConfig = UNCONFIGURED;
  private readonly cLink = new Counters();
  private readonly cArp = new Counters();
  private readonly cIp = new Counters();
  private nextId: number;
  private readonly loop: Uint8Array[] = [];
  private readonly budget: number | undefined;
  private pollNow = 0;
  private readonly onFrame = (f: Uint8Array): void => void this.receiveFrame(f, this.pollNow);

  constructor(o: IpInterfaceOptions) {
    this.link = o.link;
    this.platform = o.platform;
    this.mac = o.link.info.mac.slice(0, 6);
    this.mtu = o.link.info.mtu;
    this.arp = new ArpCache(o.arp);
    this.reassembler = new Reassembler(o.reassembly);
    this.budget = o.pollBudget;
    this.icmp = new IcmpLayer({ send: (r, n) => this.send(r, n), handler: (p) => this.handlers.get(p), platform: o.platform }, o.icmpErrorsPerSecond);
    this.handlers.set(IP_PROTO_ICMP, this.icmp);
    const b = new Uint8Array(2);
    o.platform.randomBytes(b);
    this.nextId = readU16be(b, 0);
    this.configure(o.config ?? {});
    this.link.open({ directed: true, broadcast: true });
  }

  /** The current configuration (a copy). */
  get config(): InterfaceConfig {
    return normalizeConfig({}, this.cfg);
  }

  /**
   * Merges `input` into the configuration (DHCP calls this) and rebuilds
   * the route table: the connected subnet, the default route via the
   * gateway, and static routes. Returns the new configuration.
   */
  configure(input: InterfaceConfigInput): InterfaceConfig {
    this.cfg = normalizeConfig(input, this.cfg);
    const c = this.cfg;
    this.routes.clear();
    if (c.address !== 0) {
      this.routes.add({ destination: c.address, prefix: c.prefix, gateway: 0, origin: "connected" });
      if (c.gateway !== 0) this.routes.add({ destination: 0, prefix: 0, gateway: c.gateway, origin: "default" });
    }
    for (const r of c.routes) this.routes.add({ ...r, origin: "static" });
    return this.config;
  }

  /** Registers the handler of an IP protocol number (6 TCP, 17 UDP). Throws if taken. */
  register(protocol: number, handler: IpProtocolHandler): void {
    if (this.handlers.has(protocol)) throw new RangeError(`IP protocol ${protocol} already has a handler`);
    this.handlers.set(protocol, handler);
  }

  /** Removes the handler of a protocol number. */
  unregister(protocol: number): void {
    if (protocol !== IP_PROTO_ICMP) this.handlers.delete(protocol);
  }

  /** The handler registered for `protocol`. */
  handler(protocol: number): IpProtocolHandler | undefined {
    return this.handlers.get(protocol);
  }

  /**
   * Receives what the link has by `now`, then runs due timers: ARP retries
   * and failures, reassembly timeouts, ping sessions, protocol handlers.
   * Returns the number of frames processed.
   */
  poll(now: number): number {
    this.pollNow = now;
    const n = this.link.poll(now, this.onFrame, this.budget);
    // Timers run after input (TCP acknowledges the whole batch at once) or
    // when one is due: an empty poll before the next deadline does nothing more.
    const busy = n > 0 || this.loop.length > 0;
    while (this.loop.length) {
      const d = this.loop.shift()!;
      this.ipInput(d, 0, d.length, now, true);
    }
    if (busy || now >= (this.nextDeadline() ?? Infinity)) this.runTimers(now);
    return n;
  }

  /** The earliest time `poll` has timer work, if any (frames may arrive sooner). */
  nextDeadline(): number | undefined {
    if (this.loop.length) return -Infinity;
    let t = this.arp.nextDeadline();
    const r = this.reassembler.nextDeadline();
    if (r !== undefined && (t === undefined || r < t)) t = r;
    for (const h of this.handlers.values()) {
      const d = h.nextDeadline?.();
      if (d !== undefined && (t === undefined || d < t)) t = d;
    }
    return t;
  }

  private runTimers(now: number): void {
    const r = this.arp.poll(now);
    for (const ip of r.retry) this.sendArp(ARP_REQUEST, MAC_BROADCAST, MAC_ZERO, ip);
    for (const f of r.failed) this.arpFailed(f.address, f.tries, f.packets, now);
    this.reassembler.poll(now);
    for (const h of this.handlers.values()) h.poll?.(now);
  }

  private arpFailed(address: Ipv4Address, tries: number, packets: Queued[], now: number): void {
    const err = new ArpTimeoutError(address, tries);
    const owners = new Set<TxOwner>();
    for (const q of packets) {
      this.cIp.sendFailed("arpTimeout");
      if (q.owner) owners.add(q.owner);
    }
    for (const o of owners) o.sendFailed(err, now);
  }

  // ---------------------------------------------------------------- receive

  /**
   * Processes one received Ethernet frame (a lease) and returns its fate;
   * counted exactly once in `stats().link`. Public for tests and fuzzing.
   */
  receiveFrame(frame: Uint8Array, now: number): Verdict {
    return this.cLink.account(this.ethernetInput(frame, now));
  }

  private ethernetInput(f: Uint8Array, now: number): Verdict {
    if (f.length < ETHERNET_HEADER_LEN) return "truncated";
    if (!macEqual(f.subarray(0, 6), this.mac) && !macEqual(f.subarray(0, 6), MAC_BROADCAST)) return "notForUs";
    const type = readU16be(f, ETH_TYPE);
    if (type === ETHERTYPE_ARP) return this.cArp.account(this.arpInput(f, now));
    if (type === ETHERTYPE_IPV4) return this.ipInput(f, ETHERNET_HEADER_LEN, f.length, now);
    return "unknownEthertype";
  }

  private arpInput(f: Uint8Array, now: number): Verdict {
    let p: ArpPacket;
    try {
      p = arpPacket.decode(f, ETHERNET_HEADER_LEN, f.length).value;
    } catch (e) {
      return dropReasonOf(e);
    }
    if (p.op !== ARP_REQUEST && p.op !== ARP_REPLY) return "malformed";
    const me = this.cfg.address;
    if (macEqual(p.senderMac, this.mac)) return "notForUs"; // our own, looped back
    const forMe = me !== 0 && p.targetIp === me;
    let used = false;
    if (p.senderIp !== 0 && p.senderIp !== IPV4_BROADCAST && !isMulticast(p.senderIp) && !(p.senderMac[0] & 1)) {
      const released = forMe ? this.arp.insert(p.senderIp, p.senderMac, now) : this.arp.update(p.senderIp, p.senderMac, now);
      if (released) {
        used = true;
        for (const q of released) for (const fr of q.frames) this.transmitIp(fr, p.senderMac);
      }
    }
    if (forMe && p.op === ARP_REQUEST) {
      this.sendArp(ARP_REPLY, p.senderMac, p.senderMac, p.senderIp);
      used = true;
    }
    return used || forMe ? "ok" : "notForUs";
  }

  private ipInput(data: Uint8Array, start: number, end: number, now: number, looped = false): Verdict {
    let v: Ipv4View;
    try {
      v = parseIpv4Datagram(data, start, end, this.platform);
    } catch (e) {
      return this.cIp.account(dropReasonOf(e));
    }
    const h = v.header;
    if (h.src === IPV4_BROADCAST || isMulticast(h.src)) return this.cIp.account("martian");
    const me = this.cfg.address;
    let cast: IpPacket["cast"];
    if (h.dst === IPV4_BROADCAST || (me !== 0 && this.cfg.prefix < 31 && h.dst === this.subnetBroadcast())) cast = "broadcast";
    else if (me === 0 ? !isMulticast(h.dst) : h.dst === me) cast = "unicast";
    else if (looped && h.dst >>> 24 === 127) cast = "unicast";
    else return this.cIp.account("notForUs");
    if (h.moreFragments || h.fragmentOffset > 0) {
      const r = this.reassembler.add({ src: h.src, dst: h.dst, protocol: h.protocol, id: h.id }, h.fragmentOffset, h.moreFragments, data.subarray(v.payloadStart, v.payloadEnd), now);
      if (r.kind === "dropped") return this.cIp.account(r.reason);
      if (r.kind === "held") return this.cIp.account("ok");
      const whole = { ...h, moreFragments: false, fragmentOffset: 0, totalLength: Math.min(IPV4_MAX_DATAGRAM, r.payload.length + IPV4_MIN_HEADER_LEN + h.options.length) };
      return this.dispatch({ header: whole, data: r.payload, start: 0, end: r.payload.length, cast }, now);
    }
    return this.dispatch({ header: h, data, start: v.payloadStart, end: v.payloadEnd, cast }, now);
  }

  private dispatch(p: IpPacket, now: number): Verdict {
    const h = this.handlers.get(p.header.protocol);
    if (!h) {
      this.icmp.sendError(3, 2, p, now);
      return this.cIp.account("unknownProtocol");
    }
    this.cIp.account("ok");
    return h.receive(p, now);
  }

  private subnetBroadcast(): Ipv4Address {
    return (this.cfg.address | ~prefixToMask(this.cfg.prefix)) >>> 0;
  }

  // ------------------------------------------------------------------- send

  /**
   * Sends one IPv4 datagram: routes it (longest prefix), builds it in place
   * with `req.write`, fragments it to the MTU, resolves the next hop by
   * ARP (queuing while it resolves). Returns "sent" or "queued". Throws
   * NoRouteError (no route, nothing sent) or DatagramTooLongError.
   * Later failures (ARP timeout) go to `req.owner.sendFailed`.
   */
  send(req: IpSendRequest, now: number): "sent" | "queued" {
    const dst = req.dst >>> 0;
    const src = (req.src ?? this.cfg.address) >>> 0;
    const hl = IPV4_MIN_HEADER_LEN;
    if (req.length > IPV4_MAX_DATAGRAM - hl) throw new DatagramTooLongError(req.length, IPV4_MAX_DATAGRAM - hl);
    if (req.dontFragment && req.length > this.mtu - hl) throw new DatagramTooLongError(req.length, this.mtu - hl);
    let mac: Uint8Array | undefined;
    let nextHop = 0;
    let local = false;
    if (dst === IPV4_BROADCAST || (this.cfg.address !== 0 && this.cfg.prefix < 31 && dst === this.subnetBroadcast())) mac = MAC_BROADCAST;
    else if (isMulticast(dst)) mac = Uint8Array.of(1, 0, 0x5e, (dst >>> 16) & 0x7f, (dst >>> 8) & 255, dst & 255);
    else if ((this.cfg.address !== 0 && dst === this.cfg.address) || dst >>> 24 === 127) local = true;
    else {
      const route = this.routes.lookup(dst);
      if (!route) {
        this.cIp.sendFailed("noRoute");
        throw new NoRouteError(dst);
      }
      nextHop = route.gateway || dst;
      mac = this.arp.lookup(nextHop, now);
      if (mac && this.arp.needsRefresh(nextHop, now)) this.sendArp(ARP_REQUEST, mac, MAC_ZERO, nextHop);
    }
    const frames = this.build(req, src, dst);
    this.cIp.sent();
    if (local) {
      for (const f of frames) this.loop.push(f.slice(ETHERNET_HEADER_LEN));
      return "sent";
    }
    if (mac) {
      for (const f of frames) this.transmitIp(f, mac);
      return "sent";
    }
    const r = this.arp.enqueue(nextHop, { frames, owner: req.owner }, now);
    if (r === "full") {
      this.cIp.sendFailed("arpQueueFull");
      return "queued";
    }
    if (r === "request") this.sendArp(ARP_REQUEST, MAC_BROADCAST, MAC_ZERO, nextHop);
    return "queued";
  }

  /** Builds the frames (14 bytes of headroom each) of one datagram. */
  private build(req: IpSendRequest, src: Ipv4Address, dst: Ipv4Address): Uint8Array[] {
    const hl = IPV4_MIN_HEADER_LEN;
    const id = this.nextId;
    this.nextId = (this.nextId + 1) & 0xffff;
    const base = { tos: req.tos ?? 0, id, dontFragment: req.dontFragment ?? false, ttl: req.ttl ?? DEFAULT_TTL, protocol: req.protocol, src, dst, options: new Uint8Array(0) };
    const slices = fragmentSlices(req.length, this.mtu, hl);
    if (slices.length === 1) {
      const f = new Uint8Array(ETHERNET_HEADER_LEN + hl + req.length);
      req.write(f, ETHERNET_HEADER_LEN + hl, src, dst);
      writeIpv4Header(f, ETHERNET_HEADER_LEN, { ...base, totalLength: hl + req.length, moreFragments: false, fragmentOffset: 0 }, this.platform);
      return [f];
    }
    const payload = new Uint8Array(req.length);
    req.write(payload, 0, src, dst);
    return slices.map((s) => {
      const f = new Uint8Array(ETHERNET_HEADER_LEN + hl + s.length);
      f.set(payload.subarray(s.offset, s.offset + s.length), ETHERNET_HEADER_LEN + hl);
      writeIpv4Header(f, ETHERNET_HEADER_LEN, { ...base, totalLength: hl + s.length, moreFragments: s.more, fragmentOffset: s.offset }, this.platform);
      return f;
    });
  }

  private transmitIp(frame: Uint8Array, dstMac: Uint8Array): void {
    writeEthernetHeader(frame, 0, dstMac, this.mac, ETHERTYPE_IPV4);
    this.transmit(frame);
  }

  private transmit(frame: Uint8Array): void {
    let ok: boolean;
    try {
      ok = this.link.transmit(frame);
    } catch (e) {
      // A driver refusing a frame (closed link, ...) must not break the receive path that answered.
      if (!(e instanceof PxeError)) throw e;
      this.cLink.sendFailed("linkError");
      return;
    }
    if (ok) this.cLink.sent();
    else this.cLink.sendFailed("linkBusy");
  }

  private sendArp(op: number, ethDst: Uint8Array, targetMac: Uint8Array, targetIp: Ipv4Address): void {
    const f = new Uint8Array(ETHERNET_HEADER_LEN + ARP_LEN);
    writeEthernetHeader(f, 0, ethDst, this.mac, ETHERTYPE_ARP);
    arpPacket.encodeInto({ op, senderMac: this.mac, senderIp: this.cfg.address, targetMac, targetIp }, f, ETHERNET_HEADER_LEN);
    this.cArp.sent();
    this.transmit(f);
  }

  /**
   * Sends an ICMP destination-unreachable (type 3) or time-exceeded (11)
   * about received packet `p` (e.g. UDP port unreachable: 3/3).
   */
  sendIcmpError(type: number, code: number, p: IpPacket, now: number): void {
    this.icmp.sendError(type, code, p, now);
  }

  // ------------------------------------------------------------ ping & data

  /** Starts a ping run (driven by poll); read `stats()` of the session, then `endPing`. */
  startPing(dst: Ipv4Address, opts: PingOptions, now: number): PingSession {
    return this.icmp.startPing(dst, opts, now);
  }

  /** Forgets a ping session. */
  endPing(s: PingSession): void {
    this.icmp.endPing(s);
  }

  /** ARP cache rows as plain data. */
  arpEntries(now: number): ArpEntry[] {
    return this.arp.entries(now);
  }

  /** Routes as plain data. */
  routeList(): Route[] {
    return this.routes.routes();
  }

  /** Counters of every layer (copies). */
  stats(): IpStats {
    return { link: this.cLink.snapshot(), arp: this.cArp.snapshot(), ipv4: this.cIp.snapshot(), icmp: this.icmp.counters.snapshot(), reassembly: this.reassembler.stats(), driver: this.link.statistics() };
  }

  /** Sends a gratuitous ARP for our address (announce after configure). */
  announce(): void {
    if (this.cfg.address !== 0) this.sendArp(ARP_REQUEST, MAC_BROADCAST, MAC_ZERO, this.cfg.address);
  }
}
