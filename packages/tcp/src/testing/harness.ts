import { seededPlatform } from "@pxe/core";
import * as S from "../seq.js";
import { TcpFlags as FL } from "../wire/constants.js";
import type { TcpHeader } from "../wire/header.js";
import type { TcpOption } from "../wire/options.js";
import type { TcpConfig } from "../machine/config.js";
import { TcpConnection } from "../machine/connection.js";
import { segmentSeqLength, type OutSegment } from "../machine/segment-out.js";

/** 10.0.2.15, the guest address under QEMU user networking. */
export const CLIENT_ADDR = 0x0a00020f;
/** 10.0.2.2, the host as QEMU user networking shows it. */
export const SERVER_ADDR = 0x0a000202;

/** Settings of a scripted-peer harness. */
export interface HarnessOptions {
  /** Our ISN (default random from `seed`). */
  iss?: number;
  /** The scripted peer's ISN (default 0x20000000). */
  irs?: number;
  /** Connection settings. */
  config?: Partial<TcpConfig>;
  /** Seed of the platform's randomness (default 1). */
  seed?: number;
  /** Window field the peer sends (default 65535). */
  peerWindow?: number;
  /** Window-scale shift the peer announces (undefined: none; default 0 = offered with shift 0). */
  peerWindowScale?: number | undefined;
  /** MSS the peer announces (default 1460). */
  peerMss?: number;
  /** The peer answers timestamps (default false: simpler hand-made segments). */
  peerTimestamps?: boolean;
  /** The peer offers SACK-permitted (default true). */
  peerSack?: boolean;
  /** Time of the connect call, ms (default 0). */
  now?: number;
  /** Our port (default 49152). */
  localPort?: number;
  /** The peer's port (default 80). */
  remotePort?: number;
}

/** Fields of a hand-made peer segment; unset ones get sensible defaults. */
export interface PeerSegment {
  /** Control bits (default ACK). */
  flags?: number;
  /** Sequence number (default: the peer's next). */
  seq?: number;
  /** Acknowledgment (default: everything we sent). */
  ack?: number;
  /** Payload. */
  data?: Uint8Array;
  /** Window field (default: harness peerWindow). */
  window?: number;
  /** Options (default: timestamps when negotiated). */
  options?: TcpOption[];
}

/**
 * TEST-ONLY harness: one TcpConnection (the client, 10.0.2.15:49152)
 * facing a peer (10.0.2.2:80) whose segments the test writes by hand.
 * Every helper takes the time explicitly and returns what the connection
 * sent in response (payloads copied). The peer's sequence numbers advance
 * as it sends data/FIN unless `seq` is given.
 */
export class TcpHarness {
  /** The connection under test. */
  readonly conn: TcpConnection;
  /** Next sequence number the peer sends. */
  peerSeq: number;
  /** Everything the connection sent, in order (payloads copied). */
  readonly sent: OutSegment[] = [];
  /** Window field the peer sends by default. */
  peerWindow: number;
  private readonly opts: HarnessOptions;
  private sndMaxSeen: number;

  /** Creates a CLOSED connection and its scripted peer. */
  constructor(opts: HarnessOptions = {}) {
    this.opts = opts;
    this.conn = new TcpConnection({
      platform: seededPlatform(opts.seed ?? 1),
      localAddr: CLIENT_ADDR,
      localPort: opts.localPort ?? 49152,
      remoteAddr: SERVER_ADDR,
      remotePort: opts.remotePort ?? 80,
      config: opts.config,
    });
    this.peerSeq = (opts.irs ?? 0x20000000) >>> 0;
    this.peerWindow = opts.peerWindow ?? 65535;
    this.sndMaxSeen = 0;
  }

  /** Polls the connection at `now`; returns (and logs) what it sends. */
  poll(now: number): OutSegment[] {
    const out = this.conn.poll(now).map((s) => ({ header: s.header, payload: s.payload.slice() }));
    for (const s of out) {
      if (!(s.header.flags & FL.RST)) {
        const end = S.add(s.header.seq, segmentSeqLength(s.header.flags, s.payload.length));
        if (this.sent.length === 0 || S.gt(end, this.sndMaxSeen)) this.sndMaxSeen = end;
      }
      this.sent.push(s);
    }
    return out;
  }

  /** Highest sequence number (exclusive) the connection has sent. */
  get sentUpTo(): number {
    return this.sndMaxSeen;
  }

  /** Feeds a peer segment at `now` and returns the connection's response. */
  input(now: number, seg: PeerSegment = {}): OutSegment[] {
    const data = seg.data ?? new Uint8Array(0);
    const flags = seg.flags ?? FL.ACK;
    const seq = seg.seq ?? this.peerSeq;
    const h: TcpHeader = {
      srcPort: this.opts.remotePort ?? 80,
      dstPort: this.opts.localPort ?? 49152,
      seq,
      ack: (seg.ack ?? this.sndMaxSeen) >>> 0,
      flags,
      window: seg.window ?? this.peerWindow,
      checksum: 0,
      urgent: 0,
      options: seg.options ?? (this.opts.peerTimestamps && this.conn.timestampsEnabled ? [{ kind: "nop" }, { kind: "nop" }, { kind: "timestamps", tsVal: Math.floor(now) >>> 0, tsEcr: this.lastTsVal() }] : []),
    };
    if (seg.seq === undefined && !(flags & FL.RST)) this.peerSeq = S.add(seq, segmentSeqLength(flags, data.length));
    this.conn.onSegment(now, h, data);
    return this.poll(now);
  }

