import {
  BodyConsumedError,
  BodyTruncatedError,
  ConnectionRefusedError,
  ConnectionResetError,
  DnsError,
  HttpParseError,
  HttpStatusError,
  HttpTimeoutError,
  LowSpeedError,
  MalformedResponseError,
  RangeMismatchError,
} from "../errors.js";
import { LowSpeedMonitor } from "../machine/low-speed.js";
import { ConnectionPool } from "../machine/pool.js";
import type { ProxyServer, ProxySettings } from "../machine/proxy.js";
import { proxySettings, selectProxy } from "../machine/proxy.js";
import { RedirectPolicy } from "../machine/redirect.js";
import { ResumeState } from "../machine/resume.js";
import type { Timers } from "../timers.js";
import { withTimeout } from "../timers.js";
import type { HttpTransport, Resolver } from "../transport.js";
import { TransportError } from "../transport.js";
import type { ContentRange } from "../wire/content-range.js";
import { parseContentRange } from "../wire/content-range.js";
import type { FieldLimits } from "../wire/field-lines.js";
import { DEFAULT_FIELD_LIMITS } from "../wire/field-lines.js";
import { parseContentLength } from "../wire/framing.js";
import type { Headers } from "../wire/headers.js";
import type { HeaderField } from "../wire/headers.js";
import { keepAliveDecision } from "../wire/keep-alive.js";
import type { ByteRange, HttpMethod } from "../wire/request.js";
import { buildRequest, serializeRequest } from "../wire/request.js";
import type { ResponseEvent } from "../wire/response-parser.js";
import { ResponseParser } from "../wire/response-parser.js";
import type { HttpUrl } from "../wire/url.js";
import { displayUrl, originOf, parseUrl } from "../wire/url.js";
import { Connection } from "./connection.js";
import type { Deadline, WaitLimit } from "./limits.js";
import { firstLimit } from "./limits.js";
import type { Exchange } from "./exchange.js";
import { applyEvents } from "./exchange.js";
import type { HttpClientOptions, RequestOptions, RestartInfo } from "./options.js";
import type { HttpResponse } from "./response.js";
import { collectBody } from "./response.js";

/** Default User-Agent. */
export const DEFAULT_USER_AGENT = "pxe-http/0.1";

interface ExchangeRequest {
  readonly range?: ByteRange | null;
  readonly ifRange?: string | null;
  readonly extraHeaders?: readonly HeaderField[];
  readonly deadline?: Deadline | null;
}

/** What an HttpClient counts (see `HttpClient.stats`). */
export interface HttpClientStats {
  /** Pooled connections closed unused because bytes, a close or a reset arrived while idle. */
  staleDropped: number;
  /** Requests sent again on a new connection because a reused one failed before any response byte. */
  staleRetried: number;
  /** Resume requests sent after a drop mid-body. */
  resumes: number;
  /** Bodies started over because the server ignored Range on a resume. */
  restarts: number;
}

/** Default head timeout, ms: the whole response head must arrive within it. */
export const DEFAULT_HEAD_TIMEOUT_MS = 60_000;
/** Default low-speed limit, bytes/s (with DEFAULT_LOW_SPEED_TIME_MS): below it for a whole window, a body fails. */
export const DEFAULT_LOW_SPEED_LIMIT = 512;
/** Default low-speed window, ms. */
export const DEFAULT_LOW_SPEED_TIME_MS = 60_000;

/** Errors after which a body is not resumed: the server is too slow, or the request's time is up. */
function isFinal(e: unknown): boolean {
  return e instanceof LowSpeedError || (e instanceof HttpTimeoutError && (e.phase === "deadline" || e.phase === "head"));
}

/** Internal: a pooled connection closed before answering; the request may be retried on a new one. */
class StaleConnection extends Error {}

/**
 * HTTP/1.1 client over the transport seam: GET and HEAD, keep-alive pool
 * per origin (or per proxy), redirects, proxies with Basic auth and a
 * no-proxy list, Basic auth from URL userinfo, automatic resume with
 * Range after drops, connect and stall timeouts on injected timers, and
 * typed errors that name the URL.
 */
