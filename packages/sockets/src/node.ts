/**
 * Node-only helpers of @pxe/sockets: a DriverHost on Node's timers.
 */
import type { DriverHost } from "./driver.js";

/**
 * A DriverHost for Node: time from `now` (default performance.now), and
 * `idle` sleeps on a timer for at most `maxSleepMs` (default 2 ms) so
 * frames arriving on the link are picked up promptly.
 */
export function nodeHost(opts: { now?: () => number; maxSleepMs?: number } = {}): DriverHost {
  const now = opts.now ?? (() => performance.now());
  const max = opts.maxSleepMs ?? 2;
  return {
    now,
    idle: (until) => new Promise<void>((resolve) => {
      const ms = Math.max(0, Math.min(max, until - now()));
      if (ms === 0) setImmediate(resolve);
      else setTimeout(resolve, ms);
    }),
  };
}