  /** The peer sends `data` (ACK|PSH) at its next sequence number (or `seq`). */
  data(now: number, data: Uint8Array, seq?: number): OutSegment[] {
    return this.input(now, { flags: FL.ACK | FL.PSH, data, seq });
  }

  /** The peer acknowledges `ack` (default: all we sent) with `window`. */
  ack(now: number, ack?: number, window?: number): OutSegment[] {
    return this.input(now, { ack, window });
  }

  /** The peer sends FIN (with ACK of all we sent). */
  fin(now: number): OutSegment[] {
    return this.input(now, { flags: FL.FIN | FL.ACK });
  }

  /** The peer sends RST at `seq` (default: its next sequence number). */
  rst(now: number, seq?: number): OutSegment[] {
    return this.input(now, { flags: FL.RST | FL.ACK, seq: seq ?? this.peerSeq });
  }

  /** Queues bytes on the connection and polls at `now`; returns what was sent. */
  send(now: number, data: Uint8Array): OutSegment[] {
    this.conn.send(data);
    return this.poll(now);
  }

  /** Reads everything available from the connection. */
  recvAll(): Uint8Array {
    return this.conn.recvBytes();
  }

  /** Advances to the connection's next deadline (if at or before `limit`) and polls; returns [time, output]. */
  advance(limit = Infinity): [number, OutSegment[]] | undefined {
    const d = this.conn.nextDeadline();
    if (d === undefined || d > limit) return undefined;
    return [d, this.poll(d)];
  }

  private lastTsVal(): number {
    for (let i = this.sent.length - 1; i >= 0; i--) {
      for (const o of this.sent[i].header.options) if (o.kind === "timestamps") return o.tsVal;
    }
    return 0;
  }

  /** The SYN+ACK options the peer sends, from the harness settings. */
  synAckOptions(now: number): TcpOption[] {
    const o = this.opts;
    const opts: TcpOption[] = [{ kind: "mss", mss: o.peerMss ?? 1460 }];
    const ws = "peerWindowScale" in o ? o.peerWindowScale : 0;
    if (ws !== undefined) opts.push({ kind: "nop" }, { kind: "windowScale", shift: ws });
    if (o.peerSack ?? true) opts.push({ kind: "nop" }, { kind: "nop" }, { kind: "sackPermitted" });
    if (o.peerTimestamps) opts.push({ kind: "nop" }, { kind: "nop" }, { kind: "timestamps", tsVal: Math.floor(now) >>> 0, tsEcr: this.lastTsVal() });
    return opts;
  }
}

/** Harness in SYN-SENT: connect() called, SYN sent at `now`. */
export function synSent(opts: HarnessOptions = {}): TcpHarness {
  const h = new TcpHarness(opts);
  const now = opts.now ?? 0;
  h.conn.connect(now, opts.iss);
  h.poll(now);
  return h;
}

/** Harness in ESTABLISHED (handshake done at `now`, our ACK sent). */
export function established(opts: HarnessOptions = {}): TcpHarness {
  const h = synSent(opts);
  const now = opts.now ?? 0;
  h.input(now, { flags: FL.SYN | FL.ACK, options: h.synAckOptions(now) });
  return h;
}

/** Harness in FIN-WAIT-1: established, close() called, FIN sent. */
export function finWait1(opts: HarnessOptions = {}): TcpHarness {
  const h = established(opts);
  h.conn.close();
  h.poll(opts.now ?? 0);
  return h;
}

/** Harness in FIN-WAIT-2: our FIN acknowledged. */
export function finWait2(opts: HarnessOptions = {}): TcpHarness {
  const h = finWait1(opts);
  h.ack(opts.now ?? 0);
  return h;
}

/** Harness in CLOSING: both FINs crossed, ours not yet acknowledged. */
export function closing(opts: HarnessOptions = {}): TcpHarness {
  const h = finWait1(opts);
  h.input(opts.now ?? 0, { flags: FL.FIN | FL.ACK, ack: S.add(h.sentUpTo, -1) });
  return h;
}

/** Harness in TIME-WAIT: both FINs done. */
export function timeWait(opts: HarnessOptions = {}): TcpHarness {
  const h = finWait2(opts);
  h.fin(opts.now ?? 0);
  return h;
}

/** Harness in CLOSE-WAIT: the peer closed first. */
export function closeWait(opts: HarnessOptions = {}): TcpHarness {
  const h = established(opts);
  h.fin(opts.now ?? 0);
  return h;
}

/** Harness in LAST-ACK: the peer closed, then we did (FIN sent). */
export function lastAck(opts: HarnessOptions = {}): TcpHarness {
  const h = closeWait(opts);
  h.conn.close();
  h.poll(opts.now ?? 0);
  return h;
}
