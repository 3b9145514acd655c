import { WireError, type Platform, readU16be, readU32be } from "@pxe/core";
import { Counters, NoRouteError, type IcmpErrorInfo, type IpPacket, type IpProtocolHandler, type IpSendRequest, type LayerCounters, type Verdict } from "@pxe/ip";
import { IP_PROTO_TCP, TcpFlags as FL } from "../wire/constants.js";
import { verifyTcpChecksum } from "../wire/checksum.js";
import { tcpHeaderCodec, type TcpHeader } from "../wire/header.js";
import { encodeSegmentInto, segmentLength } from "../wire/segment.js";
import type { TcpConfig } from "../machine/config.js";
import { TcpConnection } from "../machine/connection.js";
import { resetReplyFor } from "../machine/reset.js";
import { TcpState } from "../machine/state.js";
import { ephemeralPort } from "../ports.js";

/** What the layer needs from the IP interface below (IpInterface fits). */
export interface TcpIpSender {
  /** Sends one datagram; `write` builds the payload in place. */
  send(req: IpSendRequest, now: number): "sent" | "queued";
  /** Our address (0 while unconfigured). */
  readonly config: { readonly address: number };
}

/** Settings of a TcpLayer. */
export interface TcpLayerOptions {
  /** The IP interface (e.g. `stack.ip`). */
  ip: TcpIpSender;
  /** Randomness (ISNs, ports) and the checksum accelerator. */
  platform: Platform;
  /** Defaults for every connection the layer makes. */
  config?: Partial<TcpConfig>;
}

/** A passive listener: a new connection per SYN to `port`. */
interface Listener {
  onAccept: (conn: TcpConnection) => void;
  config: Partial<TcpConfig> | undefined;
}

/** TCP counters as plain data (`stack.stats().tcp`). */
export interface TcpLayerStats extends LayerCounters {
  /** Connections in the demultiplexer. */
  connections: number;
  /** RSTs sent for segments that matched no connection. */
  resetsSent: number;
}

function key(localPort: number, remoteAddr: number, remotePort: number): string {
  return `${localPort}|${remoteAddr >>> 0}|${remotePort}`;
}

/**
 * TCP as an IP protocol handler (register it for protocol 6): verifies
 * checksums, demultiplexes segments to TcpConnections by 4-tuple, answers
 * strays with RST, runs every connection's timers on `poll`, and sends
 * their segments through the IP interface, encoding in place with the
 * pseudo-header checksum. Synchronous; the socket API sits on top.
 */
export class TcpLayer implements IpProtocolHandler {
  /** Receive/send counters in the IP layers' format. */
  readonly counters = new Counters();
  private readonly ip: TcpIpSender;
  private readonly platform: Platform;
  private readonly config: Partial<TcpConfig> | undefined;
  private readonly conns = new Map<string, TcpConnection>();
  private readonly listeners = new Map<number, Listener>();
  private resetsSent = 0;

  /** Creates the layer; register it with `stack.registerProtocol(6, layer)`. */
  constructor(o: TcpLayerOptions) {
    this.ip = o.ip;
    this.platform = o.platform;
    this.config = o.config;
  }

  /**
   * Opens a connection to `remoteAddr:remotePort` from a random ephemeral
   * port (or `localPort`) and sends the SYN. Throws RangeError when the
   * 4-tuple is taken.
   */
  connect(remoteAddr: number, remotePort: number, now: number, opts: { localPort?: number; config?: Partial<TcpConfig> } = {}): TcpConnection {
    const lp = opts.localPort || ephemeralPort(this.platform, (p) => this.conns.has(key(p, remoteAddr, remotePort)) || this.listeners.has(p));
    const k = key(lp, remoteAddr, remotePort);
    if (this.conns.has(k)) throw new RangeError(`TCP port ${lp} is already connected to that peer`);
    const conn = new TcpConnection({ platform: this.platform, localAddr: this.ip.config.address, localPort: lp, remoteAddr, remotePort, config: { ...this.config, ...opts.config } });
    this.conns.set(k, conn);
    conn.connect(now);
    this.flush(conn, now);
    return conn;
  }

  /** Accepts connections to `port`: `onAccept` gets each new one (in SYN-RECEIVED). */
  listen(port: number, onAccept: (conn: TcpConnection) => void, config?: Partial<TcpConfig>): void {
    if (this.listeners.has(port)) throw new RangeError(`TCP port ${port} is already listening`);
    this.listeners.set(port, { onAccept, config });
  }

