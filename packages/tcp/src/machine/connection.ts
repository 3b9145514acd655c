import { readU32be, type Platform } from "@pxe/core";
import * as S from "../seq.js";
import { TcpFlags as FL } from "../wire/constants.js";
import type { TcpHeader } from "../wire/header.js";
import { parseOptions, type ParsedOptions, type TcpOption } from "../wire/options.js";
import { TcpError, TcpRefusedError, TcpResetError, TcpStateError, TcpTimeoutError, TcpUnreachableError } from "../errors.js";
import { Assembler } from "./assembler.js";
import { DEFAULT_TCP_CONFIG, windowScaleFor, type TcpConfig } from "./config.js";
import { NewReno } from "./congestion.js";
import { ByteRing } from "./ring.js";
import { resetReplyFor } from "./reset.js";
import { RttEstimator } from "./rtt.js";
import type { OutSegment } from "./segment-out.js";
import { TcpState, isSynchronized } from "./state.js";

/** Where a connection runs: its two endpoints (IPv4 as u32) and host services. */
export interface TcpConnectionOptions {
  /** Randomness for the ISN and timestamp offset (Platform.randomBytes). */
  readonly platform: Pick<Platform, "randomBytes">;
  /** Our IPv4 address (u32). */
  readonly localAddr: number;
  /** Our port. */
  readonly localPort: number;
  /** Peer IPv4 address (u32). */
  readonly remoteAddr: number;
  /** Peer port. */
  readonly remotePort: number;
  /** Overrides of DEFAULT_TCP_CONFIG. */
  readonly config?: Partial<TcpConfig>;
}

/** Counters a connection keeps (for tests, benchmarks and `show`). */
export interface TcpStats {
  /** Segments handed out by poll(). */
  segmentsSent: number;
  /** Segments passed to onSegment(). */
  segmentsReceived: number;
  /** Data segments sent again (timeout, fast retransmit). */
  retransmissions: number;
  /** Retransmission timer expiries. */
  timeouts: number;
  /** Fast retransmits after duplicate ACKs. */
  fastRetransmits: number;
  /** Challenge ACKs sent (RFC 5961: in-window RST, SYN in a synchronised state). */
  challengeAcks: number;
  /** Challenge ACKs not sent because of the per-second limit (RFC 5961 §7). */
  challengeAcksSuppressed: number;
  /** Zero-window probes sent. */
  windowProbes: number;
  /** Segments that arrived out of order and were held. */
  outOfOrder: number;
  /** Segments dropped as unacceptable (outside the window, PAWS, bad ACK). */
  dropped: number;
}

/** Most duplicate ACKs sent for one batch of out-of-order data: three start fast retransmit. */
const DUPACKS_MAX = 3;
const MSS_DEFAULT = 536; // RFC 9293 §3.7.1, when the peer sends no MSS option
const TS_OPT_LEN = 12; // NOP NOP TS

/**
 * One TCP connection (a TCB) as a synchronous, sans-IO state machine with
 * every RFC 9293 state. Drive it with explicit time:
 *
 *  - `connect(now)` (or `listen()`), then `poll(now)` for segments to send;
 *  - `onSegment(now, header, payload)` for each segment the demultiplexer
 *    routes here (checksum already verified), then `poll(now)` again;
 *  - `send(bytes)` / `recv(into)` / `close()` / `abort()` from the user;
 *  - `poll(now)` again whenever `now >= nextDeadline()`.
 *
 * A connection that ends abnormally sits in CLOSED with `error` set
 * (TcpTimeoutError, TcpResetError or TcpRefusedError).
 */
export class TcpConnection {
  /** Effective settings. */
  readonly config: TcpConfig;
  /** Our address (u32). */
  readonly localAddr: number;
  /** Our port. */
  readonly localPort: number;
  /** Peer address (u32). */
  readonly remoteAddr: number;
  /** Peer port. */
  readonly remotePort: number;
  /** Counters. */
  readonly stats: TcpStats = { segmentsSent: 0, segmentsReceived: 0, retransmissions: 0, timeouts: 0, fastRetransmits: 0, windowProbes: 0, outOfOrder: 0, dropped: 0, challengeAcks: 0, challengeAcksSuppressed: 0 };

  private _state: TcpState = TcpState.CLOSED;
  private _error: TcpError | undefined;
  private readonly platform: Pick<Platform, "randomBytes">;
  private passive = false;

  // Send side.
  private iss = 0; // ISS, our initial sequence number
  private sndUna = 0; // SND.UNA, oldest unacknowledged sequence number
  private sndNxt = 0; // SND.NXT, next sequence number to send
  private sndMax = 0; // highest SND.NXT so far (BSD snd_max)
  private sndWnd = 0; // SND.WND, the peer's window, scaled
  private sndWl1 = 0; // SND.WL1, segment sequence number of the last window update
  private sndWl2 = 0; // SND.WL2, segment acknowledgment number of the last window update
  private maxSndWnd = 0;
  private sndScale = 0; // Snd.Wind.Shift (RFC 7323 §2.2)
  private sndMss = MSS_DEFAULT;
  private readonly sndBuf: ByteRing;
  private sndBufSeq = 0; // sequence number of sndBuf's first byte
  private finQueued = false;
  private synAcked = false;
  private wsAgreed = false;
  private used = false;

  // Receive side.
  private irs = 0; // IRS, the peer's initial sequence number
  private rcvNxt = 0; // RCV.NXT
  private rcvScale = 0; // Rcv.Wind.Shift (RFC 7323 §2.2)
  private readonly rcvBuf: ByteRing;
  private readonly ooo = new Assembler(64);
  private peerFinSeq: number | undefined; // sequence number of the peer's first FIN: the end of the stream (RFC 9293 §3.10.7.4, eighth step)
  private peerFinDone = false;
  private rcvAdvEdge = 0;
  private lastAckSent = 0;
  private segsUnacked = 0;
  private dupAcksOwed = 0; // duplicate ACKs due for out-of-order data, see acceptText

