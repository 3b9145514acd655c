import { HttpParseError } from "../errors.js";
import { ChunkedDecoder } from "./chunked.js";
import type { FieldLimits } from "./field-lines.js";
import { DEFAULT_FIELD_LIMITS, FieldSection } from "./field-lines.js";
import type { BodyFraming } from "./framing.js";
import { decideFraming } from "./framing.js";
import { Headers } from "./headers.js";
import { LineReader } from "./line-reader.js";
import type { HttpMethod } from "./request.js";

/** Status line and header section of a (final) response. */
export interface ResponseHead {
  /** HTTP major version (always 1). */
  readonly versionMajor: number;
  /** HTTP minor version: 0 or 1. */
  readonly versionMinor: number;
  /** Status code, 200..599. */
  readonly status: number;
  /** Reason phrase ("" when absent). */
  readonly reason: string;
  /** Header fields. */
  readonly headers: Headers;
  /** How the body is delimited. */
  readonly framing: BodyFraming;
  /** False when framing was suspicious; the connection must not be reused. */
  readonly framingTrustworthy: boolean;
  /** Number of 1xx interim responses skipped before this one. */
  readonly interim: number;
}

/** What the parser emits, in order: head, data*, trailers?, end — or truncated at EOF. */
export type ResponseEvent =
  | { readonly type: "head"; readonly head: ResponseHead }
  | { readonly type: "data"; readonly data: Uint8Array }
  | { readonly type: "trailers"; readonly trailers: Headers }
  | { readonly type: "end" }
  | { readonly type: "truncated"; readonly received: number; readonly expected: number | null };

/** Options of a ResponseParser. */
export interface ResponseParserOptions {
  /** The request method (HEAD responses have no body). */
  readonly method: HttpMethod;
  /** Limits on the header section (and trailers). */
  readonly limits?: FieldLimits;
  /** Longest status line accepted (default 8192). */
  readonly maxStatusLine?: number;
}

type State = "status" | "headers" | "length" | "chunked" | "close" | "done";

/**
 * Incremental, sans-IO HTTP/1.x response parser. Feed bytes as they come,
 * split anywhere; each call returns the events the new bytes completed.
 * Interim 1xx responses are skipped (101 is an error: we never ask to
 * upgrade). Call `eof()` when the peer closes. Bytes after the end of the
 * message are kept in `leftover`. Throws only HttpParseError.
 */
export class ResponseParser {
  private state: State = "status";
  private readonly limits: FieldLimits;
  private readonly maxStatusLine: number;
  private readonly line: LineReader;
  private section: FieldSection | null = null;
  private statusLine: { major: number; minor: number; status: number; reason: string } | null = null;
  private remaining = 0;
  private expected: number | null = null;
  private chunked: ChunkedDecoder | null = null;
  private interim = 0;
  private headBytes = 0;
  private extra: Uint8Array[] = [];
  /** Stream bytes consumed so far (excluding leftover). */
  consumed = 0;
  /** Body bytes emitted so far. */
  bodyBytes = 0;
  /** The final head, once parsed. */
  head: ResponseHead | null = null;

  /** Creates a parser for the response to one request. */
  constructor(private readonly opts: ResponseParserOptions) {
    this.limits = opts.limits ?? DEFAULT_FIELD_LIMITS;
    this.maxStatusLine = opts.maxStatusLine ?? 8192;
    this.line = new LineReader("status line", this.maxStatusLine);
  }

  /** True once the whole message (including trailers) has been parsed. */
  get done(): boolean {
    return this.state === "done";
  }

  /** Bytes received after the end of the message (a sign of a confused server). */
  get leftover(): Uint8Array[] {
    return this.extra;
  }

