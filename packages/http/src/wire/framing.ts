import { HttpParseError } from "../errors.js";
import type { Headers } from "./headers.js";
import type { HttpMethod } from "./request.js";

/** How the body of a response is delimited (RFC 9112 §6.3). */
export type BodyFraming =
  | { readonly kind: "none" }
  | { readonly kind: "length"; readonly length: number }
  | { readonly kind: "chunked" }
  | { readonly kind: "close" };

/** The framing decision plus whether it leaves the connection in doubt. */
export interface FramingDecision {
  /** How to read the body. */
  readonly framing: BodyFraming;
  /** False when the framing was suspicious (TE with CL, TE in HTTP/1.0): never reuse. */
  readonly trustworthy: boolean;
}

/**
 * Parses one Content-Length field value: digits only, at most 15 of them
 * (so it stays a safe integer). Returns null when invalid.
 */
export function parseContentLength(v: string): number | null {
  if (!/^[0-9]{1,15}$/.test(v)) return null;
  return Number(v);
}

/**
 * Decides the body framing of a response to `method` with `status`
 * (RFC 9112 §6.3): no body for HEAD, 1xx, 204 and 304; chunked when
 * Transfer-Encoding ends in chunked (Content-Length then ignored and the
 * connection not reused); close-delimited for any other Transfer-Encoding;
 * else Content-Length, which must appear once with one valid value (a
 * duplicate, a list, or a bad number is a HttpParseError); else
 * close-delimited.
 */
export function decideFraming(method: HttpMethod, status: number, versionMinor: number, headers: Headers, at: number): FramingDecision {
  if (method === "HEAD" || (status >= 100 && status < 200) || status === 204 || status === 304) {
    return { framing: { kind: "none" }, trustworthy: true };
  }
  const te = headers.tokens("transfer-encoding");
  const cls = headers.getAll("content-length");
  if (headers.has("transfer-encoding")) {
    const chunked = te.length > 0 && te[te.length - 1].toLowerCase() === "chunked";
    const trustworthy = cls.length === 0 && versionMinor >= 1 && te.length === 1;
    return { framing: chunked ? { kind: "chunked" } : { kind: "close" }, trustworthy: chunked && trustworthy };
  }
  if (cls.length > 1) throw new HttpParseError("header", at, `${cls.length} Content-Length fields`);
  if (cls.length === 1) {
    const n = parseContentLength(cls[0]);
    if (n === null) {
      const dup = cls[0].indexOf(",") >= 0;
      throw new HttpParseError("header", at, dup ? `duplicate Content-Length values ${JSON.stringify(cls[0])}` : `bad Content-Length ${JSON.stringify(cls[0])}`);
    }
    return { framing: { kind: "length", length: n }, trustworthy: true };
  }
  return { framing: { kind: "close" }, trustworthy: true };
}