export class HttpClient {
  private readonly transport: HttpTransport;
  private readonly timers: Timers;
  private readonly resolver: Resolver | null;
  private readonly pool: ConnectionPool<Connection>;
  private readonly limits: FieldLimits;
  /** Counters of the connection-reuse and recovery paths (diagnostics, tests, the soak). */
  readonly stats: HttpClientStats = { staleDropped: 0, staleRetried: 0, resumes: 0, restarts: 0 };
  /** Current proxy settings (change with setProxy). */
  proxy: ProxySettings | null;

  /** Creates a client; nothing is connected until the first request. */
  constructor(private readonly opts: HttpClientOptions) {
    this.transport = opts.transport;
    this.timers = opts.timers;
    this.resolver = opts.resolver ?? null;
    this.limits = opts.limits ?? DEFAULT_FIELD_LIMITS;
    this.pool = new ConnectionPool<Connection>({ maxIdlePerKey: opts.maxIdlePerOrigin, defaultIdleMs: opts.idleTimeoutMs, close: (c) => c.close() });
    this.proxy = typeof opts.proxy === "string" || opts.proxy === undefined ? proxySettings(opts.proxy ?? null, opts.noProxy ?? "") : opts.proxy;
  }

  /** Sets the proxy ("http://u:p@host:port", "" or null for none) and no-proxy list. */
  setProxy(proxy: string | null, noProxy = ""): void {
    this.proxy = proxySettings(proxy, noProxy);
  }

  /** GET `url`; resolves when the response head has arrived. */
  get(url: string | HttpUrl, opts: RequestOptions = {}): Promise<HttpResponse> {
    return this.fetch("GET", url, opts);
  }

  /** HEAD `url`. */
  head(url: string | HttpUrl, opts: RequestOptions = {}): Promise<HttpResponse> {
    return this.fetch("HEAD", url, opts);
  }

  /** Closes every idle pooled connection. */
  close(): void {
    this.pool.closeAll();
  }

  /** Idle connections in the pool (for tests and diagnostics). */
  idleConnections(): number {
    return this.pool.idleCount();
  }

  private async fetch(method: HttpMethod, input: string | HttpUrl, opts: RequestOptions): Promise<HttpResponse> {
    let url = typeof input === "string" ? parseUrl(input) : input;
    const policy = new RedirectPolicy(url, method, this.opts.maxRedirects ?? 5);
    const deadlineMs = opts.deadlineMs ?? this.opts.deadlineMs ?? 0;
    const deadline: Deadline | null = deadlineMs > 0 ? { at: this.timers.now() + deadlineMs, ms: deadlineMs } : null;
    let m = method;
    for (;;) {
      const ex = await this.exchange(m, url, { range: opts.range, extraHeaders: opts.headers, deadline });
      if (opts.followRedirects !== false) {
        let step;
        try {
          step = policy.next(ex.head.status, ex.head.headers.get("location"));
        } catch (e) {
          this.discard(ex);
          throw e;
        }
        if (step) {
          this.discard(ex);
          url = step.url;
          m = step.method;
          continue;
        }
      }
      const unfollowedRedirect = ex.head.status >= 300 && ex.head.status < 400 && opts.followRedirects !== false;
      if ((ex.head.status >= 400 || unfollowedRedirect) && opts.throwOnStatus !== false) {
        this.discard(ex);
        throw new HttpStatusError(displayUrl(url), ex.head.status, ex.head.reason);
      }
      return this.makeResponse(ex, policy.chain, opts, deadline);
    }
  }