  // Options negotiated.
  private tsOk = false;
  private sackOk = false;
  private tsOffset = 0;
  private tsRecent: number | undefined;

  // Timing and recovery.
  private readonly rtt: RttEstimator;
  private readonly cc: NewReno;
  private rttSeq: number | undefined;
  private rttTime = 0;
  private dupAcks = 0;
  private retries = 0;
  private rexmitOne = false;
  private persistShift = 0; // zero-window probes sent in a row (the persist timer's backoff exponent)
  private challengeWindowAt = -Infinity; // start of the current second of challenge ACKs (RFC 5961 §7)
  private challengeCount = 0; // challenge ACKs sent in it

  // Timers (absolute ms) and pending output.
  private rtoAt: number | undefined;
  private persistAt: number | undefined;
  private ackAt: number | undefined;
  private timeWaitAt: number | undefined;
  private finWait2At: number | undefined;
  private released = false;
  private ackNow = false;
  private probeNow = false;
  private ctl: OutSegment[] = [];

  /** Creates a CLOSED connection between the given endpoints. */
  constructor(opts: TcpConnectionOptions) {
    this.config = { ...DEFAULT_TCP_CONFIG, ...opts.config };
    this.platform = opts.platform;
    this.localAddr = opts.localAddr >>> 0;
    this.localPort = opts.localPort;
    this.remoteAddr = opts.remoteAddr >>> 0;
    this.remotePort = opts.remotePort;
    this.sndBuf = new ByteRing(this.config.sendBufferSize);
    this.rcvBuf = new ByteRing(this.config.recvBufferSize);
    this.rtt = new RttEstimator(this.config.initialRtoMs, this.config.minRtoMs, this.config.maxRtoMs);
    this.cc = new NewReno(MSS_DEFAULT, this.config.initialCwndSegments);
  }

  // ---------------------------------------------------------------- status

  /** Current RFC 9293 state. */
  get state(): TcpState {
    return this._state;
  }
  /** Why the connection ended, if it ended abnormally. */
  get error(): TcpError | undefined {
    return this._error;
  }
  /** True once the peer's FIN arrived and every byte before it was read. */
  get eof(): boolean {
    return this.peerFinDone && this.rcvBuf.length === 0;
  }
  /** True when `recv` would return data now. */
  get readable(): boolean {
    return this.rcvBuf.length > 0;
  }
  /** Bytes ready for `recv`. */
  get recvAvailable(): number {
    return this.rcvBuf.length;
  }
  /** Bytes `send` would accept now. */
  get sendSpace(): number {
    return this.canSend() ? this.sndBuf.free : 0;
  }
  /** Bytes queued and not yet acknowledged. */
  get sendQueued(): number {
    return this.sndBuf.length;
  }
  /** Current retransmission timeout, ms. */
  get rto(): number {
    return this.rtt.rto;
  }
  /** Smoothed RTT, ms (undefined before a sample). */
  get srtt(): number | undefined {
    return this.rtt.srtt;
  }
  /** Congestion window, bytes. */
  get cwnd(): number {
    return this.cc.cwnd;
  }
  /** The peer's advertised window, bytes (scaled). */
  get sendWindow(): number {
    return this.sndWnd;
  }
  /** Payload bytes per segment we send (peer MSS less fixed options). */
  get mss(): number {
    return this.sndMss;
  }
  /** Our window-scale shift in use (0 when not negotiated). */
  get recvWindowScale(): number {
    return this.rcvScale;
  }
  /** True when timestamps were negotiated. */
  get timestampsEnabled(): boolean {
    return this.tsOk;
  }
  /** True when SACK was negotiated (we report SACK blocks). */
  get sackEnabled(): boolean {
    return this.sackOk;
  }
  /** Our initial sequence number. */
  get initialSendSeq(): number {
    return this.iss;
  }
  /** Next sequence number we expect from the peer. */
  get recvNext(): number {
    return this.rcvNxt;
  }
  /** Oldest unacknowledged sequence number we sent. */
  get sendUnacked(): number {
    return this.sndUna;
  }
  /** Out-of-order ranges held, as [left, right) sequence numbers. */
  heldRanges(): Array<[number, number]> {
    return this.ooo.ranges().map(([a, b]) => [S.add(this.rcvNxt, a), S.add(this.rcvNxt, b)]);
  }

  /**
   * Earliest time (ms) at which `poll` has timer work, or undefined when no
   * timer runs. Output caused by onSegment/send/recv/close is produced by
   * the next poll regardless of this deadline.
   */
  nextDeadline(): number | undefined {
    let t = this.rtoAt;
    const p = this.persistAt, a = this.ackAt, w = this.timeWaitAt, f = this.finWait2At;
    if (p !== undefined && (t === undefined || p < t)) t = p;
    if (a !== undefined && (t === undefined || a < t)) t = a;
    if (w !== undefined && (t === undefined || w < t)) t = w;
    if (f !== undefined && (t === undefined || f < t)) t = f;
    return t;
  }

  // ---------------------------------------------------------------- user calls

  /**
   * Active open: picks a random ISN, moves to SYN-SENT; the SYN goes out
   * on the next poll. `iss` overrides the random ISN (tests use it to start
   * near 2^32).
   */
  connect(now: number, iss?: number): void {
    if (this._state !== TcpState.CLOSED || this.used) throw this.stateError("connect");
    this.init(iss);
    this._state = TcpState.SYN_SENT;
    this.rtoAt = undefined;
    void now;
  }

