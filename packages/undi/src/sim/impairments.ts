import type { SeededRandom } from "@pxe/core";

/** Impairments of one direction of a link. Rates are probabilities in [0, 1]. */
export interface Impairments {
  /** Probability a frame is lost. */
  loss?: number;
  /** Probability a frame is delivered twice. */
  duplicate?: number;
  /** Probability a frame is held back by `reorderDelayMs` so later frames overtake it. */
  reorder?: number;
  /** Probability one random bit of a frame is flipped. */
  corrupt?: number;
  /** Fixed one-way delay in ms (default 0: due at once). */
  delayMs?: number;
  /** Extra uniformly random delay in [0, jitterMs) ms. */
  jitterMs?: number;
  /** Extra delay of a reordered frame (default 5 ms). */
  reorderDelayMs?: number;
  /** Frames in flight before new ones are dropped (default 4096). */
  queueLimit?: number;
}

/** What the impairments did, per direction. */
export interface ImpairmentCounters {
  /** Frames offered. */
  offered: number;
  /** Frames dropped by the loss rate. */
  lost: number;
  /** Extra copies made. */
  duplicated: number;
  /** Frames held back for reordering. */
  reordered: number;
  /** Frames with a flipped bit. */
  corrupted: number;
  /** Frames due later than they were sent. */
  delayed: number;
  /** Frames dropped because the queue was full. */
  queueDrops: number;
  /** Frames handed out of the queue. */
  delivered: number;
}

interface InFlight {
  due: number;
  seq: number;
  frame: Uint8Array;
}

/** A fresh set of zero counters. */
export function zeroCounters(): ImpairmentCounters {
  return { offered: 0, lost: 0, duplicated: 0, reordered: 0, corrupted: 0, delayed: 0, queueDrops: 0, delivered: 0 };
}

/**
 * One impaired direction: frames go in with the time they were sent, the
 * seeded impairments are applied, and frames come out when they are due
 * (ordered by due time, then by sending order). Deterministic for a seed.
 */
export class ImpairedQueue {
  /** What was done to the frames so far. */
  readonly counters: ImpairmentCounters = zeroCounters();
  private readonly q: InFlight[] = [];
  private seq = 0;

  /** `rng` supplies every random decision, in a fixed order per frame. */
  constructor(private readonly cfg: Impairments, private readonly rng: SeededRandom) {}

  /** Frames in flight. */
  get size(): number {
    return this.q.length;
  }

  /** Offers a frame sent at `now` (copied). Returns false when the queue was full. */
  push(now: number, frame: Uint8Array): boolean {
    const c = this.cfg;
    this.counters.offered++;
    const r = this.rng;
    const lost = r.next() < (c.loss ?? 0);
    const corrupt = r.next() < (c.corrupt ?? 0);
    const dup = r.next() < (c.duplicate ?? 0);
    const reorder = r.next() < (c.reorder ?? 0);
    const jitter = r.next() * (c.jitterMs ?? 0);
    const bit = r.nextU32();
    if (lost) {
      this.counters.lost++;
      return true;
    }
    if (this.q.length >= (c.queueLimit ?? 4096)) {
      this.counters.queueDrops++;
      return false;
    }
    const copy = frame.slice();
    if (corrupt && copy.length > 0) {
      const at = (bit >>> 3) % copy.length;
      copy[at] ^= 1 << (bit & 7);
      this.counters.corrupted++;
    }
    let due = now + (c.delayMs ?? 0) + jitter;
    if (reorder) {
      due += c.reorderDelayMs ?? 5;
      this.counters.reordered++;
    }
    if (due > now) this.counters.delayed++;
    this.insert({ due, seq: this.seq++, frame: copy });
    if (dup) {
      this.counters.duplicated++;
      this.insert({ due, seq: this.seq++, frame: copy.slice() });
    }
    return true;
  }

  private insert(f: InFlight): void {
    let lo = 0;
    let hi = this.q.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.q[mid];
      if (m.due < f.due || (m.due === f.due && m.seq < f.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.q.splice(lo, 0, f);
  }

  /** Hands frames due by `now` to `onFrame` (each an owned copy), at most `budget`. Returns how many. */
  popDue(now: number, onFrame: (frame: Uint8Array) => void, budget = Infinity): number {
    let n = 0;
    while (n < budget && this.q.length > 0 && this.q[0].due <= now) {
      const f = this.q.shift()!;
      this.counters.delivered++;
      n++;
      onFrame(f.frame);
    }
    return n;
  }

  /** Time the next frame is due, or undefined when empty. */
  nextDue(): number | undefined {
    return this.q.length > 0 ? this.q[0].due : undefined;
  }

  /** Drops everything in flight. */
  clear(): void {
    this.q.length = 0;
  }
}
