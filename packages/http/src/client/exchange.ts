import type { Headers } from "../wire/headers.js";
import type { HttpMethod } from "../wire/request.js";
import type { ResponseEvent, ResponseHead, ResponseParser } from "../wire/response-parser.js";
import type { HttpUrl } from "../wire/url.js";
import type { Connection } from "./connection.js";

/** One request/response on a connection, as the client tracks it while the body streams. */
export interface Exchange {
  /** The connection carrying it. */
  readonly conn: Connection;
  /** The response parser. */
  readonly parser: ResponseParser;
  /** The response head. */
  readonly head: ResponseHead;
  /** Request method. */
  readonly method: HttpMethod;
  /** Request URL. */
  readonly url: HttpUrl;
  /** Body data parsed but not yet handed out. */
  readonly queued: Uint8Array[];
  /** True once the parser saw the end of the message. */
  ended: boolean;
  /** Set when EOF came before the announced end: [received, expected]. */
  truncated: { received: number; expected: number | null } | null;
  /** Trailer fields, when the chunked body had any. */
  trailers: Headers | null;
}

/** Applies parser events to an exchange-in-progress. Returns the head when one was in `events`. */
export function applyEvents(events: readonly ResponseEvent[], into: { queued: Uint8Array[]; ended: boolean; truncated: { received: number; expected: number | null } | null; trailers: Headers | null }): ResponseHead | null {
  let head: ResponseHead | null = null;
  for (const e of events) {
    switch (e.type) {
      case "head":
        head = e.head;
        break;
      case "data":
        into.queued.push(e.data);
        break;
      case "trailers":
        into.trailers = e.trailers;
        break;
      case "end":
        into.ended = true;
        break;
      case "truncated":
        into.truncated = { received: e.received, expected: e.expected };
        break;
    }
  }
  return head;
}
