import { concat } from "@pxe/core";
import type { HttpClient, HttpResponse, HttpUrl } from "@pxe/http";
import { displayUrl } from "@pxe/http";
import { FileClosedError, ReadError, SeekError } from "./errors.js";

/** Read-ahead settings of an open file. */
export interface ReadAheadOptions {
  /** First window size in bytes (default 64 KiB). */
  readonly readAhead?: number;
  /** Largest window; windows double while reads stay sequential (default 4 MiB). */
  readonly maxReadAhead?: number;
}

/** Where a seek offset counts from. */
export type Whence = "set" | "cur" | "end";

/**
 * An open file over HTTP. Reads are served from a read-ahead window that
 * one Range request fills; while reads stay sequential the window doubles
 * (up to maxReadAhead), so small reads don't each become a request and a
 * large sequential read costs few requests. A seek outside the window
 * just moves the position; the next read fetches from there. A server
 * that ignores Range still works (the window is cut out of the full
 * response), only slower; `rangeSupported` tells.
 */
export class HttpFile {
  private pos = 0;
  private buf: Uint8Array = new Uint8Array(0);
  private bufStart = 0;
  private window: number;
  private readonly initialWindow: number;
  private readonly maxWindow: number;
  private closed = false;
  /** False once the server answered a Range request with the whole file. */
  rangeSupported = true;
  /** Range requests made so far (for tests and diagnostics). */
  requests = 0;

  /** Opens `url` whose size is `size` (null when the server did not say). */
  constructor(private readonly client: HttpClient, readonly url: HttpUrl, public size: number | null, opts: ReadAheadOptions = {}) {
    this.initialWindow = Math.max(1, opts.readAhead ?? 65536);
    this.maxWindow = Math.max(this.initialWindow, opts.maxReadAhead ?? 4 * 1024 * 1024);
    this.window = this.initialWindow;
  }

  /** The URL as text (no credentials). */
  get name(): string {
    return displayUrl(this.url);
  }

  /** Current position. */
  tell(): number {
    return this.pos;
  }

  /** Moves the position; returns the new one. "end" needs a known size. */
  seek(offset: number, whence: Whence = "set"): number {
    this.check();
    let p: number;
    if (whence === "set") p = offset;
    else if (whence === "cur") p = this.pos + offset;
    else {
      if (this.size === null) throw new SeekError(this.name, NaN, "size unknown, cannot seek from the end");
      p = this.size + offset;
    }
    if (!Number.isSafeInteger(p) || p < 0) throw new SeekError(this.name, p, "position must be a non-negative integer");
    this.pos = p;
    return p;
  }

  /** Reads up to `length` bytes at the position and advances it; fewer only at end of file. */
  async read(length: number): Promise<Uint8Array> {
    const out = await this.pread(this.pos, length);
    this.pos += out.length;
    return out;
  }

  /** Reads up to `length` bytes at `position` without moving the position. */
  async pread(position: number, length: number): Promise<Uint8Array> {
    this.check();
    if (!Number.isSafeInteger(position) || position < 0) throw new SeekError(this.name, position, "position must be a non-negative integer");
    const parts: Uint8Array[] = [];
    let at = position;
    let want = Math.max(0, Math.floor(length));
    while (want > 0) {
      if (this.size !== null && at >= this.size) break;
      if (at >= this.bufStart && at < this.bufStart + this.buf.length) {
        const from = at - this.bufStart;
        const n = Math.min(want, this.buf.length - from);
        parts.push(this.buf.slice(from, from + n));
        at += n;
        want -= n;
        continue;
      }
      const sequential = at === this.bufStart + this.buf.length && this.buf.length > 0;
      this.window = sequential ? Math.min(this.maxWindow, this.window * 2) : this.initialWindow;
      const got = await this.fill(at, Math.max(want, this.window));
      if (got === 0) break;
    }
    return parts.length === 1 ? parts[0] : concat(parts);
  }

  /** Reads from the position to the end of the file. */
  async readAll(): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for (;;) {
      const c = await this.read(this.maxWindow);
      if (c.length === 0) break;
      parts.push(c);
    }
    return concat(parts);
  }

  /** Closes the file (drops the window). Further calls throw FileClosedError. */
  close(): void {
    this.closed = true;
    this.buf = new Uint8Array(0);
  }

  private check(): void {
    if (this.closed) throw new FileClosedError(this.name);
  }

  /** Fetches [at, at+len) into the window; returns bytes obtained (0 = end of file). */
  private async fill(at: number, len: number): Promise<number> {
    let end = at + len - 1;
    if (this.size !== null) end = Math.min(end, this.size - 1);
    this.requests++;
    const res = await this.client.get(this.url, { range: this.rangeSupported ? { start: at, end } : null, throwOnStatus: false });
    if (res.status === 416) {
      res.cancel();
      const cr = res.headers.get("content-range");
      const m = cr ? /\/(\d+)\s*$/.exec(cr) : null;
      if (m) this.size = Number(m[1]);
      this.buf = new Uint8Array(0);
      this.bufStart = at;
      return 0;
    }
    if (res.status === 206) {
      const r = res.contentRange!;
      if (r.start !== at) {
        res.cancel();
        throw new ReadError(this.name, `asked for bytes from ${at}, server sent from ${r.start}`);
      }
      if (r.total !== null) this.size = r.total;
      const data = await res.bytes();
      this.buf = data;
      this.bufStart = at;
      return data.length;
    }
    if (res.status === 200) {
      this.rangeSupported = false;
      if (res.contentLength !== null) this.size = res.contentLength;
      const data = await cutWindow(res, at, end - at + 1);
      this.buf = data;
      this.bufStart = at;
      return data.length;
    }
    res.cancel();
    throw new ReadError(this.name, `HTTP ${res.status} ${res.reason} while reading`);
  }
}

/** Reads a full (200) body, keeping only [skip, skip+keep), then drops the connection. */
async function cutWindow(res: HttpResponse, skip: number, keep: number): Promise<Uint8Array> {
  let parts: Uint8Array[] = [];
  let pos = 0;
  let kept = 0;
  res.onRestart = () => {
    parts = [];
    pos = 0;
    kept = 0;
  };
  for await (const c of res.body) {
    const s = Math.max(0, skip - pos);
    const e = Math.min(c.length, skip + keep - pos);
    if (e > s) {
      parts.push(c.slice(s, e));
      kept += e - s;
    }
    pos += c.length;
    if (kept >= keep) break;
  }
  return concat(parts);
}
