import type { ProxySettings } from "../machine/proxy.js";
import type { Timers } from "../timers.js";
import type { HttpTransport, Resolver } from "../transport.js";
import type { FieldLimits } from "../wire/field-lines.js";
import type { HeaderField } from "../wire/headers.js";
import type { ByteRange } from "../wire/request.js";

/** Settings of an HttpClient. */
export interface HttpClientOptions {
  /** Opens TCP connections (the seam @pxe/tcp implements). */
  readonly transport: HttpTransport;
  /** Clock and timers (no setTimeout in core code). */
  readonly timers: Timers;
  /** Resolves host names; without one, names go to the transport as they are. */
  readonly resolver?: Resolver | null;
  /** User-Agent header (default "pxe-http/0.1"); null sends none. */
  readonly userAgent?: string | null;
  /** Proxy: a setting string ("http://u:p@proxy:3128"), settings, or null for direct. */
  readonly proxy?: string | ProxySettings | null;
  /** No-proxy list, used with a string `proxy`. */
  readonly noProxy?: string;
  /** Most redirects followed (default 5). */
  readonly maxRedirects?: number;
  /** Connect timeout in ms (default 10000). */
  readonly connectTimeoutMs?: number;
  /** Longest wait for the next bytes of a response (head or body), ms (default 30000). */
  readonly stallTimeoutMs?: number;
  /**
   * Longest time from sending a request to having its whole response head,
   * ms (default 60000; 0: none). Catches a head dripped a byte at a time,
   * which the stall timeout never sees.
   */
  readonly headTimeoutMs?: number;
  /**
   * Low-speed limit of a body, bytes/s (curl's --speed-limit): the body
   * fails with LowSpeedError when fewer arrive over `lowSpeedTimeMs` of
   * waiting (default 512; 0: off). Only time spent waiting for the network
   * counts. The default never cuts a real download: 512 bytes/s for a
   * whole minute is a dead link.
   */
  readonly lowSpeedLimit?: number;
  /** The low-speed window, ms (curl's --speed-time; default 60000; 0: off). */
  readonly lowSpeedTimeMs?: number;
  /** Total deadline of one request, connect to the last body byte, resumes and redirects included, ms (default 0: none). */
  readonly deadlineMs?: number;
  /** Most automatic resumes of one body after drops (default 5). */
  readonly maxResumes?: number;
  /** Reuse connections (default true); false sends Connection: close. */
  readonly keepAlive?: boolean;
  /** Most idle connections kept per origin (default 4). */
  readonly maxIdlePerOrigin?: number;
  /** Idle lifetime of a pooled connection without a server hint, ms (default 4000). */
  readonly idleTimeoutMs?: number;
  /** Header section limits. */
  readonly limits?: FieldLimits;
}

/** What a consumer is told when a download starts over from byte 0. */
export interface RestartInfo {
  /** The URL (no credentials). */
  readonly url: string;
  /** Bytes already delivered that must be discarded. */
  readonly discarded: number;
  /** Why, e.g. "server ignored Range". */
  readonly reason: string;
}

/** What a consumer is told when a body is resumed after a drop. */
export interface ResumeInfo {
  /** The URL (no credentials). */
  readonly url: string;
  /** Position of the byte the resume request asks for. */
  readonly at: number;
  /** Why the previous connection failed. */
  readonly reason: string;
}

/** Per-request options of get/head. */
export interface RequestOptions {
  /** Ask for a byte range. */
  readonly range?: ByteRange | null;
  /** More request header fields. */
  readonly headers?: readonly HeaderField[];
  /** Follow redirects (default true). */
  readonly followRedirects?: boolean;
  /** Resume after a drop mid-body with a Range request (default true). */
  readonly resume?: boolean;
  /**
   * Throw HttpStatusError for a final status >= 400, or a 3xx that could
   * not be followed while following redirects (default true).
   */
  readonly throwOnStatus?: boolean;
  /** Total deadline of this request, ms (overrides the client's deadlineMs; 0: none). */
  readonly deadlineMs?: number;
  /** Called before each resume request after a drop mid-body. */
  readonly onResume?: (info: ResumeInfo) => void;
  /** Called when a resume gets a 200 and the body starts over; without it that is a RangeMismatchError. */
  readonly onRestart?: (info: RestartInfo) => void;
}