  private makeResponse(first: Exchange, chain: string[], opts: RequestOptions, deadline: Deadline | null): HttpResponse {
    const display = displayUrl(first.url);
    const head = first.head;
    let contentRange: ContentRange | null = null;
    if (head.status === 206) {
      const cr = head.headers.get("content-range");
      if (cr === null) {
        this.discard(first);
        throw new MalformedResponseError(display, new HttpParseError("Content-Range", 0, "206 without Content-Range"));
      }
      try {
        contentRange = parseContentRange(cr);
      } catch (e) {
        this.discard(first);
        throw new MalformedResponseError(display, e as HttpParseError);
      }
    }
    let contentLength: number | null = null;
    if (head.framing.kind === "length") contentLength = head.framing.length;
    else if (first.method === "HEAD") {
      const cls = head.headers.getAll("content-length");
      contentLength = cls.length === 1 ? parseContentLength(cls[0]) : null;
    }
    const totalLength = contentRange ? contentRange.total : head.status === 200 ? contentLength : null;
    const resume = new ResumeState(display, opts.range ?? null, opts.resume === false || first.method === "HEAD" ? 0 : (this.opts.maxResumes ?? 5));
    try {
      resume.begin(head);
    } catch (e) {
      this.discard(first);
      throw e;
    }
    const speed = new LowSpeedMonitor(this.opts.lowSpeedLimit ?? DEFAULT_LOW_SPEED_LIMIT, this.opts.lowSpeedTimeMs ?? DEFAULT_LOW_SPEED_TIME_MS);
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const client = this;
    let ex = first;
    let iterated = false;
    let finished = false;
    const res: HttpResponse = {
      url: display,
      redirects: chain,
      status: head.status,
      reason: head.reason,
      versionMinor: head.versionMinor,
      headers: head.headers,
      contentLength,
      contentRange,
      totalLength,
      trailers: null,
      onRestart: opts.onRestart ?? null,
      onResume: opts.onResume ?? null,
      bytes: () => collectBody(res),
      cancel: () => {
        if (finished) return;
        finished = true;
        client.discard(ex);
      },
      body: {
        [Symbol.asyncIterator]: async function* () {
          if (iterated) throw new BodyConsumedError(display);
          iterated = true;
          try {
            for (;;) {
              if (finished) return;
              if (ex.queued.length) {
                const c = ex.queued.shift()!;
                resume.advance(c.length);
                yield c;
                continue;
              }
              if (ex.ended && !resume.complete()) {
                // The message ended (chunked or close-delimited) short of the range it announced: resume from there.
                client.release(ex);
                const exp = (resume.endExclusive ?? 0) - resume.firstByte;
                ex = await client.recover(ex, resume, new BodyTruncatedError(display, resume.delivered, exp), res, deadline);
                continue;
              }
              if (ex.ended) {
                (res as { trailers: Headers | null }).trailers = ex.trailers;
                finished = true;
                client.release(ex);
                return;
              }
              let failure: Error | null = null;
              try {
                // Data already there is taken at once; only an empty stream is awaited (with the stall timeout).
                speed.startWait(client.timers.now());
                const ready = ex.conn.stream.readNow?.();
                const chunk = ready !== undefined ? ready : await client.readChunk(ex, speed, deadline);
                if (!speed.endWait(client.timers.now(), chunk ? chunk.length : 0)) throw client.tooSlow(display, speed);
                const events = chunk === null ? ex.parser.eof() : ex.parser.feed(chunk);
                applyEvents(events, ex);
                if (ex.truncated) {
                  const exp = resume.total !== null ? (resume.endWanted !== null ? resume.endWanted + 1 : resume.total) - resume.firstByte : (ex.truncated.expected ?? -1);
                  failure = new BodyTruncatedError(display, resume.delivered, exp);
                }
              } catch (e) {
                failure = client.mapError(display, e);
              }
              if (failure) {
                ex.conn.abort();
                ex = await client.recover(ex, resume, failure, res, deadline);
              }
            }
          } finally {
            if (!finished) {
              finished = true;
              client.discard(ex);
            }
          }
        },
      },
    };
    return res;
  }

  /** After a drop mid-body: resume with Range, or restart, or give up with `failure`. */
  private async recover(ex: Exchange, resume: ResumeState, failure: Error, res: HttpResponse, deadline: Deadline | null): Promise<Exchange> {
    if (failure instanceof MalformedResponseError || isFinal(failure)) throw failure;
    let last: unknown = failure;
    while (resume.canResume()) {
      const range = resume.nextRange();
      this.stats.resumes++;
      if (res.onResume) res.onResume({ url: res.url, at: range.start, reason: (last instanceof Error ? last : failure).message });
      let next: Exchange;
      try {
        next = await this.exchange("GET", ex.url, { range, ifRange: resume.validator, deadline });
      } catch (e) {
        if (isFinal(e)) throw e;
        last = e;
        continue;
      }
      let verdict;
      try {
        verdict = resume.check(next.head);
      } catch (e) {
        this.discard(next);
        throw e;
      }
      if (verdict.kind === "restart") {
        if (!res.onRestart) {
          this.discard(next);
          throw new RangeMismatchError(res.url, `server ignored Range when resuming at byte ${resume.nextByte}; set onRestart to allow starting over`);
        }
        const info: RestartInfo = { url: res.url, discarded: resume.delivered, reason: "server ignored Range when resuming" };
        resume.restart(next.head);
        this.stats.restarts++;
        res.onRestart(info);
      }
      return next;
    }
    if (last !== failure && failure instanceof Error) (failure as { cause?: unknown }).cause ??= last;
    throw failure;
  }

