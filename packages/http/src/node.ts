// Node-only entry of @pxe/http ("@pxe/http/node").
import type { Timers } from "./timers.js";
export { NodeNetTransport, DEFAULT_NODE_HIGH_WATER } from "./node/net-transport.js";
export type { NodeNetTransportOptions } from "./node/net-transport.js";

/** Timers backed by Node's clock and setTimeout. */
export const nodeTimers: Timers = {
  now: () => performance.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};
