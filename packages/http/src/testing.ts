// Test helpers of @pxe/http ("@pxe/http/testing"): virtual timers, an
// in-memory transport with scripted servers, and fast-check arbitraries.
export { ManualTimers, drive, settle } from "./testing/manual-timers.js";
export { MemoryTransport, MemoryResolver, responseHead } from "./testing/memory-transport.js";
export type { ScriptedConnection, ScriptedServer, RecordedRequest, ConnectionLog } from "./testing/memory-transport.js";
export {
  arbHttpUrl,
  arbMessyUrlString,
  arbHostName,
  arbIPv4,
  arbIPv6,
  arbFieldName,
  arbFieldValue,
  arbHeaderFields,
  arbResponseSpec,
  encodeResponse,
  arbChunking,
  splitAt,
} from "./testing/arbitraries.js";
export type { ResponseSpec } from "./testing/arbitraries.js";
