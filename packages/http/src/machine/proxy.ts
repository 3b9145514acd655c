import { parseDottedQuad, parsePort } from "@pxe/core";
import { inSubnet, parseIpv4 as ipv4Address } from "@pxe/ip";
import { UrlError } from "../errors.js";
import { basicAuth } from "../wire/auth.js";
import { splitUri } from "../wire/resolve.js";
import type { HttpUrl } from "../wire/url.js";
import { parseHost, parseUrl } from "../wire/url.js";

/** Port used when a proxy setting names none (curl's choice). */
export const DEFAULT_PROXY_PORT = 1080;

/** A proxy to send requests through. */
export interface ProxyServer {
  /** The proxy's URL (credentials removed). */
  readonly url: HttpUrl;
  /** Proxy-Authorization value (Basic) from the setting's user:pass; null without credentials. */
  readonly authorization: string | null;
}

/** One entry of a no-proxy list. */
export type NoProxyRule =
  | { readonly kind: "all" }
  | { readonly kind: "host"; readonly host: string; readonly subdomains: boolean; readonly exact: boolean; readonly port: number | null }
  | { readonly kind: "cidr"; readonly base: number; readonly bits: number; readonly port: number | null };

/** Proxy settings: the proxy (or none) and the hosts that bypass it. */
export interface ProxySettings {
  /** The proxy, or null for direct connections. */
  readonly proxy: ProxyServer | null;
  /** Hosts reached directly even when a proxy is set. */
  readonly noProxy: readonly NoProxyRule[];
}

/**
 * Parses a proxy setting as users write it: "http://user:pass@proxy:3128/",
 * "proxy:3128", "10.0.2.2:3128". The scheme defaults to http; the port to
 * 1080 when absent. Throws UrlError for other schemes or a bad host.
 */
export function parseProxy(spec: string): ProxyServer {
  const s = spec.trim();
  const withScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(s) ? s : "http://" + s;
  const auth = splitUri(withScheme).authority ?? "";
  const hostport = auth.slice(auth.lastIndexOf("@") + 1);
  const hasPort = /:[0-9]+$/.test(hostport);
  let u = parseUrl(withScheme);
  if (!hasPort) u = { ...u, port: DEFAULT_PROXY_PORT };
  const authorization = u.username !== "" || u.password !== null ? basicAuth(u.username, u.password) : null;
  return { url: { ...u, username: "", password: null, path: "/", query: null }, authorization };
}

/**
 * Parses a no-proxy list ("localhost, .example.com, 10.0.0.0/8, host:8080,
 * *"), separated by commas and/or whitespace. "name" matches that host and
 * its subdomains; ".name" only subdomains; "*" everything; an IPv4 CIDR
 * the addresses in it; a ":port" suffix limits a rule to that port.
 * Entries that cannot be parsed are ignored (as curl does).
 */
export function parseNoProxy(list: string): NoProxyRule[] {
  const out: NoProxyRule[] = [];
  for (const raw of list.split(/[\s,]+/)) {
    let t = raw.trim().toLowerCase();
    if (t === "") continue;
    if (t === "*") {
      out.push({ kind: "all" });
      continue;
    }
    let port: number | null = null;
    const pm = /^(.*[^:]):([0-9]{1,5})$/.exec(t);
    if (pm && !(pm[1].indexOf(":") >= 0 && !pm[1].startsWith("["))) {
      t = pm[1];
      port = parsePort(pm[2]) ?? null;
      if (port === null) continue; // port 0 or over 65535: not an entry
    }
    const cidr = /^([0-9.]+)\/([0-9]{1,2})$/.exec(t);
    if (cidr) {
      const base = parseDottedQuad(cidr[1], true); // strict (no leading zeros), as URL hosts are read
      const bits = Number(cidr[2]);
      if (base !== undefined && bits <= 32) out.push({ kind: "cidr", base, bits, port });
      continue;
    }
    const subOnly = t.startsWith(".");
    if (subOnly) t = t.slice(1);
    if (t.startsWith("[") && t.endsWith("]")) t = t.slice(1, -1);
    try {
      const h = parseHost(raw, t.indexOf(":") >= 0 ? `[${t}]` : t);
      out.push({ kind: "host", host: h.host, subdomains: h.hostKind === "name", exact: !subOnly, port });
    } catch {
      // ignore what cannot be a host
    }
  }
  return out;
}

/** True when `url` must be reached directly under the no-proxy `rules`. */
export function bypassesProxy(rules: readonly NoProxyRule[], url: HttpUrl): boolean {
  for (const r of rules) {
    if (r.kind === "all") return true;
    if (r.port !== null && r.port !== url.port) continue;
    if (r.kind === "cidr") {
      if (url.hostKind !== "ipv4") continue;
      if (inSubnet(ipv4Address(url.host), r.base, r.bits)) return true;
      continue;
    }
    if (r.exact && url.host === r.host) return true;
    if (r.subdomains && url.hostKind === "name" && url.host.endsWith("." + r.host)) return true;
  }
  return false;
}

/** The proxy to use for `url` under `settings` (null: connect directly). */
export function selectProxy(settings: ProxySettings | null, url: HttpUrl): ProxyServer | null {
  if (!settings || !settings.proxy) return null;
  return bypassesProxy(settings.noProxy, url) ? null : settings.proxy;
}

/**
 * Builds proxy settings from environment-style variables (http_proxy /
 * HTTP_PROXY, no_proxy / NO_PROXY; lower case wins, as in curl). An empty
 * or absent http_proxy means no proxy. Throws UrlError for a bad proxy.
 */
export function proxyFromEnv(env: Readonly<Record<string, string | undefined>>): ProxySettings {
  const p = env.http_proxy ?? env.HTTP_PROXY ?? "";
  const n = env.no_proxy ?? env.NO_PROXY ?? "";
  return { proxy: p.trim() === "" ? null : parseProxy(p), noProxy: parseNoProxy(n) };
}

/** Proxy settings from a proxy string (or null/"" for none) and a no-proxy list. */
export function proxySettings(proxy: string | null | undefined, noProxy = ""): ProxySettings {
  if (proxy !== null && proxy !== undefined && typeof proxy !== "string") throw new UrlError(String(proxy), "proxy must be a string");
  return { proxy: proxy && proxy.trim() !== "" ? parseProxy(proxy) : null, noProxy: parseNoProxy(noProxy) };
}
