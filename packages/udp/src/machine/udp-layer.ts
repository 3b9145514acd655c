import { EPHEMERAL_PORT_MAX, EPHEMERAL_PORT_MIN, freeEphemeralPort, readU16be, type PxeError } from "@pxe/core";
import {
  Counters, dropReasonOf, IP_PROTO_UDP, NoRouteError,
  type IcmpErrorInfo, type IpInterface, type IpPacket, type IpProtocolHandler, type Ipv4Address, type TxOwner, type Verdict,
} from "@pxe/ip";
import { AddressInUseError, NoFreePortError } from "../errors.js";
import { readUdp, UDP_HEADER_LEN, writeUdp, type UdpView } from "../wire/udp.js";

/** First ephemeral port (IANA dynamic range; @pxe/core's EPHEMERAL_PORT_MIN). */
export const EPHEMERAL_MIN = EPHEMERAL_PORT_MIN;
/** Last ephemeral port (@pxe/core's EPHEMERAL_PORT_MAX). */
export const EPHEMERAL_MAX = EPHEMERAL_PORT_MAX;

/**
 * A received datagram as handed to an endpoint. `data` is a LEASE valid
 * only during the `datagram` call; the payload is data[start, end).
 */
export interface UdpInbound {
  /** Sender address. */
  src: Ipv4Address;
  /** Sender port. */
  srcPort: number;
  /** Destination address (ours, or a broadcast address). */
  dst: Ipv4Address;
  /** Destination port. */
  dstPort: number;
  /** Bytes holding the payload (lease). */
  data: Uint8Array;
  /** First payload byte. */
  start: number;
  /** Just past the payload. */
  end: number;
  /** True when sent to a broadcast address. */
  broadcast: boolean;
}

/** What an endpoint's owner (a socket) receives. */
export interface UdpEndpointHandler {
  /** A datagram arrived; return false when it could not be kept (queue full), so it is counted as dropped. */
  datagram(d: UdpInbound, now: number): boolean;
  /** An ICMP error about our datagram, or a later send failure (ARP timeout). */
  error(err: PxeError, now: number): void;
}

/** A bound UDP endpoint (lwIP's udp_pcb). */
export class UdpEndpoint implements TxOwner {
  /** Remote address when connected. */
  remoteAddress: Ipv4Address | undefined;
  /** Remote port when connected. */
  remotePort: number | undefined;
  /** Set after close. */
  closed = false;

  constructor(
    private readonly layer: UdpLayer,
    /** Local address (0 = any). */
    readonly localAddress: Ipv4Address,
    /** Local port. */
    readonly localPort: number,
    /** Where received datagrams and errors go. */
    readonly handler: UdpEndpointHandler,
  ) {}

  /** Fixes the remote address: only its datagrams are received; `send` goes there. */
  connect(address: Ipv4Address, port: number): void {
    this.remoteAddress = address >>> 0;
    this.remotePort = port;
  }

  /** Forgets the remote address. */
  disconnect(): void {
    this.remoteAddress = this.remotePort = undefined;
  }

  /**
   * Sends `payload` to address:port from our port (synchronous; may be
   * queued behind ARP). Throws NoRouteError, DatagramTooLongError.
   */
  sendTo(payload: Uint8Array, address: Ipv4Address, port: number, now: number, opts: { src?: Ipv4Address; ttl?: number } = {}): "sent" | "queued" {
    return this.layer.send(this, payload, address >>> 0, port, now, opts);
  }

  /** Releases the port. Idempotent. */
  close(): void {
    if (!this.closed) this.layer.release(this);
    this.closed = true;
  }

  /** @inheritdoc */
  sendFailed(error: PxeError, now: number): void {
    if (!this.closed) this.handler.error(error, now);
  }
}

/** Options of the UDP layer. */
export interface UdpOptions {
  /** Send ICMP port unreachable for closed ports. Default true. */
  portUnreachable?: boolean;
}

/**
 * UDP over an IpInterface (register it as protocol 17): checksums with the
 * pseudo-header (zero = none on receive), port demultiplexing (connected
 * endpoints first, then specific address, then wildcard), random ephemeral
 * ports, ICMP port unreachable for closed ports, and ICMP errors delivered
 * to the endpoint whose datagram they quote.
 */
export class UdpLayer implements IpProtocolHandler {
  /** UDP counters. */
  readonly counters = new Counters();
  private readonly ports = new Map<number, UdpEndpoint[]>();
  private readonly portUnreachable: boolean;

  constructor(readonly iface: IpInterface, opts: UdpOptions = {}) {
    this.portUnreachable = opts.portUnreachable ?? true;
  }