  /** Passive open: waits in LISTEN for the peer's SYN (this TCB's 4-tuple is fixed). */
  listen(iss?: number): void {
    if (this._state !== TcpState.CLOSED || this.used) throw this.stateError("listen");
    this.init(iss);
    this.passive = true;
    this._state = TcpState.LISTEN;
  }

  /**
   * Queues bytes for sending; returns how many were accepted (bounded by
   * the send buffer's free space). Allowed in SYN-SENT, SYN-RECEIVED,
   * ESTABLISHED and CLOSE-WAIT before close(); otherwise throws the
   * connection's error or a TcpStateError.
   */
  send(data: Uint8Array): number {
    if (!this.canSend()) throw this._error ?? this.stateError("send");
    return this.sndBuf.push(data);
  }

  /** Moves up to `into.length - at` received bytes into `into` at `at`; returns the count (0 when none). */
  recv(into: Uint8Array, at = 0): number {
    const n = this.rcvBuf.read(into, at);
    if (n > 0) this.maybeWindowUpdate();
    return n;
  }

  /** Returns (and consumes) up to `max` received bytes as a new array. */
  recvBytes(max = Infinity): Uint8Array {
    const out = new Uint8Array(Math.min(max, this.rcvBuf.length));
    this.recv(out);
    return out;
  }

  /**
   * Half-close: no more sending; a FIN follows the queued data. Receiving
   * continues until `eof`. In SYN-SENT with nothing queued this just
   * closes. Idempotent.
   */
  close(): void {
    switch (this._state) {
      case TcpState.LISTEN:
        this.toClosed();
        return;
      case TcpState.SYN_SENT:
        if (this.sndBuf.length === 0) this.toClosed();
        else this.finQueued = true;
        return;
      case TcpState.SYN_RECEIVED:
        this.finQueued = true;
        return;
      case TcpState.ESTABLISHED:
        this.finQueued = true;
        this._state = TcpState.FIN_WAIT_1;
        return;
      case TcpState.CLOSE_WAIT:
        this.finQueued = true;
        this._state = TcpState.LAST_ACK;
        return;
      default:
    }
  }

  /** Same as close(): the client's usual "done sending" call. */
  shutdown(): void {
    this.close();
  }

  /**
   * The application is gone (BSD close()): with unread data this aborts
   * (RST, as RFC 2525 §2.17 recommends); otherwise it closes, answers any
   * later data with RST, and gives FIN-WAIT-2 `finWait2TimeoutMs` before
   * dropping the connection.
   */
  release(now: number): void {
    if (this.rcvBuf.length > 0) {
      this.abort();
      return;
    }
    this.released = true;
    this.close();
    if (this._state === TcpState.FIN_WAIT_2) this.finWait2At = now + this.config.finWait2TimeoutMs;
  }

  /** Aborts: sends RST (when the peer knows us) and goes to CLOSED at once. */
  abort(): void {
    if (this._state === TcpState.SYN_RECEIVED || isSynchronized(this._state)) {
      if (this._state !== TcpState.TIME_WAIT) this.ctl.push(this.bare(this.sndNxt, 0, FL.RST));
    }
    this.toClosed();
  }

  // ---------------------------------------------------------------- input

  /**
   * Processes one arriving segment (RFC 9293 §3.10.7). `payload` is a lease:
   * what is kept is copied into the receive buffer. Never throws.
   */
  onSegment(now: number, h: TcpHeader, payload: Uint8Array): void {
    this.stats.segmentsReceived++;
    switch (this._state) {
      case TcpState.CLOSED:
        this.replyReset(h, payload.length);
        return;
      case TcpState.LISTEN:
        this.inListen(h);
        return;
      case TcpState.SYN_SENT:
        this.inSynSent(now, h, payload);
        return;
      default:
        this.inOther(now, h, payload);
    }
  }

  private inListen(h: TcpHeader): void {
    if (h.flags & FL.RST) return;
    if (h.flags & FL.ACK) {
      this.ctl.push(this.bare(h.ack, 0, FL.RST));
      return;
    }
    if (!(h.flags & FL.SYN)) return;
    const o = parseOptions(h.options);
    this.negotiate(o, true);
    this.irs = h.seq;
    this.rcvNxt = S.add(h.seq, 1);
    this.sndWnd = h.window;
    this.maxSndWnd = h.window;
    this.tsRecent = o.timestamps?.tsVal;
    this._state = TcpState.SYN_RECEIVED;
  }

  private inSynSent(now: number, h: TcpHeader, payload: Uint8Array): void {
    const f = h.flags;
    if (f & FL.ACK) {
      if (S.le(h.ack, this.iss) || S.gt(h.ack, this.sndMax)) {
        if (!(f & FL.RST)) this.ctl.push(this.bare(h.ack, 0, FL.RST));
        this.stats.dropped++;
        return;
      }
    }
    if (f & FL.RST) {
      if (f & FL.ACK) this.fail(new TcpRefusedError(this.remoteAddr, this.remotePort));
      return;
    }
    if (!(f & FL.SYN)) return;
    const o = parseOptions(h.options);
    this.irs = h.seq;
    this.rcvNxt = S.add(h.seq, 1);
    this.tsRecent = o.timestamps?.tsVal;
    if (f & FL.ACK) {
      this.negotiate(o, false);
      this.sndUna = h.ack;
      if (S.lt(this.sndNxt, h.ack)) this.sndNxt = h.ack;
      this.synAcked = true;
      this.sndWnd = h.window; // never scaled in a SYN
      this.maxSndWnd = h.window;
      this.sndWl1 = h.seq;
      this.sndWl2 = h.ack;
      if (this.tsOk && o.timestamps && o.timestamps.tsEcr !== 0) this.sampleTs(now, o.timestamps.tsEcr);
      else if (this.rttSeq !== undefined) this.rtt.sample(now - this.rttTime);
      this.rttSeq = undefined;
      this.retries = 0;
      this.rtt.resetBackoff();
      this.rtoAt = undefined;
      this.toEstablished();
      this.ackNow = true;
      this.acceptText(now, S.add(h.seq, 1), payload, (f & FL.FIN) !== 0);
    } else {
      // Simultaneous open (RFC 9293 Figure 8): answer with SYN+ACK.
      this.negotiate(o, true);
      this.sndWnd = h.window;
      this.maxSndWnd = h.window;
      this._state = TcpState.SYN_RECEIVED;
      this.sndNxt = this.iss;
      this.rtoAt = undefined;
    }
  }

