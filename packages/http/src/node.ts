import type { Timers } from "./timers.js";

/** Timers backed by Node's clock and setTimeout (Node-only entry "@pxe/http/node"). */
export const nodeTimers: Timers = {
  now: () => performance.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};
