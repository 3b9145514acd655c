import * as S from "../seq.js";
import { TcpFlags as FL } from "../wire/constants.js";
import type { TcpHeader } from "../wire/header.js";
import { parseOptions, type TcpOption } from "../wire/options.js";
import type { OutSegment } from "../machine/segment-out.js";

/** Settings of the reference peer. */
export interface RefPeerOptions {
  /** Our (the peer's) port. Default 80. */
  port?: number;
  /** The client's port. Default 49152. */
  remotePort?: number;
  /** Initial sequence number. Default 0x10000000. */
  iss?: number;
  /** MSS announced. Default 1460. */
  mss?: number;
  /** Window-scale shift to announce (undefined: no option). Default 7. */
  windowScale?: number;
  /** Receive window advertised, bytes (the peer's app reads at once). Default 256 KiB. */
  rcvWindow?: number;
  /** Answer timestamps when offered. Default true. */
  timestamps?: boolean;
  /** Most bytes in flight the peer allows itself. Default 1 MiB. */
  maxFlight?: number;
  /** Fixed retransmission timeout, ms. Default 200. */
  rtoMs?: number;
  /** Answer SYNs with RST (nothing listening). Default false. */
  refuse?: boolean;
  /** Close (send FIN) once our FIN arrived and our data is sent. Default true. */
  closeOnFin?: boolean;
}

/**
 * TEST-ONLY minimal server-side TCP used as the reference peer in tests
 * and the netsim: passive open, receive with out-of-order segments held
 * (answered with a duplicate ACK; every segment is ACKed at once), a send stream with go-back-N on its fixed RTO, a resend of the
 * first unacknowledged segment on 3 duplicate ACKs or on an ACK that still
 * carries SACK blocks, FIN both ways, RST on request. No congestion
 * control. Deliberately simple and independent of `TcpConnection`.
 */
export class RefPeer {
  /** A coarse state name. */
  state: "LISTEN" | "SYN-RECEIVED" | "ESTABLISHED" | "CLOSE-WAIT" | "LAST-ACK" | "FIN-WAIT-1" | "FIN-WAIT-2" | "CLOSING" | "TIME-WAIT" | "CLOSED" = "LISTEN";
  /** Receive window advertised, bytes; set 0 to stall the client. */
  rcvWindow: number;
  /** Segments that carried SACK options (count). */
  sackSeen = 0;
  /** RSTs received. */
  resetsSeen = 0;
  /** Zero-window probes answered (segments below rcv_nxt with no data while our window is 0). */
  probesSeen = 0;
  /** Retransmissions made. */
  retransmissions = 0;

  private readonly o: Required<Omit<RefPeerOptions, "windowScale">> & { windowScale: number | undefined };
  private readonly recvChunks: Uint8Array[] = [];
  private recvTotal = 0;
  private sendStream: Uint8Array = new Uint8Array(0);
  private sendLen = 0;
  private iss: number;
  private sndUna = 0;
  private sndNxt = 0;
  private sndMax = 0;
  private sndWnd = 0;
  private sndScale = 0;
  private rcvScale = 0;
  private sndMss = 536;
  private rcvNxt = 0;
  private irs = 0;
  private ts = false;
  private wsOk = false;
  private probe = false;
  private tsRecent = 0;
  private finQueued = false;
  private finAcked = false;
  private peerFin = false;
  private rtoAt: number | undefined;
  private ackNow = false;
  private dupAcks = 0;
  private lastRexmitUna: number | undefined;
  private rexmitNow = false;
  private out: OutSegment[] = [];
  private readonly ooo = new Map<number, { data: Uint8Array; fin: boolean }>();

  /** Creates a listening peer. */
  constructor(opts: RefPeerOptions = {}) {
    this.o = {
      port: opts.port ?? 80,
      remotePort: opts.remotePort ?? 49152,
      iss: opts.iss ?? 0x10000000,
      mss: opts.mss ?? 1460,
      windowScale: "windowScale" in opts ? opts.windowScale : 7,
      rcvWindow: opts.rcvWindow ?? 256 << 10,
      timestamps: opts.timestamps ?? true,
      maxFlight: opts.maxFlight ?? 1 << 20,
      rtoMs: opts.rtoMs ?? 200,
      refuse: opts.refuse ?? false,
      closeOnFin: opts.closeOnFin ?? true,
    };
    this.rcvWindow = this.o.rcvWindow;
    this.iss = this.o.iss >>> 0;
  }

