import { concat } from "@pxe/core";
import type { ContentRange } from "../wire/content-range.js";
import type { Headers } from "../wire/headers.js";
import type { RestartInfo, ResumeInfo } from "./options.js";

/**
 * A response whose head has arrived. The body streams through `body`
 * (single use: iterate once) as chunks the consumer owns; a 1 GiB file
 * never sits in one buffer. Drops mid-body are resumed transparently
 * (see RequestOptions.resume); when the server ignores Range the stream
 * starts over and `onRestart` is called first.
 */
export interface HttpResponse {
  /** Final URL after redirects (no credentials). */
  readonly url: string;
  /** Every URL requested, first to last (no credentials). */
  readonly redirects: readonly string[];
  /** Status code. */
  readonly status: number;
  /** Reason phrase. */
  readonly reason: string;
  /** HTTP minor version of the response (0 or 1). */
  readonly versionMinor: number;
  /** Response header fields. */
  readonly headers: Headers;
  /** Length of this body (Content-Length; for HEAD, the announced one), null when unknown. */
  readonly contentLength: number | null;
  /** Parsed Content-Range of a 206, else null. */
  readonly contentRange: ContentRange | null;
  /** Complete length of the resource (Content-Length of a 200, total of a 206), null when unknown. */
  readonly totalLength: number | null;
  /** The body, as chunks. */
  readonly body: AsyncIterable<Uint8Array>;
  /** Trailer fields of a chunked body, once it has ended. */
  readonly trailers: Headers | null;
  /** Called before each resume request after a drop mid-body. */
  onResume: ((info: ResumeInfo) => void) | null;
  /** Called before the body restarts from byte 0 (server ignored Range on resume). */
  onRestart: ((info: RestartInfo) => void) | null;
  /** Reads the whole body into one array (restarts handled). */
  bytes(): Promise<Uint8Array>;
  /** Abandons the body: the connection is closed, not reused. */
  cancel(): void;
}

/** Collects a response body into one array, discarding what a restart invalidates. */
export async function collectBody(res: HttpResponse): Promise<Uint8Array> {
  let parts: Uint8Array[] = [];
  const prev = res.onRestart;
  res.onRestart = (info) => {
    parts = [];
    if (prev) prev(info);
  };
  for await (const c of res.body) parts.push(c);
  return concat(parts);
}
