/** One limit on a wait: how long (ms) and the error when it passes first. */
export interface WaitLimit {
  /** Time left, ms. */
  readonly ms: number;
  /** The error to fail with. */
  readonly error: () => Error;
}

/**
 * The limit that passes first among `limits` (null entries and limits
 * that are off are skipped; one already passed counts as 1 ms, so that it
 * fires at once rather than being read as "no limit"). Null when none applies.
 */
export function firstLimit(limits: readonly (WaitLimit | null)[]): WaitLimit | null {
  let best: WaitLimit | null = null;
  for (const l of limits) {
    if (!l || !Number.isFinite(l.ms)) continue;
    const ms = Math.max(1, l.ms);
    if (!best || ms < best.ms) best = { ms, error: l.error };
  }
  return best;
}

/** The absolute deadline of one request (ms on the client's clock) and its setting. */
export interface Deadline {
  /** When it passes. */
  readonly at: number;
  /** The setting, for the error. */
  readonly ms: number;
}
