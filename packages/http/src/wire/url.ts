import { parsePort } from "@pxe/core";
import { UrlError } from "../errors.js";
import { formatIPv6, parseIPv4, parseIPv6 } from "./host.js";
import { normalizePercent, PATH_CHARS, QUERY_CHARS, SUB_DELIMS, USERINFO_CHARS } from "./percent.js";
import { removeDotSegments } from "./dot-segments.js";

/** Kind of host in a URL. */
export type HostKind = "name" | "ipv4" | "ipv6";

/**
 * A parsed, normalised http:// URL. Every field is in its canonical form,
 * so two URLs that mean the same resource compare equal field by field, and
 * `parseUrl(serializeUrl(u))` gives `u` back. The fragment is dropped.
 */
export interface HttpUrl {
  /** Always "http". */
  readonly scheme: "http";
  /** User name, percent-encoded ("" when absent). */
  readonly username: string;
  /** Password, percent-encoded; null when the URL has none. */
  readonly password: string | null;
  /** Lower-case host name, dotted IPv4, or RFC 5952 IPv6 text (without brackets). */
  readonly host: string;
  /** What `host` is. */
  readonly hostKind: HostKind;
  /** The port (80 when the URL gives none). */
  readonly port: number;
  /** Absolute path, percent-encoding normalised, dot segments removed; at least "/". */
  readonly path: string;
  /** Query without the '?', or null when the URL has no '?'. */
  readonly query: string | null;
}

/** Default port of http://. */
export const HTTP_DEFAULT_PORT = 80;

