/**
 * Node-only helpers of @pxe/sockets: a DriverHost on Node's timers.
 */
import type { DriverHost } from "./driver.js";

/** Options of nodeHost. */
export interface NodeHostOptions {
  /** Clock (ms); default performance.now. Use the same clock as the platform given to the Stack. */
  now?: () => number;
  /** Longest sleep of one idle (ms); default 2. */
  maxSleepMs?: number;
  /**
   * Subscribes to "a frame arrived" (e.g. `(l) => tapLink.onReadable(l)`) so
   * an idle ends at once instead of at its timer; returns an unsubscribe.
   */
  wake?: (listener: () => void) => () => void;
}

/**
 * A DriverHost for Node: `idle` sleeps on a timer for at most `maxSleepMs`,
 * or until `wake` reports a frame, so frames are picked up promptly.
 */
export function nodeHost(opts: NodeHostOptions = {}): DriverHost {
  const now = opts.now ?? (() => performance.now());
  const max = opts.maxSleepMs ?? 2;
  return {
    now,
    idle: (until) =>
      new Promise<void>((resolve) => {
        const ms = Math.max(0, Math.min(max, until - now()));
        if (ms === 0) {
          setImmediate(resolve);
          return;
        }
        let off: (() => void) | undefined;
        const done = () => {
          clearTimeout(timer);
          off?.();
          resolve();
        };
        const timer = setTimeout(done, ms);
        off = opts.wake?.(done);
      }),
  };
}
