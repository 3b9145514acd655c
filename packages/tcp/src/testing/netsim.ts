import { SeededRandom, WireError } from "@pxe/core";
import type { TcpHeader } from "../wire/header.js";
import { decodeSegment, encodeSegment } from "../wire/segment.js";
import type { OutSegment } from "../machine/segment-out.js";

/** Anything the netsim can connect: a TcpConnection or the RefPeer. */
export interface SimEndpoint {
  /** Takes one arriving segment. */
  onSegment(now: number, header: TcpHeader, payload: Uint8Array): void;
  /** Returns segments to send now. */
  poll(now: number): OutSegment[];
  /** Next timer, ms. */
  nextDeadline(): number | undefined;
}

/** Impairments and shape of one direction of the simulated link. */
export interface ChannelOptions {
  /** Probability a segment is lost. */
  loss?: number;
  /** Probability a segment is delivered twice. */
  duplicate?: number;
  /** Probability a segment is held back (delivered after later ones). */
  reorder?: number;
  /** Probability one byte of a segment is flipped (the checksum then drops it). */
  corrupt?: number;
  /** One-way latency, ms (default 1). */
  latencyMs?: number;
  /** Uniform extra delay in [0, jitterMs), ms (default 0). */
  jitterMs?: number;
  /** Link rate in bytes per ms (default: unlimited). 12500 = 100 Mbit/s. */
  bytesPerMs?: number;
}

/** What happened on the link. */
export interface NetsimStats {
  /** Segments sent by a (client) and b (peer). */
  sent: [number, number];
  /** Payload bytes sent by a and b. */
  bytes: [number, number];
  /** Segments lost. */
  lost: number;
  /** Segments delivered twice. */
  duplicated: number;
  /** Segments held back behind later ones. */
  reordered: number;
  /** Segments with a flipped bit (then dropped by the checksum). */
  corrupted: number;
}

interface InFlight {
  at: number;
  order: number;
  to: 0 | 1;
  bytes: Uint8Array;
}

/**
 * TEST-ONLY deterministic network between two endpoints (a = our client,
 * b = the peer): every segment is really encoded with its checksum,
 * carried through a seeded lossy/duplicating/reordering/corrupting channel
 * with latency and an optional rate, and decoded (checksum verified) on
 * arrival. Time is virtual: `run` jumps from event to event.
 */
export class Netsim {
  /** Virtual time, ms. */
  now: number;
  /** Counters. */
  readonly stats: NetsimStats = { sent: [0, 0], bytes: [0, 0], lost: 0, duplicated: 0, reordered: 0, corrupted: 0 };
  /** Optional filter: return true to drop a segment deliberately (dir 0 = a->b). */
  dropIf: ((dir: 0 | 1, header: TcpHeader, payload: Uint8Array) => boolean) | undefined;
  /** Called every step before the endpoints are polled (read/write application data here). */
  tick: ((now: number) => void) | undefined;
  /** When the application wants its next `tick` even if the network is idle (e.g. a paced reader). */
  appDeadline: (() => number | undefined) | undefined;

  private readonly rng: SeededRandom;
  private readonly ch: [ChannelOptions, ChannelOptions];
  private readonly ends: [SimEndpoint, SimEndpoint];
  private readonly addrs: [number, number];
  private readonly heap: InFlight[] = [];
  private readonly busy: [number, number] = [0, 0];
  private order = 0;

  /** Connects `a` (at `aAddr`) and `b` (at `bAddr`). */
  constructor(opts: { a: SimEndpoint; b: SimEndpoint; aAddr: number; bAddr: number; seed: number; channel?: ChannelOptions; aToB?: ChannelOptions; bToA?: ChannelOptions; start?: number }) {
    this.ends = [opts.a, opts.b];
    this.addrs = [opts.aAddr >>> 0, opts.bAddr >>> 0];
    this.rng = new SeededRandom(opts.seed);
    this.ch = [{ ...opts.channel, ...opts.aToB }, { ...opts.channel, ...opts.bToA }];
    this.now = opts.start ?? 0;
  }

  /** Segments currently on the wire. */
  get inFlight(): number {
    return this.heap.length;
  }

  /**
   * Runs until `until()` holds (returns true), or nothing can happen any
   * more, or virtual time would pass `maxTime` (returns false).
   */
  run(until: () => boolean, maxTime = this.now + 600_000, maxSteps = 5_000_000): boolean {
    for (let step = 0; step < maxSteps; step++) {
      while (this.heap.length > 0 && this.heap[0].at <= this.now) this.deliver(this.pop());
      this.tick?.(this.now);
      this.flush(0);
      this.flush(1);
      if (until()) return true;
      let next = this.heap.length > 0 ? this.heap[0].at : undefined;
      for (const e of [...this.ends, { nextDeadline: () => this.appDeadline?.() }]) {
        const d = e.nextDeadline();
        if (d !== undefined && (next === undefined || d < next)) next = d;
      }
      if (next === undefined) return until();
      if (next > maxTime) {
        this.now = maxTime;
        return until();
      }
      if (next > this.now) this.now = next;
    }
    return until();
  }

  /** Polls endpoint `i` and puts its output on the wire. */
  flush(i: 0 | 1): void {
    for (const s of this.ends[i].poll(this.now)) this.transmit(i, s);
  }

  private transmit(from: 0 | 1, s: OutSegment): void {
    const to: 0 | 1 = from === 0 ? 1 : 0;
    this.stats.sent[from]++;
    this.stats.bytes[from] += s.payload.length;
    if (this.dropIf?.(from, s.header, s.payload)) return;
    const c = this.ch[from];
    const bytes = encodeSegment(s.header, s.payload, this.addrs[from], this.addrs[to]);
    const rate = c.bytesPerMs ?? Infinity;
    const depart = Math.max(this.now, this.busy[from]) + (bytes.length + 40) / rate;
    this.busy[from] = rate === Infinity ? this.now : depart;
    const r = this.rng;
    if (c.loss && r.next() < c.loss) {
      this.stats.lost++;
      return;
    }
    const lat = c.latencyMs ?? 1;
    let at = depart + lat + (c.jitterMs ? r.next() * c.jitterMs : 0);
    if (c.reorder && r.next() < c.reorder) {
      this.stats.reordered++;
      at += lat * 2 + 1 + r.next() * 4 * (lat + 1);
    }
    if (c.corrupt && r.next() < c.corrupt) {
      this.stats.corrupted++;
      bytes[r.below(bytes.length)] ^= 1 << r.below(8);
    }
    this.push({ at, order: this.order++, to, bytes });
    if (c.duplicate && r.next() < c.duplicate) {
      this.stats.duplicated++;
      this.push({ at: at + r.next() * 3 * (lat + 1), order: this.order++, to, bytes: bytes.slice() });
    }
  }

  private deliver(p: InFlight): void {
    const from = p.to === 0 ? 1 : 0;
    let seg;
    try {
      seg = decodeSegment(p.bytes, 0, p.bytes.length, { src: this.addrs[from], dst: this.addrs[p.to] });
    } catch (e) {
      if (e instanceof WireError) return; // corrupted: dropped as a real stack would
      throw e;
    }
    this.ends[p.to].onSegment(this.now, seg.header, seg.payload);
  }

  private less(a: InFlight, b: InFlight): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private push(x: InFlight): void {
    const h = this.heap;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): InFlight {
    const h = this.heap;
    const top = h[0];
    const last = h.pop() as InFlight;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