const REG_NAME = /^[a-z0-9\-._~!$&'()*+,;=]+$/;

/**
 * Parses an absolute http:// URL (scheme case-insensitive; userinfo,
 * IPv4 literal or [IPv6] host, port, path, query; the fragment is dropped).
 * Throws UrlError on anything else (other schemes, bad host or port).
 */
export function parseUrl(input: string): HttpUrl {
  const s = input.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(s);
  if (!m) throw new UrlError(input, "not an absolute URL");
  if (m[1].toLowerCase() !== "http") throw new UrlError(input, `scheme ${m[1]} is not supported (only http)`);
  if (s.slice(m[0].length, m[0].length + 2) !== "//") throw new UrlError(input, "no //authority after http:");
  let rest = s.slice(m[0].length + 2);
  const hash = rest.indexOf("#");
  if (hash >= 0) rest = rest.slice(0, hash);
  let authEnd = rest.search(/[/?]/);
  if (authEnd < 0) authEnd = rest.length;
  const authority = rest.slice(0, authEnd);
  const afterAuth = rest.slice(authEnd);
  const at = authority.lastIndexOf("@");
  let username = "";
  let password: string | null = null;
  if (at >= 0) {
    const info = authority.slice(0, at);
    const colon = info.indexOf(":");
    username = normalizePercent(colon >= 0 ? info.slice(0, colon) : info, USERINFO_CHARS);
    if (colon >= 0) password = normalizePercent(info.slice(colon + 1), USERINFO_CHARS);
  }
  const hostport = authority.slice(at + 1);
  let hostText: string;
  let portText: string | null = null;
  if (hostport.startsWith("[")) {
    const close = hostport.indexOf("]");
    if (close < 0) throw new UrlError(input, "unterminated [IPv6] host");
    hostText = hostport.slice(0, close + 1);
    const after = hostport.slice(close + 1);
    if (after !== "") {
      if (after[0] !== ":") throw new UrlError(input, "junk after [IPv6] host");
      portText = after.slice(1);
    }
  } else {
    const colon = hostport.indexOf(":");
    hostText = colon >= 0 ? hostport.slice(0, colon) : hostport;
    if (colon >= 0) portText = hostport.slice(colon + 1);
  }
  const { host, hostKind } = parseHost(input, hostText);
  let port = HTTP_DEFAULT_PORT;
  if (portText !== null && portText !== "") {
    const p = parsePort(portText);
    if (p === undefined) throw new UrlError(input, `bad port ${portText}`);
    port = p;
  }
  const q = afterAuth.indexOf("?");
  const rawPath = q >= 0 ? afterAuth.slice(0, q) : afterAuth;
  const rawQuery = q >= 0 ? afterAuth.slice(q + 1) : null;
  const path = normalizePath(rawPath);
  const query = rawQuery === null ? null : normalizePercent(rawQuery, QUERY_CHARS);
  return { scheme: "http", username, password, host, hostKind, port, path, query };
}

/** Parses and normalises the host part; throws UrlError when invalid. */
export function parseHost(input: string, hostText: string): { host: string; hostKind: HostKind } {
  if (hostText.startsWith("[")) {
    if (!hostText.endsWith("]")) throw new UrlError(input, "unterminated [IPv6] host");
    const g = parseIPv6(hostText.slice(1, -1));
    if (!g) throw new UrlError(input, `bad IPv6 address ${hostText}`);
    return { host: formatIPv6(g), hostKind: "ipv6" };
  }
  const h = hostText.toLowerCase();
  if (h === "") throw new UrlError(input, "empty host");
  if (/^[0-9.]+$/.test(h)) {
    const v4 = parseIPv4(h.endsWith(".") ? h.slice(0, -1) : h);
    if (!v4) throw new UrlError(input, `bad IPv4 address ${hostText}`);
    return { host: v4.join("."), hostKind: "ipv4" };
  }
  if (h.length > 253 || !REG_NAME.test(h)) throw new UrlError(input, `bad host name ${JSON.stringify(hostText)}`);
  return { host: h, hostKind: "name" };
}

/** Percent-normalises a path and removes dot segments; "" becomes "/". */
export function normalizePath(raw: string): string {
  const p = normalizePercent(raw, PATH_CHARS);
  if (p === "") return "/";
  return removeDotSegments(p.startsWith("/") ? p : "/" + p);
}

/** "host" or "[v6]" as it appears in a URL authority or Host header. */
export function hostText(u: Pick<HttpUrl, "host" | "hostKind">): string {
  return u.hostKind === "ipv6" ? `[${u.host}]` : u.host;
}

/** host[:port] for the Host header (port omitted when it is 80). */
export function hostHeader(u: Pick<HttpUrl, "host" | "hostKind" | "port">): string {
  return u.port === HTTP_DEFAULT_PORT ? hostText(u) : `${hostText(u)}:${u.port}`;
}

/** Serialises a URL; with `credentials: false` the userinfo is left out (for messages and proxies). */
export function serializeUrl(u: HttpUrl, opts: { credentials?: boolean } = {}): string {
  let info = "";
  if (opts.credentials !== false && (u.username !== "" || u.password !== null)) {
    info = u.username + (u.password !== null ? ":" + u.password : "") + "@";
  }
  return `http://${info}${hostHeader(u)}${requestTarget(u)}`;
}

/** The origin-form request target: path plus "?query". */
export function requestTarget(u: Pick<HttpUrl, "path" | "query">): string {
  return u.query === null ? u.path : `${u.path}?${u.query}`;
}

/** "http://host:port": the key of a connection pool and of same-origin checks. */
export function originOf(u: Pick<HttpUrl, "host" | "hostKind" | "port">): string {
  return `http://${hostText(u)}:${u.port}`;
}

/** The URL as shown in errors and logs: no credentials. */
export function displayUrl(u: HttpUrl): string {
  return serializeUrl(u, { credentials: false });
}

/** The same URL without userinfo. */
export function withoutCredentials(u: HttpUrl): HttpUrl {
  return { ...u, username: "", password: null };
}

/** Characters allowed in each component, for generators of valid URLs. */
export const URL_COMPONENT_CHARS = { path: PATH_CHARS, query: QUERY_CHARS, userinfo: USERINFO_CHARS, subDelims: SUB_DELIMS } as const;