  private inOther(now: number, h: TcpHeader, payloadIn: Uint8Array): void {
    let f = h.flags;
    let seq = h.seq;
    let payload = payloadIn;
    const o: ParsedOptions | undefined = h.options.length ? parseOptions(h.options) : undefined;
    // A retransmitted SYN (seq = IRS): strip it and acknowledge (our ACK was lost).
    if (f & FL.SYN && seq === this.irs && !(f & FL.RST)) {
      f &= ~FL.SYN;
      seq = S.add(seq, 1);
      this.ackNow = true;
    }
    const wnd = this.rcvBuf.free;
    // RST (RFC 5961 §3): exact match resets, in-window gets a challenge ACK.
    if (f & FL.RST) {
      if (seq === this.rcvNxt) this.onReset();
      else if (S.inRange(seq, this.rcvNxt, S.add(this.rcvNxt, Math.max(wnd, 1)))) this.challengeAck(now);
      return;
    }
    // PAWS (RFC 7323 §5).
    const ts = this.tsOk ? o?.timestamps : undefined;
    if (ts && this.config.paws && this.tsRecent !== undefined && S.lt(ts.tsVal, this.tsRecent)) {
      this.stats.dropped++;
      this.ackNow = true;
      return;
    }
    // Acceptability (RFC 9293 §3.10.7.4 table).
    const segLen = payload.length + (f & FL.SYN ? 1 : 0) + (f & FL.FIN ? 1 : 0);
    const wEnd = S.add(this.rcvNxt, wnd);
    let ok: boolean;
    if (segLen === 0) ok = wnd === 0 ? seq === this.rcvNxt : S.inRange(seq, this.rcvNxt, wEnd) || seq === this.rcvNxt;
    else ok = wnd > 0 && (S.inRange(seq, this.rcvNxt, wEnd) || S.inRange(S.add(seq, segLen - 1), this.rcvNxt, wEnd));
    const ackOnly = !ok && wnd === 0 && seq === this.rcvNxt;
    if (!ok && !ackOnly) {
      this.stats.dropped++;
      this.ackNow = true;
      if (this._state === TcpState.TIME_WAIT && f & FL.FIN) this.timeWaitAt = now + this.config.timeWaitMs;
      return;
    }
    if (f & FL.SYN) {
      // SYN in a synchronised state (RFC 5961 §4): challenge ACK.
      if (this._state === TcpState.SYN_RECEIVED && this.passive) {
        this.toListenAgain();
        return;
      }
      this.challengeAck(now);
      return;
    }
    if (!(f & FL.ACK)) return;
    // Timestamps: remember the peer's TSval for echoing (RFC 7323 §4.3).
    if (ts && S.le(seq, this.lastAckSent) && (this.tsRecent === undefined || S.ge(ts.tsVal, this.tsRecent))) this.tsRecent = ts.tsVal;

    if (this._state === TcpState.SYN_RECEIVED) {
      if (!(S.lt(this.sndUna, h.ack) && S.le(h.ack, this.sndMax))) {
        this.ctl.push(this.bare(h.ack, 0, FL.RST));
        return;
      }
      this.sndWl1 = seq;
      this.sndWl2 = h.ack;
      this.sndWnd = h.window << this.sndScale;
      this.maxSndWnd = Math.max(this.maxSndWnd, this.sndWnd);
      if (this.tsOk && ts && ts.tsEcr !== 0) this.sampleTs(now, ts.tsEcr);
      this.toEstablished();
    }
    if (!this.processAck(now, seq, h, payload.length, f, ts)) return;
    if (ackOnly) return;
    this.acceptText(now, seq, payload, (f & FL.FIN) !== 0);
  }

  /** ACK field processing; false when the segment must be dropped. */
  private processAck(now: number, seq: number, h: TcpHeader, payloadLen: number, f: number, ts: { tsVal: number; tsEcr: number } | undefined): boolean {
    const ack = h.ack;
    if (S.gt(ack, this.sndMax)) {
      this.stats.dropped++;
      this.ackNow = true;
      return false;
    }
    if (S.lt(ack, this.sndUna) && S.sub(this.sndUna, ack) > this.maxSndWnd) {
      // Too old (RFC 5961 §5.2).
      this.stats.dropped++;
      this.ackNow = true;
      return false;
    }
    const wnd = h.window << this.sndScale;
    if (S.gt(ack, this.sndUna)) {
      this.newAck(now, ack, ts);
    } else if (ack === this.sndUna && payloadLen === 0 && !(f & (FL.SYN | FL.FIN)) && wnd === this.sndWnd && this.sndMax !== this.sndUna) {
      this.onDupAck();
    }
    if (S.lt(this.sndWl1, seq) || (this.sndWl1 === seq && S.le(this.sndWl2, ack))) {
      this.sndWnd = wnd;
      this.sndWl1 = seq;
      this.sndWl2 = ack;
      if (wnd > this.maxSndWnd) this.maxSndWnd = wnd;
      if (wnd > 0) {
        this.persistAt = undefined;
        this.persistShift = 0;
      }
    }
    return this._state !== TcpState.CLOSED;
  }