  /** Waits for body bytes: the stall timeout, the low-speed window and the deadline, whichever passes first, aborts the connection. */
  private readChunk(ex: Exchange, speed: LowSpeedMonitor, deadline: Deadline | null): Promise<Uint8Array | null> {
    const display = displayUrl(ex.url);
    const budget = speed.waitBudget();
    return this.limited(ex.conn, ex.conn.stream.read(), [
      this.stallLimit(display),
      budget === null ? null : { ms: budget, error: () => this.tooSlow(display, speed) },
      this.deadlineLimit(display, deadline),
    ]);
  }

  /** The LowSpeedError of a body below the limit. */
  private tooSlow(display: string, speed: LowSpeedMonitor): LowSpeedError {
    return new LowSpeedError(display, speed.limit, speed.timeMs, speed.windowBytes);
  }

  private stallLimit(display: string): WaitLimit {
    const ms = this.opts.stallTimeoutMs ?? 30000;
    return { ms: ms > 0 ? ms : Infinity, error: () => new HttpTimeoutError(display, "response", ms) };
  }

  private deadlineLimit(display: string, deadline: Deadline | null): WaitLimit | null {
    return deadline ? { ms: deadline.at - this.timers.now(), error: () => new HttpTimeoutError(display, "deadline", deadline.ms) } : null;
  }

  /** `p`, or the first of `limits` to pass (then `conn` is aborted). */
  private limited<T>(conn: Connection | null, p: Promise<T>, limits: readonly (WaitLimit | null)[]): Promise<T> {
    const l = firstLimit(limits);
    if (!l) return p;
    return withTimeout(this.timers, l.ms, p, l.error, conn ? () => conn.abort() : undefined);
  }

  /** Maps whatever a read or parse threw to the client's typed errors. */
  private mapError(display: string, e: unknown): Error {
    if (e instanceof HttpParseError) return new MalformedResponseError(display, e);
    if (e instanceof TransportError) return new ConnectionResetError(display, e.message, { cause: e });
    if (e instanceof Error) return e;
    return new ConnectionResetError(display, String(e));
  }

  /** Puts a finished exchange's connection back in the pool (or closes it). */
  private release(ex: Exchange): void {
    if (ex.conn.isClosed) return;
    if (!ex.parser.done || ex.parser.leftover.length > 0 || this.opts.keepAlive === false) {
      ex.conn.close();
      return;
    }
    const d = keepAliveDecision(ex.head, false);
    this.pool.put(ex.conn.key, ex.conn, d, this.timers.now(), ex.conn.requestsLeft);
  }

  /** Drops an exchange we do not read to the end: reuse only when it is already complete. */
  private discard(ex: Exchange): void {
    if (ex.ended) this.release(ex);
    else ex.conn.abort();
  }