  /** Parses `chunk`; returns the events it completed. */
  feed(chunk: Uint8Array): ResponseEvent[] {
    const ev: ResponseEvent[] = [];
    let i = 0;
    const end = chunk.length;
    const base = this.consumed;
    let extraNow = 0;
    while (i < end) {
      switch (this.state) {
        case "done":
          this.extra.push(chunk.subarray(i));
          extraNow += end - i;
          i = end;
          break;
        case "status":
        case "headers": {
          // One head line (the status line, then header fields up to the blank line).
          const at = base + i;
          const r = this.line.read(chunk, i, end, base);
          this.headBytes += r.next - i;
          i = r.next;
          this.checkHeadSize(base + i);
          if (r.line === null) break;
          if (this.state === "status") {
            this.statusLine = parseStatusLine(r.line, at);
            this.section = new FieldSection("header", this.limits);
            this.line.reset("header", this.limits.maxBytes);
            this.state = "headers";
          } else if (r.line !== "") {
            this.section!.addLine(r.line, at);
          } else {
            this.finishHead(base + i, ev);
          }
          break;
        }
        case "length": {
          const n = Math.min(this.remaining, end - i);
          ev.push({ type: "data", data: chunk.subarray(i, i + n) });
          this.bodyBytes += n;
          this.remaining -= n;
          i += n;
          if (this.remaining === 0) this.finish(ev);
          break;
        }
        case "close":
          ev.push({ type: "data", data: chunk.subarray(i) });
          this.bodyBytes += end - i;
          i = end;
          break;
        case "chunked": {
          const out = this.chunked!.feed(chunk, i, end);
          for (const d of out.data) if (d.length) ev.push({ type: "data", data: d });
          this.bodyBytes = this.chunked!.bodyBytes;
          i += out.consumed;
          if (out.trailers) {
            if (out.trailers.length) ev.push({ type: "trailers", trailers: new Headers(out.trailers) });
            this.finish(ev);
          }
          break;
        }
      }
    }
    this.consumed += end - extraNow;
    return ev;
  }

  /**
   * The peer closed the connection. Ends a close-delimited body; for any
   * other unfinished body returns a `truncated` event; a close inside the
   * status line or header section is a HttpParseError.
   */
  eof(): ResponseEvent[] {
    switch (this.state) {
      case "done":
        return [];
      case "close":
        this.state = "done";
        return [{ type: "end" }];
      case "length":
      case "chunked":
        return [{ type: "truncated", received: this.bodyBytes, expected: this.expected }];
      default:
        throw new HttpParseError(this.state === "status" ? "status line" : "header", this.consumed, this.consumed === 0 ? "connection closed before any response" : "connection closed inside the response head");
    }
  }

  private checkHeadSize(at: number): void {
    if (this.headBytes > this.limits.maxBytes + this.maxStatusLine) throw new HttpParseError("header", at, `response head larger than ${this.limits.maxBytes + this.maxStatusLine} bytes`);
  }

  private finishHead(at: number, ev: ResponseEvent[]): void {
    const sl = this.statusLine!;
    const headers = new Headers(this.section!.list());
    this.section = null;
    this.statusLine = null;
    if (sl.status >= 100 && sl.status < 200) {
      if (sl.status === 101) throw new HttpParseError("status line", at, "unexpected 101 Switching Protocols");
      this.interim++;
      this.state = "status";
      this.line.reset("status line", this.maxStatusLine);
      return;
    }
    const d = decideFraming(this.opts.method, sl.status, sl.minor, headers, at);
    const head: ResponseHead = { versionMajor: sl.major, versionMinor: sl.minor, status: sl.status, reason: sl.reason, headers, framing: d.framing, framingTrustworthy: d.trustworthy, interim: this.interim };
    this.head = head;
    ev.push({ type: "head", head });
    switch (d.framing.kind) {
      case "none":
        this.finish(ev);
        break;
      case "length":
        this.expected = d.framing.length;
        this.remaining = d.framing.length;
        if (this.remaining === 0) this.finish(ev);
        else this.state = "length";
        break;
      case "chunked":
        this.chunked = new ChunkedDecoder(this.limits, at);
        this.state = "chunked";
        break;
      case "close":
        this.state = "close";
        break;
    }
  }

  private finish(ev: ResponseEvent[]): void {
    this.state = "done";
    ev.push({ type: "end" });
  }
}

/** Parses "HTTP/1.1 200 OK" (reason may be empty or missing). */
export function parseStatusLine(line: string, at: number): { major: number; minor: number; status: number; reason: string } {
  const m = /^HTTP\/([0-9])\.([0-9]) ([0-9]{3})(?:[ ]([^]*))?$/.exec(line);
  if (!m) throw new HttpParseError("status line", at, `not an HTTP/1.x status line: ${JSON.stringify(line.slice(0, 60))}`);
  if (m[1] !== "1") throw new HttpParseError("status line", at, `unsupported HTTP version ${m[1]}.${m[2]}`);
  const status = Number(m[3]);
  if (status < 100 || status > 599) throw new HttpParseError("status line", at, `status ${m[3]} out of range`);
  const reason = m[4] ?? "";
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(reason)) throw new HttpParseError("status line", at, "control character in reason phrase");
  return { major: 1, minor: Number(m[2]), status, reason };
}
