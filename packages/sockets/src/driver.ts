import type { ManualClock, Platform } from "@pxe/core";

/**
 * How the Promise layer waits. `now()` is the time passed to poll;
 * `idle(until)` lets time pass (and I/O arrive) until about `until` — or
 * less: the waiter polls again after every idle. Node implements it with
 * timers (@pxe/sockets/node), the NBP with a busy loop over its clock
 * (`busyHost`), tests with a virtual clock (`virtualHost`).
 */
export interface DriverHost {
  /** Current time (ms), the same clock the stack's timers use. */
  now(): number;
  /** Waits a little (at most until `until`, ms); must yield to other promise chains. */
  idle(until: number): Promise<void>;
}

/**
 * The NBP driver: no timers, no threads — `idle` returns at once (after a
 * microtask, so other coroutines run) and the waiter spins over the host
 * clock, polling the stack.
 */
export function busyHost(platform: Platform): DriverHost {
  return { now: () => platform.now(), idle: () => Promise.resolve() };
}

/**
 * A virtual-time driver for tests: each idle advances `clock` by `stepMs`
 * (default 1) and first calls `beforeIdle` (e.g. to poll peer stacks).
 */
export function virtualHost(clock: ManualClock, opts: { stepMs?: number; beforeIdle?: (now: number) => void } = {}): DriverHost {
  const step = opts.stepMs ?? 1;
  return {
    now: () => clock.time,
    idle: async (until) => {
      opts.beforeIdle?.(clock.time);
      // Up to the next deadline, at most one step; a deadline already due still lets one step pass.
      clock.advance(until > clock.time ? Math.min(step, until - clock.time) : step);
      await Promise.resolve();
    },
  };
}
