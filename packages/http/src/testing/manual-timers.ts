import type { Timers } from "../timers.js";

interface Pending {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * Virtual time for tests: timers fire only when the test advances the
 * clock (`advance`, `advanceToNext`), in deadline order.
 */
export class ManualTimers implements Timers {
  private time: number;
  private seq = 0;
  private pending: Pending[] = [];

  /** Starts the clock at `start` ms. */
  constructor(start = 0) {
    this.time = start;
  }

  /** Current virtual time. */
  now(): number {
    return this.time;
  }

  /** Schedules `fn` after `ms`; returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void {
    const p: Pending = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.pending.push(p);
    return () => {
      this.pending = this.pending.filter((x) => x !== p);
    };
  }

  /** A promise that resolves after `ms` of virtual time. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => void this.setTimer(ms, resolve));
  }

  /** Number of scheduled timers. */
  get size(): number {
    return this.pending.length;
  }

  /** Moves the clock forward by `ms`, firing every timer due on the way. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const next = this.earliest();
      if (!next || next.at > until) break;
      this.fire(next);
    }
    this.time = until;
  }

  /** Jumps to the earliest timer and fires it (and any others due then); false when none is pending. */
  advanceToNext(): boolean {
    const next = this.earliest();
    if (!next) return false;
    this.fire(next);
    return true;
  }

  private earliest(): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.pending) if (!best || p.at < best.at || (p.at === best.at && p.seq < best.seq)) best = p;
    return best;
  }

  private fire(p: Pending): void {
    this.pending = this.pending.filter((x) => x !== p);
    if (p.at > this.time) this.time = p.at;
    p.fn();
  }
}

/**
 * Lets pending promise work run: one macrotask turn where the host has
 * setImmediate (Node), else many microtask hops (embedded engines).
 */
export function settle(): Promise<void> {
  const g = globalThis as unknown as { setImmediate?: (fn: () => void) => unknown };
  if (typeof g.setImmediate === "function") {
    const si = g.setImmediate;
    return new Promise((resolve) => void si(resolve));
  }
  return (async () => {
    for (let i = 0; i < 2000; i++) await Promise.resolve();
  })();
}

/**
 * Runs `promise` to completion under virtual time: lets pending work run
 * (`flush`, default `settle`), and whenever nothing else can happen, jumps
 * the clock to the next timer. Throws when nothing is pending and the
 * promise is still unsettled (a deadlock).
 */
export async function drive<T>(timers: ManualTimers, promise: Promise<T>, flush: () => Promise<void> = settle, maxSteps = 1_000_000): Promise<T> {
  let done = false;
  let failed = false;
  let value: T | undefined;
  let error: unknown;
  promise.then(
    (v) => {
      done = true;
      value = v;
    },
    (e) => {
      done = true;
      failed = true;
      error = e;
    },
  );
  for (let i = 0; i < maxSteps; i++) {
    await flush();
    if (done) break;
    if (!timers.advanceToNext()) {
      await flush();
      if (done) break;
      throw new Error("drive: deadlock (no timers pending and the promise is unsettled)");
    }
  }
  if (!done) throw new Error("drive: too many steps");
  if (failed) throw error;
  return value as T;
}
