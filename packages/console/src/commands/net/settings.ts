import { DEFAULT_HEAD_TIMEOUT_MS, DEFAULT_LOW_SPEED_LIMIT, DEFAULT_LOW_SPEED_TIME_MS, parseNoProxy, parseProxy } from "@pxe/http";
import { tryParseIpv4 } from "@pxe/ip";
import type { Settings } from "../settings.js";

/** Setting keys of the network commands. */
export const NET_SETTINGS = {
  proxy: "http.proxy",
  noProxy: "http.no_proxy",
  connectTimeout: "http.connect_timeout",
  stallTimeout: "http.stall_timeout",
  headTimeout: "http.head_timeout",
  lowSpeedLimit: "http.low_speed_limit",
  lowSpeedTime: "http.low_speed_time",
  deadline: "http.deadline",
  userAgent: "http.user_agent",
  tcpWindow: "tcp.window",
  tcpWindowClamp: "tcp.window_clamp",
  dnsServers: "dns.servers",
  catMax: "cat.max",
  fetchHash: "fetch.hash",
} as const;

/** Defaults (as stored text). */
export const NET_DEFAULTS = {
  connectTimeoutMs: 10_000,
  stallTimeoutMs: 30_000,
  headTimeoutMs: DEFAULT_HEAD_TIMEOUT_MS,
  lowSpeedLimit: DEFAULT_LOW_SPEED_LIMIT,
  lowSpeedTimeMs: DEFAULT_LOW_SPEED_TIME_MS,
  deadlineMs: 0,
  tcpWindow: 1024 * 1024,
  catMax: 64 * 1024,
} as const;

/** Parses "1500", "1500ms", "10s", "2m" to milliseconds; throws on anything else. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/i.exec(text);
  if (!m) throw new Error(`'${text}' is not a duration (e.g. 5000, 5000ms, 5s)`);
  const n = Number(m[1]);
  const unit = (m[2] ?? "ms").toLowerCase();
  return Math.round(unit === "s" ? n * 1000 : unit === "m" ? n * 60_000 : n);
}

/** Parses "65535", "512K", "1M", "1MiB" to bytes; throws on anything else. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMG]?)(?:i?B)?\s*$/i.exec(text);
  if (!m) throw new Error(`'${text}' is not a size (e.g. 65536, 512K, 1M)`);
  const mult = ({ "": 1, K: 1024, M: 1024 * 1024, G: 1024 * 1024 * 1024 } as Record<string, number>)[m[2].toUpperCase()];
  return Math.round(Number(m[1]) * mult);
}

/** Parses a comma/space separated IPv4 list; throws on a bad address. */
export function parseServerList(text: string): string[] {
  const out: string[] = [];
  for (const w of text.split(/[\s,]+/)) {
    if (w === "") continue;
    if (tryParseIpv4(w) === undefined) throw new Error(`'${w}' is not an IPv4 address`);
    out.push(w);
  }
  return out;
}

/**
 * Declares the settings `set`/`show` know for the network commands. Values
 * are checked and normalised on `set` (durations to ms, sizes to bytes).
 */
export function defineNetSettings(settings: Settings): void {
  settings.define({
    key: NET_SETTINGS.proxy,
    summary: "HTTP proxy URL, e.g. http://user:pass@10.0.2.2:3128 (empty: direct)",
    parse: (v) => {
      const t = v.trim();
      if (t !== "") parseProxy(t);
      return t;
    },
  });
  settings.define({
    key: NET_SETTINGS.noProxy,
    summary: "hosts reached without the proxy: names, .domains, addresses, CIDRs, *",
    parse: (v) => {
      parseNoProxy(v);
      return v.trim();
    },
  });
  settings.define({
    key: NET_SETTINGS.connectTimeout,
    summary: "HTTP connect timeout, ms (5000, 5s)",
    default: String(NET_DEFAULTS.connectTimeoutMs),
    parse: (v) => String(positive(parseDuration(v))),
  });
  settings.define({
    key: NET_SETTINGS.stallTimeout,
    summary: "HTTP: longest wait for the next bytes of a response, ms",
    default: String(NET_DEFAULTS.stallTimeoutMs),
    parse: (v) => String(positive(parseDuration(v))),
  });
  settings.define({
    key: NET_SETTINGS.headTimeout,
    summary: "HTTP: longest wait for a whole response head, ms (0: none)",
    default: String(NET_DEFAULTS.headTimeoutMs),
    parse: (v) => String(parseDuration(v)),
  });
  settings.define({
    key: NET_SETTINGS.lowSpeedLimit,
    summary: "HTTP: a body slower than this many bytes/s for http.low_speed_time fails (0: off)",
    default: String(NET_DEFAULTS.lowSpeedLimit),
    parse: (v) => String(parseSize(v)),
  });
  settings.define({
    key: NET_SETTINGS.lowSpeedTime,
    summary: "HTTP: the low-speed window, ms (60s)",
    default: String(NET_DEFAULTS.lowSpeedTimeMs),
    parse: (v) => String(positive(parseDuration(v))),
  });
  settings.define({
    key: NET_SETTINGS.deadline,
    summary: "HTTP: total time one request may take, resumes included, ms (0: none)",
    default: String(NET_DEFAULTS.deadlineMs),
    parse: (v) => String(parseDuration(v)),
  });
  settings.define({ key: NET_SETTINGS.userAgent, summary: "HTTP User-Agent (default pxe-http/0.1)" });
  settings.define({
    key: NET_SETTINGS.tcpWindow,
    summary: "TCP receive window of new connections, bytes (64K..1G; 1M, 4M)",
    default: String(NET_DEFAULTS.tcpWindow),
    parse: (v) => windowSize(v, false),
  });
  settings.define({
    key: NET_SETTINGS.tcpWindowClamp,
    summary: "largest TCP window advertised, bytes (0: no clamp; unset: the platform's own)",
    parse: (v) => windowSize(v, true),
  });
  settings.define({
    key: NET_SETTINGS.dnsServers,
    summary: "DNS servers (comma-separated); empty: the ones DHCP gave",
    parse: (v) => parseServerList(v).join(","),
  });
  settings.define({
    key: NET_SETTINGS.fetchHash,
    summary: "fetch computes the SHA-256: sha256, or none (raw speed; --sha256 still checks)",
    default: "sha256",
    parse: (v) => {
      const t = v.trim().toLowerCase();
      if (t !== "sha256" && t !== "none") throw new Error("sha256 or none");
      return t;
    },
  });
  settings.define({
    key: NET_SETTINGS.catMax,
    summary: "most bytes `cat` prints (e.g. 64K)",
    default: String(NET_DEFAULTS.catMax),
    parse: (v) => String(positive(parseSize(v))),
  });
}

/** A TCP window size in bytes, as stored text: 4K to 1G, or 0 when `zeroOk`. */
function windowSize(v: string, zeroOk: boolean): string {
  const n = parseSize(v);
  if (zeroOk && n === 0) return "0";
  if (n < 4096 || n > 1024 * 1024 * 1024) throw new Error(zeroOk ? "0, or from 4K to 1G" : "from 4K to 1G");
  return String(n);
}

function positive(n: number): number {
  if (!(n > 0)) throw new Error("must be greater than 0");
  return n;
}