  /** Sends one request and reads the response head, on a pooled or new connection. */
  private async exchange(method: HttpMethod, url: HttpUrl, req: ExchangeRequest): Promise<Exchange> {
    const proxy = selectProxy(this.proxy, url);
    const key = proxy ? `proxy ${originOf(proxy.url)}` : originOf(url);
    const display = displayUrl(url);
    const keepAlive = this.opts.keepAlive !== false;
    const bytes = serializeRequest(
      buildRequest(method, url, {
        viaProxy: proxy !== null,
        proxyAuthorization: proxy ? proxy.authorization : null,
        userAgent: this.opts.userAgent === undefined ? DEFAULT_USER_AGENT : this.opts.userAgent,
        keepAlive,
        range: req.range ?? null,
        ifRange: req.ifRange ?? null,
        extraHeaders: req.extraHeaders,
      }),
    );
    for (let attempt = 0; ; attempt++) {
      const pooled = attempt === 0 && keepAlive ? this.takeUsable(key) : null;
      let conn: Connection;
      if (pooled) {
        conn = pooled.conn;
        conn.requestsLeft = pooled.requestsLeft;
      } else conn = await this.connect(display, proxy, url, key, req.deadline ?? null);
      conn.served++;
      const parser = new ResponseParser({ method, limits: this.limits });
      try {
        try {
          await conn.stream.write(bytes);
        } catch (e) {
          // The server dropped a reused connection after we took it: stale, as a close before any byte.
          if (pooled && e instanceof TransportError) throw new StaleConnection();
          throw e;
        }
        return await this.readHead(conn, parser, method, url, req.deadline ?? null);
      } catch (e) {
        conn.abort();
        if (e instanceof StaleConnection) {
          // GET and HEAD (all this client sends) are idempotent: retried once, on a new connection.
          if (pooled) {
            this.stats.staleRetried++;
            continue;
          }
          throw new ConnectionResetError(display, "connection closed before any response");
        }
        throw this.mapError(display, e);
      }
    }
  }

  /** A pooled connection for `key` that passed the idle check (others are closed and counted); null when none. */
  private takeUsable(key: string): { conn: Connection; requestsLeft: number | null } | null {
    for (;;) {
      const pooled = this.pool.take(key, this.timers.now());
      if (!pooled) return null;
      if (pooled.conn.staleReason() === null) return pooled;
      pooled.conn.abort();
      this.stats.staleDropped++;
    }
  }

  private async readHead(conn: Connection, parser: ResponseParser, method: HttpMethod, url: HttpUrl, deadline: Deadline | null): Promise<Exchange> {
    const state = { queued: [] as Uint8Array[], ended: false, truncated: null as { received: number; expected: number | null } | null, trailers: null as Headers | null };
    const display = displayUrl(url);
    const headMs = this.opts.headTimeoutMs ?? DEFAULT_HEAD_TIMEOUT_MS;
    const headAt = this.timers.now() + headMs;
    for (;;) {
      let chunk: Uint8Array | null;
      try {
        chunk = await this.limited(conn, conn.stream.read(), [
          this.stallLimit(display),
          headMs > 0 ? { ms: headAt - this.timers.now(), error: () => new HttpTimeoutError(display, "head", headMs) } : null,
          this.deadlineLimit(display, deadline),
        ]);
      } catch (e) {
        if (parser.consumed === 0 && e instanceof TransportError) throw new StaleConnection();
        throw e;
      }
      // Closed before a single byte: on a pooled connection the server
      // dropped it while idle (retry on a new one); on a new one it is a reset.
      if (chunk === null && parser.consumed === 0) throw new StaleConnection();
      const events: ResponseEvent[] = chunk === null ? parser.eof() : parser.feed(chunk);
      const head = applyEvents(events, state);
      if (head) return { conn, parser, head, method, url, ...state };
    }
  }

  private async connect(display: string, proxy: ProxyServer | null, url: HttpUrl, key: string, deadline: Deadline | null): Promise<Connection> {
    const target = proxy ? proxy.url : url;
    let host = target.host;
    if (target.hostKind === "name" && this.resolver) {
      try {
        host = await this.resolver.resolve(target.host);
      } catch (e) {
        throw new DnsError(display, target.host, { cause: e });
      }
    }
    const ms = this.opts.connectTimeoutMs ?? 10000;
    let timedOut = false;
    const p = this.transport.connect(host, target.port, { timeoutMs: ms });
    p.then(
      (s) => {
        if (timedOut) s.close();
      },
      () => undefined,
    );
    try {
      const dl = this.deadlineLimit(display, deadline);
      const first = firstLimit([{ ms, error: () => new HttpTimeoutError(display, "connect", ms) }, dl])!;
      const stream = await withTimeout(this.timers, first.ms, p, () => {
        timedOut = true;
        return first.error();
      });
      return new Connection(stream, key);
    } catch (e) {
      if (e instanceof HttpTimeoutError) throw e;
      if (e instanceof TransportError) {
        if (e.kind === "timeout") throw new HttpTimeoutError(display, "connect", ms);
        if (e.kind === "dns") throw new DnsError(display, target.host, { cause: e });
      }
      throw new ConnectionRefusedError(display, target.host, target.port, { cause: e });
    }
  }
}