  /**
   * Binds an endpoint. Port 0 or undefined picks a random free ephemeral
   * port. Throws AddressInUseError when address:port overlaps a binding
   * (a wildcard address overlaps every address), NoFreePortError.
   */
  bind(handler: UdpEndpointHandler, port?: number, address: Ipv4Address = 0): UdpEndpoint {
    const p = port ? port : this.ephemeral();
    if (p < 1 || p > 65535 || !Number.isInteger(p)) throw new RangeError(`bad UDP port ${p}`);
    const list = this.ports.get(p) ?? [];
    if (list.some((e) => e.localAddress === 0 || address === 0 || e.localAddress === address)) throw new AddressInUseError(address, p);
    const ep = new UdpEndpoint(this, address >>> 0, p, handler);
    list.push(ep);
    this.ports.set(p, list);
    return ep;
  }

  /** True when some endpoint is bound to `port`. */
  isBound(port: number): boolean {
    return this.ports.has(port);
  }

  /** Bound endpoints as plain data (for `stats`/netstat). */
  bindings(): { localAddress: Ipv4Address; localPort: number; remoteAddress?: Ipv4Address; remotePort?: number }[] {
    const out = [];
    for (const l of this.ports.values()) for (const e of l) out.push({ localAddress: e.localAddress, localPort: e.localPort, remoteAddress: e.remoteAddress, remotePort: e.remotePort });
    return out;
  }

  /** @internal Removes an endpoint (UdpEndpoint.close). */
  release(ep: UdpEndpoint): void {
    const l = this.ports.get(ep.localPort);
    if (!l) return;
    const r = l.filter((e) => e !== ep);
    if (r.length) this.ports.set(ep.localPort, r);
    else this.ports.delete(ep.localPort);
  }

  private ephemeral(): number {
    const p = freeEphemeralPort(this.iface.platform, (q) => this.ports.has(q));
    if (p === undefined) throw new NoFreePortError();
    return p;
  }

  /** @internal Sends for an endpoint. */
  send(ep: UdpEndpoint, payload: Uint8Array, dst: Ipv4Address, dstPort: number, now: number, opts: { src?: Ipv4Address; ttl?: number }): "sent" | "queued" {
    if (dstPort < 1 || dstPort > 65535) throw new RangeError(`bad UDP port ${dstPort}`);
    const platform = this.iface.platform;
    try {
      const r = this.iface.send(
        {
          dst,
          protocol: IP_PROTO_UDP,
          length: UDP_HEADER_LEN + payload.length,
          src: opts.src ?? (ep.localAddress || undefined),
          ttl: opts.ttl,
          owner: ep,
          write: (out, off, src, d) => void writeUdp(out, off, ep.localPort, dstPort, payload, src, d, platform),
        },
        now,
      );
      this.counters.sent();
      return r;
    } catch (e) {
      this.counters.sendFailed(e instanceof NoRouteError ? "noRoute" : "error");
      throw e;
    }
  }

  /** @inheritdoc */
  receive(p: IpPacket, now: number): Verdict {
    return this.counters.account(this.input(p, now));
  }

  private input(p: IpPacket, now: number): Verdict {
    const h = p.header;
    let v: UdpView;
    try {
      v = readUdp(p.data, p.start, p.end, h.src, h.dst, this.iface.platform);
    } catch (e) {
      return dropReasonOf(e);
    }
    const ep = this.match(h.dst, v.dstPort, h.src, v.srcPort);
    if (!ep) {
      if (p.cast !== "unicast") return "noListener";
      if (this.portUnreachable) this.iface.sendIcmpError(3, 3, p, now);
      return "portUnreachable";
    }
    const ok = ep.handler.datagram({ src: h.src, srcPort: v.srcPort, dst: h.dst, dstPort: v.dstPort, data: p.data, start: v.payloadStart, end: v.payloadEnd, broadcast: p.cast !== "unicast" }, now);
    return ok ? "ok" : "queueFull";
  }

  /** The best endpoint for a datagram: connected match, then specific address, then wildcard. */
  private match(dst: Ipv4Address, dstPort: number, src: Ipv4Address, srcPort: number): UdpEndpoint | undefined {
    const l = this.ports.get(dstPort);
    if (!l) return undefined;
    let best: UdpEndpoint | undefined;
    let score = -1;
    for (const e of l) {
      if (e.localAddress !== 0 && e.localAddress !== dst) continue;
      let s = e.localAddress !== 0 ? 1 : 0;
      if (e.remoteAddress !== undefined) {
        if (e.remoteAddress !== src || e.remotePort !== srcPort) continue;
        s += 2;
      }
      if (s > score) ((best = e), (score = s));
    }
    return best;
  }

  /** @inheritdoc */
  icmpError(info: IcmpErrorInfo, now: number): void {
    const q = info.quoted;
    if (q.payload.length < 4) return;
    const sport = readU16be(q.payload, 0);
    const dport = readU16be(q.payload, 2);
    const l = this.ports.get(sport);
    if (!l) return;
    for (const e of l) {
      if (e.localAddress !== 0 && e.localAddress !== q.src) continue;
      if (e.remoteAddress !== undefined && (e.remoteAddress !== q.dst || e.remotePort !== dport)) continue;
      e.handler.error(info.error, now);
      return;
    }
  }
}
