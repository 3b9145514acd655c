import { PxeError, asciiBytes, concat, latin1 } from "@pxe/core";
import type { ProxyServer } from "../machine/proxy.js";
import { withTimeout, type Timers } from "../timers.js";
import type { ByteStream, HttpTransport, Resolver } from "../transport.js";
import { displayUrl } from "../wire/url.js";
import { parseStatusLine } from "../wire/response-parser.js";

/** Longest CONNECT response head read before giving up. */
const MAX_TUNNEL_HEAD = 16384;

/**
 * A CONNECT tunnel could not be opened: the proxy refused it (`status` is
 * its answer, e.g. 403), or could not be reached, or answered nonsense, or
 * took too long (`status` null, the reason in the message and `cause`).
 */
export class ProxyTunnelError extends PxeError {
  /** The proxy's URL (no credentials). */
  readonly proxy: string;
  /** "host:port" the tunnel was for. */
  readonly target: string;
  /** The proxy's status code, or null when it did not answer one. */
  readonly status: number | null;
  constructor(proxy: string, target: string, status: number | null, detail: string, options?: { cause?: unknown }) {
    super("HTTP_PROXY_TUNNEL", `proxy ${proxy} ${status === null ? "failed" : "refused"} CONNECT ${target}: ${detail}`, options);
    this.proxy = proxy;
    this.target = target;
    this.status = status;
  }
}

/** Options of {@link openTunnel}. */
export interface TunnelOptions {
  /** Opens the connection to the proxy. */
  readonly transport: HttpTransport;
  /** The proxy (from parseProxy / proxySettings / selectProxy). */
  readonly proxy: ProxyServer;
  /** Target host (name or address; the proxy resolves it). */
  readonly host: string;
  /** Target port. */
  readonly port: number;
  /** Resolves the proxy's host name (default: the transport does). */
  readonly resolver?: Resolver | null;
  /** Timers for `timeoutMs`. */
  readonly timers?: Timers;
  /** Limit for reaching the proxy and getting its answer (needs `timers`). */
  readonly timeoutMs?: number;
  /** User-Agent header (omitted when not given). */
  readonly userAgent?: string;
}

/**
 * Opens a byte stream to host:port through an HTTP proxy with `CONNECT`
 * (RFC 9110 §9.3.6): connects to the proxy, sends the request (with
 * Proxy-Authorization when the proxy setting had credentials), and on a 2xx
 * answer hands back the connection as a plain stream (bytes that followed
 * the answer come first). Rejects with a ProxyTunnelError naming proxy and
 * target otherwise.
 */
export async function openTunnel(o: TunnelOptions): Promise<ByteStream> {
  const proxyName = displayUrl(o.proxy.url);
  const target = `${o.host.indexOf(":") >= 0 ? `[${o.host}]` : o.host}:${o.port}`;
  const fail = (status: number | null, detail: string, cause?: unknown) =>
    new ProxyTunnelError(proxyName, target, status, detail, cause === undefined ? undefined : { cause });
  let stream: ByteStream | undefined;
  const work = (async () => {
    let host = o.proxy.url.host;
    if (o.resolver && o.proxy.url.hostKind === "name") {
      try {
        host = await o.resolver.resolve(host);
      } catch (e) {
        throw fail(null, `cannot resolve the proxy's name ${host}`, e);
      }
    }
    try {
      stream = await o.transport.connect(host, o.proxy.url.port, { timeoutMs: o.timeoutMs });
    } catch (e) {
      throw fail(null, `cannot connect to the proxy: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    let head = `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n`;
    if (o.proxy.authorization) head += `Proxy-Authorization: ${o.proxy.authorization}\r\n`;
    if (o.userAgent) head += `User-Agent: ${o.userAgent}\r\n`;
    await stream.write(asciiBytes(head + "\r\n"));
    return readAnswer(stream, fail);
  })();
  try {
    return await withTimeout(o.timers ?? { now: () => 0, setTimer: () => () => undefined }, o.timers ? o.timeoutMs : undefined, work, () => fail(null, `no answer within ${o.timeoutMs} ms`), () => stream?.close());
  } catch (e) {
    stream?.close();
    if (e instanceof ProxyTunnelError) throw e;
    throw fail(null, e instanceof Error ? e.message : String(e), e);
  }
}

async function readAnswer(stream: ByteStream, fail: (status: number | null, detail: string, cause?: unknown) => ProxyTunnelError): Promise<ByteStream> {
  let buf: Uint8Array = new Uint8Array(0);
  for (;;) {
    const end = headEnd(buf);
    if (end >= 0) {
      const text = latin1(buf, 0, end);
      const lineEnd = text.indexOf("\r\n");
      let st: { status: number; reason: string };
      try {
        st = parseStatusLine(lineEnd >= 0 ? text.slice(0, lineEnd) : text, 0);
      } catch (e) {
        throw fail(null, "the answer is not HTTP", e);
      }
      if (st.status < 200 || st.status > 299) throw fail(st.status, `HTTP ${st.status}${st.reason ? " " + st.reason : ""}`);
      return prefixed(stream, buf.subarray(end + 4));
    }
    if (buf.length > MAX_TUNNEL_HEAD) throw fail(null, `answer head longer than ${MAX_TUNNEL_HEAD} bytes`);
    const chunk = await stream.read();
    if (chunk === null) throw fail(null, "the proxy closed the connection without answering");
    buf = concat([buf, chunk]);
  }
}

/** Index of "\r\n\r\n" in `b`, or -1. */
function headEnd(b: Uint8Array): number {
  for (let i = 0; i + 3 < b.length; i++) if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) return i;
  return -1;
}

/** `stream` with `first` handed out by the first read (when not empty). */
function prefixed(stream: ByteStream, first: Uint8Array): ByteStream {
  let pending: Uint8Array | undefined = first.length > 0 ? first.slice() : undefined;
  return {
    write: (d) => stream.write(d),
    read: () => {
      const p = pending;
      pending = undefined;
      return p ? Promise.resolve(p) : stream.read();
    },
    close: () => stream.close(),
    abort: () => (stream.abort ? stream.abort() : stream.close()),
  };
}
