import type { ResponseHead } from "./response-parser.js";

/** Whether a connection may carry another request after this response, and the server's hints. */
export interface KeepAliveDecision {
  /** True when the connection may be reused. */
  readonly reusable: boolean;
  /** Why (for logs and tests), e.g. "HTTP/1.0 without keep-alive". */
  readonly reason: string;
  /** Keep-Alive: timeout=N hint, in milliseconds; null when absent. */
  readonly idleTimeoutMs: number | null;
  /** Keep-Alive: max=N hint (requests left); null when absent. */
  readonly maxRequests: number | null;
}

/** Parses a Keep-Alive header value ("timeout=5, max=100") into its hints; bad parts are ignored. */
export function parseKeepAlive(value: string | null): { timeoutS: number | null; max: number | null } {
  let timeoutS: number | null = null;
  let max: number | null = null;
  if (value === null) return { timeoutS, max };
  for (const part of value.split(",")) {
    const m = /^[ \t]*([A-Za-z]+)[ \t]*=[ \t]*"?([0-9]{1,9})"?[ \t]*$/.exec(part);
    if (!m) continue;
    const k = m[1].toLowerCase();
    if (k === "timeout") timeoutS = Number(m[2]);
    else if (k === "max") max = Number(m[2]);
  }
  return { timeoutS, max };
}

/**
 * Decides whether the connection that carried `head` can be reused
 * (RFC 9112 §9.3): never after a request with Connection: close, a
 * close-delimited body, suspicious framing, or Connection: close in the
 * response; HTTP/1.0 only with Connection: keep-alive; HTTP/1.1 by
 * default. Keep-Alive hints: timeout (seconds) and max (0 = no more).
 */
export function keepAliveDecision(head: ResponseHead, requestedClose = false): KeepAliveDecision {
  const ka = parseKeepAlive(head.headers.get("keep-alive"));
  const hints = { idleTimeoutMs: ka.timeoutS === null ? null : ka.timeoutS * 1000, maxRequests: ka.max };
  const no = (reason: string): KeepAliveDecision => ({ reusable: false, reason, ...hints });
  const conn = head.headers.tokens("connection").map((t) => t.toLowerCase());
  if (requestedClose) return no("request asked to close");
  if (head.framing.kind === "close") return no("body delimited by close");
  if (!head.framingTrustworthy) return no("suspicious message framing");
  if (conn.indexOf("close") >= 0) return no("Connection: close");
  if (head.versionMinor === 0 && conn.indexOf("keep-alive") < 0) return no("HTTP/1.0 without keep-alive");
  if (ka.max === 0) return no("Keep-Alive max=0");
  if (ka.timeoutS === 0) return no("Keep-Alive timeout=0");
  return { reusable: true, reason: head.versionMinor === 0 ? "HTTP/1.0 keep-alive" : "HTTP/1.1 persistent", ...hints };
}