  /** Everything received in order so far (a copy). */
  received(): Uint8Array {
    const all = new Uint8Array(this.recvTotal);
    let p = 0;
    for (const c of this.recvChunks) {
      all.set(c, p);
      p += c.length;
    }
    return all;
  }
  /** Bytes received in order. */
  get receivedLength(): number {
    return this.recvTotal;
  }
  /** True once the client's FIN arrived in order. */
  get gotFin(): boolean {
    return this.peerFin;
  }
  /** Bytes of our stream the client acknowledged. */
  get ackedLength(): number {
    return Math.max(0, Math.min(this.sendLen, S.sub(this.sndUna, S.add(this.iss, 1))));
  }

  /** Appends bytes to the peer's outgoing stream. */
  write(data: Uint8Array): void {
    if (this.sendLen + data.length > this.sendStream.length) {
      const n = new Uint8Array(Math.max(this.sendLen + data.length, this.sendStream.length * 2));
      n.set(this.sendStream.subarray(0, this.sendLen));
      this.sendStream = n;
    }
    this.sendStream.set(data, this.sendLen);
    this.sendLen += data.length;
  }

  /** Sends FIN after the stream. */
  close(): void {
    this.finQueued = true;
  }

  /** Sends RST now and forgets the connection. */
  reset(): void {
    this.out.push(this.seg(this.sndNxt, FL.RST | FL.ACK, 0, 0));
    this.state = "CLOSED";
    this.rtoAt = undefined;
  }

  /** Earliest timer (ms), if any. */
  nextDeadline(): number | undefined {
    return this.rtoAt;
  }

  /** Processes one segment from the client. */
  onSegment(now: number, h: TcpHeader, payload: Uint8Array): void {
    this.tsClock = Math.floor(now);
    const f = h.flags;
    if (f & FL.RST) {
      this.resetsSeen++;
      if (this.state !== "LISTEN") this.state = "CLOSED";
      this.rtoAt = undefined;
      return;
    }
    if (this.state === "CLOSED") return;
    const opts = parseOptions(h.options);
    if (opts.sack) this.sackSeen++;
    if (this.state === "LISTEN") {
      if (!(f & FL.SYN) || f & FL.ACK) return;
      if (this.o.refuse) {
        this.out.push({ header: this.hdr(0, S.add(h.seq, 1), FL.RST | FL.ACK, 0, []), payload: new Uint8Array(0) });
        return;
      }
      this.irs = h.seq;
      this.rcvNxt = S.add(h.seq, 1);
      this.sndMss = Math.min(opts.mss ?? 536, this.o.mss);
      this.ts = this.o.timestamps && opts.timestamps !== undefined;
      if (this.ts) this.sndMss -= 12;
      this.tsRecent = opts.timestamps?.tsVal ?? 0;
      this.wsOk = opts.windowScale !== undefined && this.o.windowScale !== undefined;
      this.sndScale = this.wsOk ? (opts.windowScale as number) : 0;
      this.rcvScale = this.wsOk ? (this.o.windowScale as number) : 0;
      this.sndWnd = h.window;
      this.state = "SYN-RECEIVED";
      this.sndUna = this.iss;
      this.sndNxt = this.iss;
      this.sndMax = this.iss;
      return;
    }
    if (f & FL.SYN) {
      // Retransmitted SYN: answer again with SYN+ACK.
      if (this.state === "SYN-RECEIVED") this.sndNxt = this.iss;
      else this.ackNow = true;
      return;
    }
    if (opts.timestamps && S.le(h.seq, this.rcvNxt)) this.tsRecent = opts.timestamps.tsVal;
    if (f & FL.ACK) this.onAck(now, h, payload.length, opts.sack !== undefined && opts.sack.length > 0);
    if ((this.state as string) === "CLOSED") return;
    // Data: in order only.
    let seq = h.seq;
    let data = payload;
    const hasFin = (f & FL.FIN) !== 0;
    if (S.lt(seq, this.rcvNxt)) {
      const cut = Math.min(data.length, S.sub(this.rcvNxt, seq));
      data = data.subarray(cut);
      seq = S.add(seq, cut);
      if (payload.length === 0 && !hasFin && this.rcvWindow === 0) this.probesSeen++;
      this.ackNow = true;
    }
    if (seq !== this.rcvNxt) {
      // Out of order: keep it (bounded by the window) and send a duplicate ACK.
      const off = S.sub(seq, this.rcvNxt);
      if (data.length > 0 && off > 0 && off + data.length <= this.rcvWindow && !this.peerFin) this.ooo.set(seq, { data: data.slice(), fin: hasFin });
      if (data.length > 0 || hasFin) this.ackNow = true;
      return;
    }
    if (this.peerFin) {
      if (hasFin) this.ackNow = true;
      return;
    }
    const take = Math.min(data.length, this.rcvWindow);
    if (take > 0) {
      this.recvChunks.push(data.slice(0, take));
      this.recvTotal += take;
      this.rcvNxt = S.add(this.rcvNxt, take);
      this.ackNow = true;
    } else if (data.length > 0) this.ackNow = true;
    let fin = hasFin && take === data.length;
    // Drain held segments that now continue the stream.
    for (let progress = take > 0; progress && !fin; ) {
      progress = false;
      for (const [k, v] of this.ooo) {
        const skip = S.sub(this.rcvNxt, k);
        if (skip < 0) continue;
        this.ooo.delete(k);
        if (skip > v.data.length || (skip === v.data.length && !v.fin)) continue;
        const rest = v.data.subarray(skip);
        if (rest.length > 0) {
          this.recvChunks.push(rest);
          this.recvTotal += rest.length;
          this.rcvNxt = S.add(this.rcvNxt, rest.length);
        }
        fin = v.fin;
        progress = true;
        break;
      }
    }
    if (fin) {
      this.ooo.clear();
      this.rcvNxt = S.add(this.rcvNxt, 1);
      this.peerFin = true;
      this.ackNow = true;
      if (this.state === "ESTABLISHED") {
        this.state = "CLOSE-WAIT";
        if (this.o.closeOnFin) this.finQueued = true;
      } else if (this.state === "FIN-WAIT-1") this.state = "CLOSING";
      else if (this.state === "FIN-WAIT-2") this.state = "TIME-WAIT";
    }
  }