  private newAck(now: number, ack: number, ts: { tsVal: number; tsEcr: number } | undefined): void {
    const acked = S.sub(ack, this.sndUna);
    if (this.tsOk && ts && ts.tsEcr !== 0) this.sampleTs(now, ts.tsEcr);
    else if (this.rttSeq !== undefined && S.ge(ack, this.rttSeq)) {
      this.rtt.sample(now - this.rttTime);
      this.rttSeq = undefined;
    }
    let n = acked;
    if (!this.synAcked) {
      this.synAcked = true;
      n--;
    }
    const data = Math.min(n, this.sndBuf.length);
    this.sndBuf.consume(data);
    this.sndBufSeq = S.add(this.sndBufSeq, data);
    n -= data;
    const finAcked = n > 0;
    this.sndUna = ack;
    if (S.lt(this.sndNxt, ack)) this.sndNxt = ack;
    this.retries = 0;
    this.rtt.resetBackoff();
    if (this.cc.inRecovery) {
      if (S.ge(ack, this.cc.recover)) this.cc.onRecoveryEnd(S.sub(this.sndMax, ack));
      else {
        this.cc.onPartialAck(acked);
        this.rexmitOne = true;
      }
    } else this.cc.onAck(acked);
    this.dupAcks = 0;
    this.rtoAt = this.sndUna === this.sndMax ? undefined : now + this.rtt.rto;
    if (finAcked) {
      if (this._state === TcpState.FIN_WAIT_1) {
        this._state = TcpState.FIN_WAIT_2;
        if (this.released) this.finWait2At = now + this.config.finWait2TimeoutMs;
      } else if (this._state === TcpState.CLOSING) this.toTimeWait(now);
      else if (this._state === TcpState.LAST_ACK) this.toClosed();
    }
  }

  private onDupAck(): void {
    this.dupAcks++;
    if (this.dupAcks === this.config.dupAckThreshold && !this.cc.inRecovery) {
      this.cc.onFastRetransmit(S.sub(this.sndMax, this.sndUna), this.sndMax);
      this.rexmitOne = true;
      this.rttSeq = undefined;
      this.stats.fastRetransmits++;
    } else if (this.dupAcks > this.config.dupAckThreshold && this.cc.inRecovery) {
      this.cc.onDupAckInRecovery();
    }
  }

  /** A challenge ACK (RFC 5961 §3.2, §4.2), at most `challengeAckLimit` per second (§7). */
  private challengeAck(now: number): void {
    if (now - this.challengeWindowAt >= 1000) {
      this.challengeWindowAt = now;
      this.challengeCount = 0;
    }
    if (this.challengeCount >= this.config.challengeAckLimit) {
      this.stats.challengeAcksSuppressed++;
      return;
    }
    this.challengeCount++;
    this.stats.challengeAcks++;
    this.ackNow = true;
  }

  /** Segment text and FIN (RFC 9293 §3.10.7.4, seventh and eighth steps). */
  private acceptText(now: number, seqIn: number, payloadIn: Uint8Array, fin: boolean): void {
    const st = this._state;
    if (st !== TcpState.ESTABLISHED && st !== TcpState.FIN_WAIT_1 && st !== TcpState.FIN_WAIT_2) return;
    let seq = seqIn;
    let payload = payloadIn;
    if (fin && this.peerFinSeq === undefined) this.peerFinSeq = S.add(seq, payload.length);
    if (S.lt(seq, this.rcvNxt)) {
      const cut = Math.min(payload.length, S.sub(this.rcvNxt, seq));
      payload = payload.subarray(cut);
      seq = S.add(seq, cut);
    }
    // The first FIN fixes the end of the stream: nothing past it is taken (a later, conflicting FIN changes nothing).
    if (this.peerFinSeq !== undefined && payload.length > 0) {
      const room = S.sub(this.peerFinSeq, seq);
      payload = room > 0 ? payload.subarray(0, Math.min(payload.length, room)) : payload.subarray(0, 0);
    }
    if (payload.length > 0 && this.released) {
      this.abort(); // nobody will read it (RFC 9293 §3.10.4: data after CLOSE)
      return;
    }
    if (payload.length > 0) {
      const off = S.sub(seq, this.rcvNxt);
      const room = this.rcvBuf.free - off;
      const len = Math.min(payload.length, room);
      if (len > 0) {
        if (off === 0) {
          this.rcvBuf.writeAt(0, payload, 0, len);
          const hadHoles = !this.ooo.isEmpty;
          let reach = this.ooo.advance(len);
          // Bytes held out of order may reach past a FIN that came after them: they stop at the FIN.
          if (this.peerFinSeq !== undefined) reach = Math.min(reach, S.sub(this.peerFinSeq, this.rcvNxt));
          this.rcvBuf.commit(reach);
          this.rcvNxt = S.add(this.rcvNxt, reach);
          if (hadHoles) this.ackNow = true; // filled (part of) a gap: ACK at once (RFC 5681 §4.2)
          else if (++this.segsUnacked >= 2) this.ackNow = true;
          else if (this.ackAt === undefined) this.ackAt = now + this.config.ackDelayMs;
        } else {
          if (this.ooo.add(off, off + len)) {
            this.rcvBuf.writeAt(off, payload, 0, len);
            this.stats.outOfOrder++;
          }
          this.ackNow = true; // out of order: duplicate ACK with SACK at once
          // One duplicate ACK per segment's worth: a driver that coalesced
          // several segments must not hide the dupacks a sender without
          // SACK counts to start fast retransmit (RFC 5681 §3.2).
          this.dupAcksOwed = Math.min(DUPACKS_MAX, this.dupAcksOwed + Math.max(1, Math.ceil(len / this.config.mss)));
        }
      }
    }
    if (this.peerFinSeq !== undefined && !this.peerFinDone && this.rcvNxt === this.peerFinSeq) {
      this.rcvNxt = S.add(this.rcvNxt, 1);
      this.peerFinDone = true;
      this.ackNow = true;
      if (this._state === TcpState.ESTABLISHED) this._state = TcpState.CLOSE_WAIT;
      else if (this._state === TcpState.FIN_WAIT_1) this._state = TcpState.CLOSING;
      else if (this._state === TcpState.FIN_WAIT_2) this.toTimeWait(now);
    }
  }

