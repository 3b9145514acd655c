/**
 * Sans-IO low-speed check of a response body, after curl's
 * `--speed-limit/--speed-time` (CURLOPT_LOW_SPEED_LIMIT/TIME): the body
 * fails when fewer than `limit` bytes per second arrive over `timeMs` of
 * waiting for the network. Only time spent waiting for data counts, so a
 * consumer that is slow itself (hashing, writing to memory) is never
 * blamed on the server. The caller reports each wait: `startWait(now)`,
 * then `endWait(now, bytes)`; `waitBudget()` says how long the current
 * wait may last with no byte before the window fails.
 */
export class LowSpeedMonitor {
  private waited = 0;
  private bytes = 0;
  private waitStart = 0;

  /** `limit` bytes/s over `timeMs` ms; either 0 turns the check off. */
  constructor(readonly limit: number, readonly timeMs: number) {}

  /** True when a limit applies. */
  get enabled(): boolean {
    return this.limit > 0 && this.timeMs > 0;
  }

  /** Bytes the current window must collect. */
  private get needed(): number {
    return (this.limit * this.timeMs) / 1000;
  }

  /** Bytes received in the current window (for error reports). */
  get windowBytes(): number {
    return this.bytes;
  }

  /** A wait for data begins at `now`. */
  startWait(now: number): void {
    this.waitStart = now;
  }

  /** Longest the wait begun may last with nothing arriving before the window fails (ms); null when the window already has enough. */
  waitBudget(): number | null {
    if (!this.enabled || this.bytes >= this.needed) return null;
    return Math.max(0, this.timeMs - this.waited);
  }

  /**
   * The wait begun ended at `now` with `n` bytes. Returns false when a
   * whole window of waiting has passed with fewer bytes than the limit
   * asks (then the caller fails the body); true otherwise. A passed window
   * starts a new one.
   */
  endWait(now: number, n: number): boolean {
    if (!this.enabled) return true;
    this.waited += Math.max(0, now - this.waitStart);
    this.bytes += n;
    if (this.waited < this.timeMs) return true;
    const ok = this.bytes >= this.needed;
    this.waited = 0;
    this.bytes = 0;
    return ok;
  }
}