  private onAck(now: number, h: TcpHeader, payloadLen: number, hasSack: boolean): void {
    const ack = h.ack;
    if (S.gt(ack, this.sndMax)) return;
    if (this.state === "SYN-RECEIVED") {
      if (ack !== S.add(this.iss, 1)) return;
      this.state = "ESTABLISHED";
    }
    const wnd = h.window << this.sndScale;
    if (S.gt(ack, this.sndUna)) {
      this.sndUna = ack;
      if (S.lt(this.sndNxt, ack)) this.sndNxt = ack;
      this.dupAcks = 0;
      this.rtoAt = this.sndUna === this.sndMax ? undefined : now + this.o.rtoMs;
      // Our FIN is acknowledged when ack passes the end of the stream.
      const finSeq = S.add(this.iss, 1 + this.sendLen);
      if (this.finQueued && S.gt(ack, finSeq)) this.onFinAcked();
      // A partial ACK while the client still holds out-of-order data: resend the next hole now.
      if (hasSack && S.lt(this.sndUna, this.sndMax)) this.rexmitNow = true;
    } else if (ack === this.sndUna && payloadLen === 0 && S.lt(this.sndUna, this.sndMax)) {
      this.dupAcks++;
      if ((this.dupAcks >= 3 || hasSack) && this.lastRexmitUna !== this.sndUna) this.rexmitNow = true;
    }
    this.sndWnd = wnd;
  }

  private onFinAcked(): void {
    if (this.finAcked) return;
    this.finAcked = true;
    if (this.state === "FIN-WAIT-1") this.state = "FIN-WAIT-2";
    else if (this.state === "CLOSING") this.state = "TIME-WAIT";
    else if (this.state === "LAST-ACK") this.state = "CLOSED";
  }