  private onReset(): void {
    switch (this._state) {
      case TcpState.SYN_RECEIVED:
        if (this.passive) this.toListenAgain();
        else this.fail(new TcpRefusedError(this.remoteAddr, this.remotePort));
        return;
      case TcpState.ESTABLISHED:
      case TcpState.FIN_WAIT_1:
      case TcpState.FIN_WAIT_2:
      case TcpState.CLOSE_WAIT:
        this.fail(new TcpResetError(this.remoteAddr, this.remotePort));
        return;
      default:
        this.toClosed();
    }
  }

  /** RST in answer to a segment that reached a CLOSED TCB (RFC 9293 §3.10.7.1). */
  private replyReset(h: TcpHeader, payloadLen: number): void {
    const r = resetReplyFor(h, payloadLen);
    if (r) this.ctl.push({ header: r, payload: EMPTY });
  }

  /**
   * An ICMP error quoted one of our segments (`quotedSeq` = its sequence
   * number). Hard errors (protocol/port unreachable) end a connection still
   * in SYN-SENT with TcpUnreachableError; everything else is a soft error
   * (RFC 1122 §4.2.3.9, RFC 5927): retransmission decides. Quotes outside
   * [SND.UNA, SND.MAX] are ignored.
   */
  onIcmpError(now: number, hard: boolean, quotedSeq: number, report: Error): void {
    void now;
    if (!S.ge(quotedSeq, this.sndUna) || !S.le(quotedSeq, this.sndMax)) return;
    if (hard && this._state === TcpState.SYN_SENT) this.fail(new TcpUnreachableError(this.remoteAddr, this.remotePort, report));
  }

  // ---------------------------------------------------------------- output

  /**
   * Runs due timers and returns the segments to send now, in order. Call
   * after every input or user call and when `now >= nextDeadline()`.
   * Payloads may view the send buffer: encode them before calling in again.
   */
  poll(now: number): OutSegment[] {
    this.runTimers(now);
    const out = this.ctl;
    this.ctl = [];
    switch (this._state) {
      case TcpState.CLOSED:
      case TcpState.LISTEN:
        break;
      case TcpState.SYN_SENT:
      case TcpState.SYN_RECEIVED:
        if (this.sndNxt === this.iss) {
          const synAck = this._state === TcpState.SYN_RECEIVED;
          out.push(this.synSegment(now, synAck));
          if (this.retries === 0) {
            this.rttSeq = S.add(this.iss, 1);
            this.rttTime = now;
          }
          this.sndNxt = S.add(this.iss, 1);
          this.sndMax = this.sndNxt;
          this.rtoAt = now + this.rtt.rto;
          this.afterAckSent();
        } else if (this.ackNow && this._state === TcpState.SYN_RECEIVED) {
          out.push(this.synSegment(now, true));
          this.afterAckSent();
        }
        break;
      default:
        this.output(now, out);
    }
    if (this.ackNow && this._state !== TcpState.CLOSED && this._state !== TcpState.LISTEN && this._state !== TcpState.SYN_SENT) {
      const ack = this.dataSegment(now, this.sndNxt, 0, FL.ACK);
      out.push(ack);
      for (let i = 1; i < this.dupAcksOwed; i++) out.push(ack);
    }
    this.dupAcksOwed = 0;
    this.stats.segmentsSent += out.length;
    return out;
  }

  private runTimers(now: number): void {
    if ((this.timeWaitAt !== undefined && now >= this.timeWaitAt) || (this.finWait2At !== undefined && now >= this.finWait2At && this._state === TcpState.FIN_WAIT_2)) {
      this.toClosed();
      return;
    }
    if (this.ackAt !== undefined && now >= this.ackAt) {
      this.ackAt = undefined;
      this.ackNow = true;
    }
    if (this.rtoAt !== undefined && now >= this.rtoAt) {
      const handshake = this._state === TcpState.SYN_SENT || this._state === TcpState.SYN_RECEIVED;
      const limit = handshake ? this.config.synRetries : this.config.maxRetries;
      if (this.retries >= limit) {
        this.fail(new TcpTimeoutError(this.remoteAddr, this.remotePort, handshake ? "connect" : "retransmission", this.retries));
        return;
      }
      this.retries++;
      this.stats.timeouts++;
      this.rtt.backoff();
      if (!handshake) this.cc.onTimeout(S.sub(this.sndMax, this.sndUna));
      this.sndNxt = this.sndUna; // go back: resend from the oldest unacknowledged byte
      this.rttSeq = undefined;
      this.dupAcks = 0;
      this.rexmitOne = false;
      this.rtoAt = undefined;
    }
    if (this.persistAt !== undefined && now >= this.persistAt) {
      if (this.released && this.persistShift >= this.config.orphanProbes) {
        // Orphaned (the application is gone) and the peer's window stays shut: give up, as Linux does for orphans.
        this.fail(new TcpTimeoutError(this.remoteAddr, this.remotePort, "orphan", this.persistShift));
        return;
      }
      this.probeNow = true;
      this.persistShift++;
      this.persistAt = now + Math.min(this.config.maxRtoMs, this.rtt.rto * 2 ** this.persistShift);
    }
  }

