import { InterruptedError } from "../errors.js";

interface Timer {
  readonly due: number;
  readonly owner: object;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Sleep timers driven by explicit time: `sleep` registers, `fire(now)`
 * resolves those due. No setTimeout: the console loop calls `fire` on
 * every step with the platform clock.
 */
export class TimerQueue {
  private timers: Timer[] = [];

  /** A promise that resolves once `fire` sees a time >= `due`. */
  at(due: number, owner: object): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.timers.push({ due, owner, resolve, reject });
    });
  }

  /** Resolves every timer due by `now`; returns how many fired. */
  fire(now: number): number {
    if (this.timers.length === 0) return 0;
    const due = this.timers.filter((t) => t.due <= now);
    if (due.length === 0) return 0;
    this.timers = this.timers.filter((t) => t.due > now);
    for (const t of due) t.resolve();
    return due.length;
  }

  /** Rejects (with InterruptedError) every timer of `owner`. */
  interrupt(owner: object): void {
    const hit = this.timers.filter((t) => t.owner === owner);
    if (hit.length === 0) return;
    this.timers = this.timers.filter((t) => t.owner !== owner);
    for (const t of hit) t.reject(new InterruptedError());
  }

  /** Earliest due time, or undefined when none is pending. */
  next(): number | undefined {
    let m: number | undefined;
    for (const t of this.timers) if (m === undefined || t.due < m) m = t.due;
    return m;
  }

  /** Number of pending timers. */
  get size(): number {
    return this.timers.length;
  }
}