  /** Stops accepting on `port` (existing connections continue). */
  unlisten(port: number): void {
    this.listeners.delete(port);
  }

  /** Sends whatever `conn` has to send now (call after send/recv/close). */
  flush(conn: TcpConnection, now: number): void {
    for (const s of conn.poll(now)) this.transmit(conn.remoteAddr, conn.localAddr, s.header, s.payload, now);
  }

  /** @inheritdoc */
  receive(p: IpPacket, now: number): Verdict {
    return this.counters.account(this.input(p, now));
  }

  private input(p: IpPacket, now: number): Verdict {
    if (p.cast !== "unicast") return "broadcast";
    let h: TcpHeader;
    let payloadStart: number;
    try {
      const d = tcpHeaderCodec.decode(p.data, p.start, p.end);
      h = d.value;
      payloadStart = d.next;
    } catch (e) {
      if (e instanceof WireError) return "malformed";
      throw e;
    }
    if (!verifyTcpChecksum(p.header.src, p.header.dst, p.data, p.start, p.end, this.platform)) return "badChecksum";
    const payload = p.data.subarray(payloadStart, p.end);
    const k = key(h.dstPort, p.header.src, h.srcPort);
    let conn = this.conns.get(k);
    if (!conn) {
      const l = this.listeners.get(h.dstPort);
      if (l && h.flags & FL.SYN && !(h.flags & (FL.ACK | FL.RST))) {
        conn = new TcpConnection({ platform: this.platform, localAddr: p.header.dst, localPort: h.dstPort, remoteAddr: p.header.src, remotePort: h.srcPort, config: { ...this.config, ...l.config } });
        conn.listen();
        this.conns.set(k, conn);
        conn.onSegment(now, h, payload);
        this.flush(conn, now);
        l.onAccept(conn);
        return "ok";
      }
      const r = resetReplyFor(h, payload.length);
      if (r) {
        this.resetsSent++;
        this.transmit(p.header.src, p.header.dst, r, new Uint8Array(0), now);
      }
      return "noConnection";
    }
    // No flush here: the stack calls poll() once the whole batch of received
    // frames is in, so one ACK covers a burst (per-segment ACKs overflowed
    // the TAP bridge's socket at speed and halved throughput).
    conn.onSegment(now, h, payload);
    return "ok";
  }

  /** @inheritdoc Passes ICMP errors about our segments to their connection. */
  icmpError(info: IcmpErrorInfo, now: number): void {
    const q = info.quoted;
    if (q.protocol !== IP_PROTO_TCP || q.payload.length < 8) return;
    const b = q.payload;
    const srcPort = readU16be(b, 0);
    const dstPort = readU16be(b, 2);
    const seqNo = readU32be(b, 4);
    const conn = this.conns.get(key(srcPort, q.dst, dstPort));
    if (!conn) return;
    const e = info.error;
    const hard = e.icmpType === 3 && (e.icmpCode === 2 || e.icmpCode === 3);
    conn.onIcmpError(now, hard, seqNo, e);
    this.flush(conn, now);
  }

  /** @inheritdoc Runs every connection's timers and drops closed ones from the demultiplexer. */
  poll(now: number): void {
    for (const [k, c] of this.conns) {
      this.flush(c, now);
      if (c.state === TcpState.CLOSED) this.conns.delete(k);
    }
  }

  /** @inheritdoc */
  nextDeadline(): number | undefined {
    let t: number | undefined;
    for (const c of this.conns.values()) {
      const d = c.nextDeadline();
      if (d !== undefined && (t === undefined || d < t)) t = d;
    }
    return t;
  }

  /** Counters and the number of live connections. */
  stats(): TcpLayerStats {
    return { ...this.counters.snapshot(), connections: this.conns.size, resetsSent: this.resetsSent };
  }

  private transmit(dst: number, src: number, h: TcpHeader, payload: Uint8Array, now: number): void {
    const platform = this.platform;
    try {
      this.ip.send(
        {
          dst,
          src: src || undefined,
          protocol: IP_PROTO_TCP,
          length: segmentLength(h, payload.length),
          write: (out, off, s, d) => void encodeSegmentInto(h, payload, s, d, out, off, platform),
        },
        now,
      );
      this.counters.sent();
    } catch (e) {
      // The connection retransmits and times out on its own.
      this.counters.sendFailed(e instanceof NoRouteError ? "noRoute" : "error");
    }
  }
}