  /** Data, FIN, retransmissions and probes in the synchronised states. */
  private output(now: number, out: OutSegment[]): void {
    const dataEnd = S.add(this.sndBufSeq, this.sndBuf.length);
    const canFin = this.finQueued;
    if (this.rexmitOne) {
      this.rexmitOne = false;
      const inFlight = S.sub(S.min(this.sndMax, dataEnd), this.sndUna);
      const len = Math.min(Math.max(inFlight, 0), this.payloadRoom());
      const fin = canFin && S.add(this.sndUna, len) === dataEnd && S.gt(this.sndMax, dataEnd);
      if (len > 0 || fin) {
        out.push(this.dataSegment(now, this.sndUna, len, FL.ACK | (fin ? FL.FIN : 0)));
        this.stats.retransmissions++;
        if (this.rtoAt === undefined) this.rtoAt = now + this.rtt.rto;
      }
    }
    for (;;) {
      const flight = S.sub(this.sndNxt, this.sndUna);
      const avail = Math.max(0, S.sub(dataEnd, this.sndNxt));
      // Limited transmit (RFC 3042): one new segment for each of the first two duplicate ACKs.
      const limited = this.cc.inRecovery ? 0 : Math.min(this.dupAcks, 2) * this.sndMss;
      const win = Math.min(this.sndWnd, this.cc.cwnd + limited);
      const room = this.payloadRoom();
      const len = Math.max(0, Math.min(avail, win - flight, room));
      const fin = canFin && len === avail && S.le(this.sndNxt, dataEnd) && S.add(this.sndNxt, len) === dataEnd;
      if (len === 0 && !fin) break;
      // Sender SWS avoidance (RFC 9293 §3.8.6.2.1); Nagle is off (a loader wants low latency).
      if (len < avail && len < room && len < this.maxSndWnd / 2) break;
      const seq = this.sndNxt;
      const isNew = S.ge(seq, this.sndMax);
      let flags = FL.ACK | (fin ? FL.FIN : 0);
      if (len > 0 && len === avail) flags |= FL.PSH;
      out.push(this.dataSegment(now, seq, len, flags));
      if (!isNew && len > 0) this.stats.retransmissions++;
      this.sndNxt = S.add(seq, len + (fin ? 1 : 0));
      if (S.gt(this.sndNxt, this.sndMax)) this.sndMax = this.sndNxt;
      if (isNew && this.rttSeq === undefined && !this.tsOk && this.retries === 0) {
        this.rttSeq = this.sndNxt;
        this.rttTime = now;
      }
      if (this.rtoAt === undefined) this.rtoAt = now + this.rtt.rto;
      if (fin) break;
    }
    // Persist timer: data waiting, zero window, nothing in flight to time out.
    const waiting = S.sub(dataEnd, this.sndNxt) > 0;
    if (waiting && this.sndWnd === 0 && this.sndNxt === this.sndUna) {
      this.rtoAt = undefined;
      if (this.persistAt === undefined) this.persistAt = now + this.rtt.rto;
    } else {
      this.persistAt = undefined;
      this.persistShift = 0;
    }
    if (this.probeNow) {
      this.probeNow = false;
      if (this.persistAt !== undefined) {
        // Zero-window probe: an old sequence number makes the peer ACK with its window.
        out.push(this.dataSegment(now, S.add(this.sndUna, -1), 0, FL.ACK));
        this.stats.windowProbes++;
      }
    }
  }

  /** Payload bytes a data segment can carry after our options. */
  private payloadRoom(): number {
    return this.sndMss - (this.sackOk && !this.ooo.isEmpty ? this.sackOptionLength() : 0);
  }

  private sackOptionLength(): number {
    return 4 + 8 * Math.min(this.ooo.count, this.tsOk ? 3 : 4);
  }

  private timestampNow(now: number): number {
    return (Math.floor(now) + this.tsOffset) >>> 0;
  }

  private sampleTs(now: number, tsEcr: number): void {
    const d = S.sub(this.timestampNow(now), tsEcr);
    if (d >= 0) this.rtt.sample(d);
  }

  /** Our receive window field: free buffer space (at most the clamp), scaled unless `syn`. */
  private windowField(syn: boolean): number {
    const clamp = this.config.windowClamp;
    const free = clamp > 0 ? Math.min(this.rcvBuf.free, clamp) : this.rcvBuf.free;
    if (syn) return Math.min(free, 65535);
    return Math.min(free >>> this.rcvScale, 65535);
  }

  private synSegment(now: number, ack: boolean): OutSegment {
    const c = this.config;
    const opts: TcpOption[] = [{ kind: "mss", mss: c.mss }];
    // Offer in an active SYN; in SYN+ACK only echo what the peer offered.
    const offerSack = ack ? this.sackOk : c.sack;
    const offerTs = ack ? this.tsOk : c.timestamps;
    const offerWs = ack ? this.rcvScale > 0 || this.wsAgreed : c.windowScaling;
    if (offerSack) opts.push({ kind: "sackPermitted" });
    if (offerTs) opts.push({ kind: "timestamps", tsVal: this.timestampNow(now), tsEcr: ack ? (this.tsRecent ?? 0) : 0 });
    else if (offerSack) opts.push({ kind: "nop" }, { kind: "nop" });
    if (offerWs) opts.push({ kind: "nop" }, { kind: "windowScale", shift: windowScaleFor(c.recvBufferSize) });
    return {
      header: {
        srcPort: this.localPort,
        dstPort: this.remotePort,
        seq: this.iss,
        ack: ack ? this.rcvNxt : 0,
        flags: FL.SYN | (ack ? FL.ACK : 0),
        window: this.windowField(true),
        checksum: 0,
        urgent: 0,
        options: opts,
      },
      payload: new Uint8Array(0),
    };
  }

