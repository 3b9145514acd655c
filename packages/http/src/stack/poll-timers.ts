import type { Timers } from "../timers.js";

interface Entry {
  at: number;
  fn: () => void;
  live: boolean;
}

/**
 * Timers that need no event loop: they fire from the stack's poll loop
 * (whoever waits through `StackTransport` calls `fireDue`). Core code —
 * the NBP's engine has no setTimeout. Pass `transport.timers` as the
 * HttpClient's `timers` so connect and stall timeouts fire while a request
 * waits on the stack.
 */
export class PollTimers implements Timers {
  private entries: Entry[] = [];

  /** Uses `clock` (the stack's `now`) as the time base. */
  constructor(private readonly clock: () => number) {}

  /** Current time, ms (the stack's clock). */
  now(): number {
    return this.clock();
  }

  /** Calls `fn` once `ms` have passed (at the next poll after that); returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void {
    const e: Entry = { at: this.clock() + ms, fn, live: true };
    this.entries.push(e);
    return () => {
      e.live = false;
    };
  }

  /** The earliest pending deadline, if any. */
  nextDeadline(): number | undefined {
    let t: number | undefined;
    for (const e of this.entries) if (e.live && (t === undefined || e.at < t)) t = e.at;
    return t;
  }

  /** True when a live timer is due at `now`. */
  due(now: number): boolean {
    for (const e of this.entries) if (e.live && e.at <= now) return true;
    return false;
  }

  /** Runs (once) every live timer due at `now` and forgets cancelled ones. */
  fireDue(now: number): void {
    if (this.entries.length === 0) return;
    const due: Entry[] = [];
    this.entries = this.entries.filter((e) => {
      if (!e.live) return false;
      if (e.at <= now) {
        due.push(e);
        return false;
      }
      return true;
    });
    for (const e of due) {
      e.live = false;
      e.fn();
    }
  }

  /** Pending (live) timers. */
  get pending(): number {
    let n = 0;
    for (const e of this.entries) if (e.live) n++;
    return n;
  }
}
