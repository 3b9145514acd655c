/**
 * The clock and timer seam of the client: core code never calls
 * setTimeout or Date.now. On Node, `nodeTimers` (from "@pxe/http/node")
 * implements it; in the NBP, the platform's poll loop does; in tests,
 * `ManualTimers` (from "@pxe/http/testing") runs virtual time.
 */
export interface Timers {
  /** Monotonic milliseconds. */
  now(): number;
  /** Calls `fn` once after `ms`; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

/**
 * Resolves/rejects like `p`, or rejects with `onTimeout()` when `ms` pass
 * first (`ms` not finite or <= 0: no limit). `cleanup` runs on timeout
 * (e.g. abort the connection).
 */
export function withTimeout<T>(timers: Timers, ms: number | undefined, p: Promise<T>, onTimeout: () => Error, cleanup?: () => void): Promise<T> {
  if (ms === undefined || !(ms > 0) || !Number.isFinite(ms)) return p;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const cancel = timers.setTimer(ms, () => {
      if (settled) return;
      settled = true;
      if (cleanup) cleanup();
      reject(onTimeout());
    });
    p.then(
      (v) => {
        if (settled) return;
        settled = true;
        cancel();
        resolve(v);
      },
      (e) => {
        if (settled) return;
        settled = true;
        cancel();
        reject(e);
      },
    );
  });
}