  /** A segment in a synchronised state: data [seq, seq+len) from the send buffer. */
  private dataSegment(now: number, seq: number, len: number, flags: number): OutSegment {
    const opts: TcpOption[] = [];
    if (this.tsOk) opts.push({ kind: "nop" }, { kind: "nop" }, { kind: "timestamps", tsVal: this.timestampNow(now), tsEcr: this.tsRecent ?? 0 });
    if (this.sackOk && !this.ooo.isEmpty) {
      const ranges = this.ooo.sackRanges(this.tsOk ? 3 : 4);
      opts.push({ kind: "nop" }, { kind: "nop" }, { kind: "sack", blocks: ranges.map(([a, b]) => ({ left: S.add(this.rcvNxt, a), right: S.add(this.rcvNxt, b) })) });
    }
    const payload = len > 0 ? this.sndBuf.view(S.sub(seq, this.sndBufSeq), len) : EMPTY;
    const seg: OutSegment = {
      header: {
        srcPort: this.localPort,
        dstPort: this.remotePort,
        seq,
        ack: this.rcvNxt,
        flags,
        window: this.windowField(false),
        checksum: 0,
        urgent: 0,
        options: opts,
      },
      payload,
    };
    this.afterAckSent();
    return seg;
  }

  /** A segment with no options or data (RST replies). */
  private bare(seq: number, ack: number, flags: number): OutSegment {
    return {
      header: { srcPort: this.localPort, dstPort: this.remotePort, seq: seq >>> 0, ack: ack >>> 0, flags, window: 0, checksum: 0, urgent: 0, options: [] },
      payload: EMPTY,
    };
  }

  private afterAckSent(): void {
    this.ackNow = false;
    this.ackAt = undefined;
    this.segsUnacked = 0;
    this.lastAckSent = this.rcvNxt;
    const w = this._state === TcpState.SYN_SENT || this._state === TcpState.SYN_RECEIVED ? this.windowField(true) : this.windowField(false) << this.rcvScale;
    this.rcvAdvEdge = S.add(this.rcvNxt, w);
  }

  /** After the application read: announce a window that opened by enough (RFC 9293 §3.8.6.2.2). */
  private maybeWindowUpdate(): void {
    if (!isSynchronized(this._state) || this.peerFinDone) return;
    const edge = S.add(this.rcvNxt, this.windowField(false) << this.rcvScale);
    const grown = S.sub(edge, this.rcvAdvEdge);
    if (grown >= Math.min(this.rcvBuf.capacity >> 1, 2 * this.config.mss)) this.ackNow = true;
  }

  // ---------------------------------------------------------------- transitions

  private init(iss?: number): void {
    this.used = true;
    let isn = iss;
    const r = new Uint8Array(8);
    this.platform.randomBytes(r);
    if (isn === undefined) isn = readU32be(r, 0);
    this.tsOffset = readU32be(r, 4);
    this.iss = isn >>> 0;
    this.sndUna = this.iss;
    this.sndNxt = this.iss;
    this.sndMax = this.iss;
    this.sndBufSeq = S.add(this.iss, 1);
  }

  /** Applies the peer's SYN options; `echo` = we answer with SYN+ACK. */
  private negotiate(o: ParsedOptions, echo: boolean): void {
    const c = this.config;
    const mss = o.mss ?? MSS_DEFAULT;
    this.tsOk = c.timestamps && o.timestamps !== undefined;
    this.sackOk = c.sack && o.sackPermitted;
    this.wsAgreed = c.windowScaling && o.windowScale !== undefined;
    this.sndScale = this.wsAgreed ? (o.windowScale as number) : 0;
    this.rcvScale = this.wsAgreed ? windowScaleFor(c.recvBufferSize) : 0;
    this.sndMss = Math.max(64, Math.min(mss, c.mss) - (this.tsOk ? TS_OPT_LEN : 0));
    this.cc.setMss(this.sndMss, c.initialCwndSegments);
    void echo;
  }

  private toEstablished(): void {
    this._state = this.finQueued ? TcpState.FIN_WAIT_1 : TcpState.ESTABLISHED;
  }

  private toTimeWait(now: number): void {
    this._state = TcpState.TIME_WAIT;
    this.finWait2At = undefined;
    this.rtoAt = undefined;
    this.persistAt = undefined;
    this.timeWaitAt = now + this.config.timeWaitMs;
  }

  private toListenAgain(): void {
    this._state = TcpState.LISTEN;
    this.rtoAt = undefined;
    this.retries = 0;
    this.sndNxt = this.iss;
    this.sndMax = this.iss;
    this.sndUna = this.iss;
  }

  private toClosed(): void {
    this._state = TcpState.CLOSED;
    this.rtoAt = undefined;
    this.persistAt = undefined;
    this.ackAt = undefined;
    this.timeWaitAt = undefined;
    this.finWait2At = undefined;
    this.ackNow = false;
    this.probeNow = false;
    this.rexmitOne = false;
  }

  private fail(err: TcpError): void {
    this._error = err;
    this.toClosed();
  }

  private canSend(): boolean {
    const s = this._state;
    return !this.finQueued && (s === TcpState.SYN_SENT || s === TcpState.SYN_RECEIVED || s === TcpState.ESTABLISHED || s === TcpState.CLOSE_WAIT);
  }

  private stateError(op: string): TcpStateError {
    return new TcpStateError(this.remoteAddr, this.remotePort, op, this._state);
  }
}

const EMPTY = new Uint8Array(0);
