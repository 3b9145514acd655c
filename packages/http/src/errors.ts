import { PxeError, TimeoutError, WireError } from "@pxe/core";

/**
 * A response (status line, header, chunk framing or trailer) that is not
 * valid HTTP/1.1. `what` names the part, `offset` the byte position in the
 * response stream where the parser gave up.
 */
export class HttpParseError extends WireError {
  /** The part of the message that was bad, e.g. "status line", "chunk size". */
  readonly part: string;
  constructor(part: string, offset: number, reason: string) {
    super(`HTTP ${part}`, offset, reason);
    this.part = part;
  }
}

/** A URL (or a Location header, or a proxy setting) that is not a usable http:// URL. */
export class UrlError extends PxeError {
  /** The text that failed to parse. */
  readonly input: string;
  constructor(input: string, reason: string) {
    super("HTTP_BAD_URL", `bad URL ${JSON.stringify(input)}: ${reason}`);
    this.input = input;
  }
}

/** A request header name or value that cannot be sent (CR/LF, bad token). */
export class HeaderValueError extends PxeError {
  /** The header field name. */
  readonly field: string;
  constructor(field: string, reason: string) {
    super("HTTP_BAD_HEADER", `cannot send header ${JSON.stringify(field)}: ${reason}`);
    this.field = field;
  }
}

/** Base of the errors that concern one request: they carry the URL. */
export class HttpError extends PxeError {
  /** The URL (credentials removed) the request was for. */
  readonly url: string;
  constructor(code: string, url: string, message: string, options?: { cause?: unknown }) {
    super(code, `${url}: ${message}`, options);
    this.url = url;
  }
}

/** The server (or proxy) refused the TCP connection, or the transport failed to connect. */
export class ConnectionRefusedError extends HttpError {
  /** Host and port that were dialled. */
  readonly host: string;
  /** The port that was dialled. */
  readonly port: number;
  constructor(url: string, host: string, port: number, options?: { cause?: unknown }) {
    super("HTTP_CONNECTION_REFUSED", url, `connection to ${host}:${port} refused`, options);
    this.host = host;
    this.port = port;
  }
}

/** The connection broke (reset, or closed) at a point where that is an error. */
export class ConnectionResetError extends HttpError {
  constructor(url: string, detail: string, options?: { cause?: unknown }) {
    super("HTTP_CONNECTION_RESET", url, `connection reset: ${detail}`, options);
  }
}

/** The host name of the URL (or of the proxy) did not resolve. */
export class DnsError extends HttpError {
  /** The name that failed to resolve. */
  readonly hostname: string;
  constructor(url: string, hostname: string, options?: { cause?: unknown }) {
    super("HTTP_DNS", url, `cannot resolve host ${hostname}`, options);
    this.hostname = hostname;
  }
}

/** Which limit an HttpTimeoutError hit. */
export type HttpTimeoutPhase = "connect" | "response" | "head" | "deadline";

const TIMEOUT_WHAT: Record<HttpTimeoutPhase, string> = {
  connect: "connecting for ",
  response: "waiting for data of ",
  head: "waiting for the response head of ",
  deadline: "the deadline of ",
};

/** Connecting, or waiting for the next bytes of a response, took longer than the setting allows. */
export class HttpTimeoutError extends TimeoutError {
  /** The URL of the request. */
  readonly url: string;
  /**
   * "connect"; "response" (no byte for the stall timeout, head or body);
   * "head" (the whole response head took longer than the head timeout);
   * "deadline" (the request's total deadline passed).
   */
  readonly phase: HttpTimeoutPhase;
  constructor(url: string, phase: HttpTimeoutPhase, timeoutMs: number) {
    super(TIMEOUT_WHAT[phase] + url, timeoutMs);
    this.url = url;
    this.phase = phase;
  }
}

/** The server answered with a status that is not a success (>= 400, or an unfollowed 3xx). */
export class HttpStatusError extends HttpError {
  /** The status code, e.g. 404. */
  readonly status: number;
  /** The reason phrase as the server sent it. */
  readonly reason: string;
  constructor(url: string, status: number, reason: string) {
    super("HTTP_STATUS", url, `HTTP ${status}${reason ? " " + reason : ""}`);
    this.status = status;
    this.reason = reason;
  }
}

/** The body ended before the length the server announced (and could not be resumed). */
export class BodyTruncatedError extends HttpError {
  /** Bytes received. */
  readonly received: number;
  /** Bytes announced (Content-Length, or the end of the Content-Range). */
  readonly expected: number;
  constructor(url: string, received: number, expected: number, options?: { cause?: unknown }) {
    super("HTTP_BODY_TRUNCATED", url, `body ended after ${received} of ${expected} bytes`, options);
    this.received = received;
    this.expected = expected;
  }
}

/** More redirects than allowed, or a redirect loop. `chain` lists every URL visited. */
export class TooManyRedirectsError extends HttpError {
  /** Every URL in order, the first request first, the refused target last. */
  readonly chain: readonly string[];
  /** True when the refused target was already visited (a loop). */
  readonly loop: boolean;
  constructor(chain: readonly string[], loop: boolean, max: number) {
    super("HTTP_TOO_MANY_REDIRECTS", chain[0] ?? "", `${loop ? "redirect loop" : `more than ${max} redirects`}: ${chain.join(" -> ")}`);
    this.chain = chain;
    this.loop = loop;
  }
}

/** A resumed (or ranged) request got a response that does not continue what we had. */
export class RangeMismatchError extends HttpError {
  constructor(url: string, detail: string) {
    super("HTTP_RANGE_MISMATCH", url, detail);
  }
}

/**
 * The body arrived slower than the low-speed limit: fewer than `limit`
 * bytes per second over `timeMs` of waiting (curl's --speed-limit and
 * --speed-time). Not resumed: the server (or the path) is too slow.
 */
export class LowSpeedError extends HttpError {
  /** The limit, bytes per second. */
  readonly limit: number;
  /** The window, ms. */
  readonly timeMs: number;
  /** Bytes that arrived in that window. */
  readonly received: number;
  constructor(url: string, limit: number, timeMs: number, received: number) {
    super("HTTP_LOW_SPEED", url, `too slow: ${received} bytes in ${timeMs / 1000} s, below the low-speed limit of ${limit} bytes/s`);
    this.limit = limit;
    this.timeMs = timeMs;
    this.received = received;
  }
}

/** A response body was iterated (or read with bytes()) a second time: a body streams once. */
export class BodyConsumedError extends HttpError {
  constructor(url: string) {
    super("HTTP_BODY_CONSUMED", url, "body already consumed (a response body can be read once)");
  }
}

/** The response could not be parsed (the HttpParseError is the cause; its part and offset are copied). */
export class MalformedResponseError extends HttpError {
  /** Which part of the response was bad. */
  readonly part: string;
  /** Byte offset in the response stream. */
  readonly offset: number;
  constructor(url: string, cause: HttpParseError) {
    super("HTTP_MALFORMED_RESPONSE", url, `malformed response: ${cause.message}`, { cause });
    this.part = cause.part;
    this.offset = cause.offset;
  }
}
