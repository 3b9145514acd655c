import { asciiBytes } from "@pxe/core";
import { HeaderValueError } from "../errors.js";
import { basicAuth } from "./auth.js";
import type { HeaderField } from "./headers.js";
import { isToken } from "./headers.js";
import type { HttpUrl } from "./url.js";
import { hostHeader, requestTarget, serializeUrl } from "./url.js";

/** Methods this client sends. */
export type HttpMethod = "GET" | "HEAD";

/** A byte range to request: [start, end] inclusive, or from start to the end. */
export interface ByteRange {
  /** First byte wanted. */
  readonly start: number;
  /** Last byte wanted (inclusive); absent for "to the end". */
  readonly end?: number;
}

/** Request line and header fields, ready to serialise. */
export interface RequestHead {
  /** GET or HEAD. */
  readonly method: HttpMethod;
  /** origin-form ("/path?q") or absolute-form ("http://h/path") target. */
  readonly target: string;
  /** Header fields in the order they are written. */
  readonly headers: readonly HeaderField[];
}

/** What goes into a request besides method and URL. */
export interface RequestOptions {
  /** True when sending through an HTTP proxy: absolute-form target. */
  readonly viaProxy?: boolean;
  /** Proxy-Authorization value (e.g. from `basicAuth`), only with viaProxy. */
  readonly proxyAuthorization?: string | null;
  /** User-Agent value; omitted when null/undefined. */
  readonly userAgent?: string | null;
  /** Ask to keep the connection (default true); false sends Connection: close. */
  readonly keepAlive?: boolean;
  /** Range to request. */
  readonly range?: ByteRange | null;
  /** If-Range validator (a strong ETag or a Last-Modified date). */
  readonly ifRange?: string | null;
  /** Send the URL's userinfo as Authorization: Basic (default true). */
  readonly sendCredentials?: boolean;
  /** More fields, written last. */
  readonly extraHeaders?: readonly HeaderField[];
}

/** The Range header value for a ByteRange. */
export function rangeHeader(r: ByteRange): string {
  if (!Number.isSafeInteger(r.start) || r.start < 0) throw new HeaderValueError("Range", `bad start ${r.start}`);
  if (r.end !== undefined && (!Number.isSafeInteger(r.end) || r.end < r.start)) throw new HeaderValueError("Range", `bad end ${r.end}`);
  return `bytes=${r.start}-${r.end === undefined ? "" : r.end}`;
}

/**
 * Builds the request head for a GET or HEAD of `url`: Host first, then
 * User-Agent, Authorization (Basic from the URL's userinfo),
 * Proxy-Authorization, Range, If-Range, Connection, and extras.
 */
export function buildRequest(method: HttpMethod, url: HttpUrl, opts: RequestOptions = {}): RequestHead {
  const headers: HeaderField[] = [["Host", hostHeader(url)]];
  if (opts.userAgent) headers.push(["User-Agent", opts.userAgent]);
  if (opts.sendCredentials !== false && (url.username !== "" || url.password !== null)) headers.push(["Authorization", basicAuth(url.username, url.password)]);
  if (opts.viaProxy && opts.proxyAuthorization) headers.push(["Proxy-Authorization", opts.proxyAuthorization]);
  if (opts.range) headers.push(["Range", rangeHeader(opts.range)]);
  if (opts.range && opts.ifRange) headers.push(["If-Range", opts.ifRange]);
  headers.push(["Connection", opts.keepAlive === false ? "close" : "keep-alive"]);
  if (opts.extraHeaders) for (const h of opts.extraHeaders) headers.push(h);
  const target = opts.viaProxy ? serializeUrl(url, { credentials: false }) : requestTarget(url);
  return { method, target, headers };
}

/**
 * Serialises a request head to bytes ("METHOD target HTTP/1.1" CRLF, fields,
 * CRLF). Throws HeaderValueError for names that are not tokens and values
 * with CR, LF, NUL or non-Latin-1 characters.
 */
export function serializeRequest(head: RequestHead): Uint8Array {
  if (!isToken(head.method)) throw new HeaderValueError(":method", "not a token");
  if (!/^[\x21-\x7e]+$/.test(head.target)) throw new HeaderValueError(":target", "request target must be visible ASCII");
  let s = `${head.method} ${head.target} HTTP/1.1\r\n`;
  for (const [name, value] of head.headers) {
    if (!isToken(name)) throw new HeaderValueError(name, "field name is not a token");
    if (/[\r\n\0]|[^\x00-\xff]/.test(value)) throw new HeaderValueError(name, "value contains CR, LF, NUL or non-Latin-1 characters");
    s += `${name}: ${value.trim()}\r\n`;
  }
  return asciiBytes(s + "\r\n");
}
