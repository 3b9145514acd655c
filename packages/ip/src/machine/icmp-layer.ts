import { readU16be, type Platform } from "@pxe/core";
import { IcmpErrorReport, NoRouteError } from "../errors.js";
import { formatIpv4, type Ipv4Address } from "../wire/address.js";
import { IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP, IPV4_MIN_HEADER_LEN } from "../wire/constants.js";
import { ICMP_HEADER_LEN, parseQuoted, readIcmp, writeIcmp, type IcmpMessage } from "../wire/icmp.js";
import { writeIpv4Header } from "../wire/ipv4.js";
import { dropReasonOf } from "./classify.js";
import { Counters, type Verdict } from "./counters.js";
import { PingSession, type PingOptions } from "./ping.js";
import type { IpPacket, IpProtocolHandler, IpSendRequest, TxOwner } from "./types.js";

/** What the ICMP layer needs from the interface below it. */
export interface IcmpHost {
  /** Sends a datagram (throws NoRouteError when there is no route). */
  send(req: IpSendRequest, now: number): "sent" | "queued";
  /** The handler registered for a protocol number. */
  handler(protocol: number): IpProtocolHandler | undefined;
  /** The platform (for the checksum accelerator and random ids). */
  readonly platform: Platform;
}

/**
 * ICMP: answers echo requests sent to us, runs ping sessions, hands
 * destination-unreachable/time-exceeded errors to the protocol whose
 * datagram they quote, and sends rate-limited ICMP errors for others.
 */
export class IcmpLayer implements IpProtocolHandler {
  /** Receive/send counters of ICMP. */
  readonly counters = new Counters();
  private readonly pings = new Map<number, PingSession>();
  private windowStart = -Infinity;
  private windowCount = 0;
  private lastPoll = -Infinity;

  constructor(private readonly host: IcmpHost, private readonly errorsPerSecond = 100) {}

  /** @inheritdoc */
  receive(p: IpPacket, now: number): Verdict {
    return this.counters.account(this.handle(p, now));
  }

  private handle(p: IpPacket, now: number): Verdict {
    let m: IcmpMessage;
    try {
      m = readIcmp(p.data, p.start, p.end, this.host.platform);
    } catch (e) {
      return dropReasonOf(e);
    }
    switch (m.kind) {
      case "echoRequest": {
        if (p.cast !== "unicast") return "unhandled";
        const reply: IcmpMessage = { kind: "echoReply", id: m.id, seq: m.seq, data: m.data };
        this.sendIcmp(p.header.src, p.header.dst, reply, now);
        return "ok";
      }
      case "echoReply": {
        const s = this.pings.get(m.id);
        if (!s || s.destination !== p.header.src) return "unhandled";
        s.reply(m.seq, p.header.ttl, now);
        return "ok";
      }
      case "destUnreachable":
      case "timeExceeded": {
        let q;
        try {
          q = parseQuoted(m.original);
        } catch (e) {
          return dropReasonOf(e);
        }
        const type = m.kind === "destUnreachable" ? 3 : 11;
        const ported = (q.protocol === IP_PROTO_UDP || q.protocol === IP_PROTO_TCP) && q.payload.length >= 4;
        const err = new IcmpErrorReport(type, m.code, p.header.src, q.dst, ported ? readU16be(q.payload, 2) : undefined);
        if (q.protocol === IP_PROTO_ICMP) {
          if (q.payload.length < 8 || q.payload[0] !== 8) return "unhandled";
          const s = this.pings.get(readU16be(q.payload, 4));
          if (!s || s.destination !== q.dst) return "unhandled";
          s.error(err.message);
          return "ok";
        }
        const h = this.host.handler(q.protocol);
        if (!h || !h.icmpError) return "unhandled";
        h.icmpError({ error: err, quoted: q }, now);
        return "ok";
      }
      default:
        return "unhandled";
    }
  }

  /**
   * Sends an ICMP error (type/code) about received datagram `p`, quoting its
   * header and first 8 payload bytes. Never for broadcasts, non-first
   * fragments, ICMP messages, or an unspecified source; rate-limited.
   */
  sendError(type: number, code: number, p: IpPacket, now: number): void {
    const h = p.header;
    if (p.cast !== "unicast" || h.fragmentOffset !== 0 || h.protocol === IP_PROTO_ICMP || h.src === 0) return;
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    if (this.windowCount >= this.errorsPerSecond) {
      this.counters.sendFailed("rateLimited");
      return;
    }
    this.windowCount++;
    const quoteLen = Math.min(8, p.end - p.start);
    const hl = IPV4_MIN_HEADER_LEN + h.options.length;
    const original = new Uint8Array(hl + quoteLen);
    writeIpv4Header(original, 0, h, this.host.platform);
    original.set(p.data.subarray(p.start, p.start + quoteLen), hl);
    const msg: IcmpMessage = type === 3 ? { kind: "destUnreachable", code, nextHopMtu: 0, original } : { kind: "timeExceeded", code, original };
    this.sendIcmp(h.src, h.dst, msg, now);
  }

  /** Sends one ICMP message; counts it; a missing route is counted, not thrown. */
  sendIcmp(dst: Ipv4Address, src: Ipv4Address | undefined, m: IcmpMessage, now: number, owner?: TxOwner, ttl?: number): boolean {
    const body = m.kind === "destUnreachable" || m.kind === "timeExceeded" ? m.original : m.data;
    try {
      this.host.send({ dst, src, protocol: IP_PROTO_ICMP, length: ICMP_HEADER_LEN + body.length, ttl, owner, write: (out, off) => void writeIcmp(out, off, m, this.host.platform) }, now);
      this.counters.sent();
      return true;
    } catch (e) {
      if (!(e instanceof NoRouteError)) throw e;
      this.counters.sendFailed("noRoute");
      return false;
    }
  }

  /** Starts a ping run to `dst` (first request at the next poll). */
  startPing(dst: Ipv4Address, opts: PingOptions, now: number): PingSession {
    let id: number;
    const b = new Uint8Array(2);
    do {
      this.host.platform.randomBytes(b);
      id = readU16be(b, 0);
    } while (this.pings.has(id));
    const s = new PingSession(dst, id, now, opts);
    this.pings.set(id, s);
    return s;
  }

  /** Forgets a ping session (after it is done or abandoned). */
  endPing(s: PingSession): void {
    if (this.pings.get(s.id) === s) this.pings.delete(s.id);
  }

  /** Sends due echo requests. */
  poll(now: number): void {
    this.lastPoll = now;
    for (const s of this.pings.values()) {
      let seq: number | undefined;
      while ((seq = s.due(now)) !== undefined) {
        const data = new Uint8Array(s.opts.size);
        for (let i = 0; i < data.length; i++) data[i] = i & 255;
        const owner: TxOwner = { sendFailed: (e) => s.error(e.message) };
        if (!this.sendIcmp(s.destination, undefined, { kind: "echoRequest", id: s.id, seq, data }, now, owner, s.opts.ttl)) {
          s.error(`no route to host ${formatIpv4(s.destination)}`);
        }
      }
    }
  }

  /** The earliest time a ping session needs a poll (finished sessions not yet ended are skipped). */
  nextDeadline(): number | undefined {
    let t: number | undefined;
    for (const s of this.pings.values()) {
      if (s.done(this.lastPoll)) continue;
      const d = s.nextDeadline();
      if (t === undefined || d < t) t = d;
    }
    return t;
  }
}