  /** Returns the segments to send now. */
  poll(now: number): OutSegment[] {
    this.tsClock = Math.floor(now);
    const out = this.out;
    this.out = [];
    if (this.state === "CLOSED" || this.state === "LISTEN") return out;
    if (this.rtoAt !== undefined && now >= this.rtoAt) {
      this.sndNxt = this.sndUna; // go-back-N
      this.rtoAt = undefined;
      this.retransmissions++;
      this.probe = this.sndWnd === 0;
    }
    if (this.state === "SYN-RECEIVED") {
      if (this.sndNxt === this.iss) {
        const opts: TcpOption[] = [{ kind: "mss", mss: this.o.mss }];
        if (this.wsOk) opts.push({ kind: "nop" }, { kind: "windowScale", shift: this.o.windowScale as number });
        if (this.ts) opts.push({ kind: "nop" }, { kind: "nop" }, { kind: "timestamps", tsVal: Math.floor(now) >>> 0, tsEcr: this.tsRecent });
        out.push({ header: this.hdr(this.iss, this.rcvNxt, FL.SYN | FL.ACK, Math.min(this.rcvWindow, 65535), opts), payload: new Uint8Array(0) });
        this.sndNxt = S.add(this.iss, 1);
        this.sndMax = this.sndNxt;
        this.rtoAt = now + this.o.rtoMs;
      }
      return out;
    }
    if (this.state === "CLOSE-WAIT" && this.finQueued) this.state = "LAST-ACK";
    if (this.state === "ESTABLISHED" && this.finQueued) this.state = "FIN-WAIT-1";
    const dataStart = S.add(this.iss, 1);
    const dataEnd = S.add(dataStart, this.sendLen);
    if (this.rexmitNow) {
      this.rexmitNow = false;
      this.lastRexmitUna = this.sndUna;
      const len = Math.max(0, Math.min(this.sndMss, S.sub(S.min(dataEnd, this.sndMax), this.sndUna)));
      if (len > 0) {
        out.push(this.seg(this.sndUna, FL.ACK, S.sub(this.sndUna, dataStart), len));
        this.retransmissions++;
      }
    }
    for (;;) {
      const flight = S.sub(this.sndNxt, this.sndUna);
      const win = Math.min(this.sndWnd, this.o.maxFlight) - flight;
      const avail = Math.max(0, S.sub(dataEnd, this.sndNxt));
      let len = Math.max(0, Math.min(avail, win, this.sndMss));
      if (len === 0 && this.probe && avail > 0 && flight === 0) len = 1; // zero-window probe with one byte
      this.probe = false;
      const fin = this.finQueued && !this.finAcked && len === avail && S.le(this.sndNxt, dataEnd);
      if (len === 0 && !fin) break;
      out.push(this.seg(this.sndNxt, FL.ACK | (fin ? FL.FIN : 0) | (len === avail && len > 0 ? FL.PSH : 0), S.sub(this.sndNxt, dataStart), len));
      this.sndNxt = S.add(this.sndNxt, len + (fin ? 1 : 0));
      if (S.gt(this.sndNxt, this.sndMax)) this.sndMax = this.sndNxt;
      if (this.rtoAt === undefined) this.rtoAt = now + this.o.rtoMs;
      if (fin) break;
    }
    if (this.sndWnd === 0 && S.lt(this.sndNxt, dataEnd) && this.rtoAt === undefined) this.rtoAt = now + this.o.rtoMs;
    if (this.ackNow) out.push(this.seg(this.sndNxt, FL.ACK, 0, 0));
    this.ackNow = false;
    return out;
  }

  private seg(seq: number, flags: number, offset: number, len: number): OutSegment {
    const opts: TcpOption[] = [];
    if (this.ts) opts.push({ kind: "nop" }, { kind: "nop" }, { kind: "timestamps", tsVal: this.tsClock >>> 0, tsEcr: this.tsRecent });
    this.ackNow = false;
    return {
      header: this.hdr(seq, this.rcvNxt, flags, Math.min(65535, Math.floor(this.rcvWindow / 2 ** this.rcvScale)), opts),
      payload: this.sendStream.slice(offset, offset + len),
    };
  }

  /** The peer's timestamp clock; the netsim sets it before each poll/onSegment. */
  tsClock = 0;

  private hdr(seq: number, ack: number, flags: number, window: number, options: TcpOption[]): TcpHeader {
    return { srcPort: this.o.port, dstPort: this.o.remotePort, seq: seq >>> 0, ack: ack >>> 0, flags, window, checksum: 0, urgent: 0, options };
  }
}
