import { Sha256, type HttpResponse, type HttpUrl } from "@pxe/http";
import { InterruptedError } from "../../errors.js";
import type { CommandContext } from "../types.js";
import { NetCommandError, OutOfMemoryError, isOutOfMemory, messageOf } from "./errors.js";
import type { NetState } from "./state.js";
import { urlText } from "./url.js";

/** Collects a body into memory: one buffer when the size is known, chunks otherwise. */
export class Sink {
  private buf: Uint8Array | null;
  private parts: Uint8Array[] = [];
  length = 0;

  constructor(private readonly total: number | null) {
    this.buf = total !== null && total > 0 ? new Uint8Array(total) : null;
  }

  push(c: Uint8Array): void {
    if (this.buf && this.length + c.length <= this.buf.length) this.buf.set(c, this.length);
    else {
      if (this.buf) {
        this.parts.push(this.buf.subarray(0, this.length));
        this.buf = null;
      }
      this.parts.push(c);
    }
    this.length += c.length;
  }

  bytes(): Uint8Array {
    if (this.buf) return this.length === this.buf.length ? this.buf : this.buf.slice(0, this.length);
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  clear(): void {
    this.buf = this.total !== null && this.total > 0 ? new Uint8Array(this.total) : null;
    this.parts = [];
    this.length = 0;
  }

  /** Lets go of everything (so the memory is free before an error is reported). */
  drop(): void {
    this.buf = null;
    this.parts = [];
    this.length = 0;
  }
}

/** What {@link download} brings back. */
export interface Download {
  /** The body. */
  readonly bytes: Uint8Array;
  /** Its SHA-256 (lower-case hex), or "" when not hashed. */
  readonly sha256: string;
}

/**
 * GETs `url` into memory with the console's HTTP client (proxy, timeouts
 * from the settings) and a progress bar labelled `label`, hashing as the
 * bytes arrive when `hash` is set (fetch and load both use it). Ctrl-C
 * cancels (InterruptedError). Running out of memory is an OutOfMemoryError
 * naming `label` and the URL, what is free and what `files` holds. A failed
 * request or a broken body throws NetCommandError for `command`, unless
 * `rethrow(e)` says to pass the request's error on as it is (a 404 the
 * caller handles).
 */
export async function download(
  state: NetState,
  ctx: CommandContext,
  command: string,
  url: HttpUrl,
  opts: { label: string; hash: boolean; rethrow?: (e: unknown) => boolean },
): Promise<Download> {
  const client = state.httpClient(command);
  let res: HttpResponse;
  try {
    res = await client.get(url);
  } catch (e) {
    if (opts.rethrow?.(e)) throw e;
    throw new NetCommandError(command, messageOf(e), { cause: e });
  }
  const total = res.contentLength ?? res.totalLength;
  const noMemory = (e: unknown): OutOfMemoryError =>
    new OutOfMemoryError(command, `'${opts.label}' from ${urlText(url)}`, total, state.freeMemory(), { count: state.files.size, bytes: state.filesBytes() }, { cause: e });
  let sink: Sink;
  try {
    sink = new Sink(total);
  } catch (e) {
    res.cancel();
    // An impossible length (RangeError) is as much "cannot hold it" as a failed allocation.
    if (isOutOfMemory(e) || e instanceof RangeError) throw noMemory(e);
    throw e;
  }
  const bar = ctx.progress({ total: total ?? undefined, label: opts.label });
  let hash = new Sha256();
  res.onRestart = () => {
    hash = new Sha256();
    sink.clear();
  };
  res.onResume = (info) => ctx.out.line(`resuming at byte ${info.at}: ${info.reason}`);
  const off = ctx.onInterrupt(() => res.cancel());
  try {
    for await (const c of res.body) {
      if (ctx.interrupted) break;
      if (opts.hash) hash.update(c);
      sink.push(c);
      bar.update(sink.length, ctx.now());
    }
    if (ctx.interrupted) throw new InterruptedError();
  } catch (e) {
    bar.finish(ctx.now(), { done: sink.length, failed: ctx.interrupted ? "interrupted" : isOutOfMemory(e) ? "out of memory" : messageOf(e) });
    sink.drop();
    if (ctx.interrupted) throw new InterruptedError();
    if (isOutOfMemory(e)) {
      res.cancel();
      throw noMemory(e);
    }
    throw new NetCommandError(command, messageOf(e), { cause: e });
  } finally {
    off();
  }
  bar.finish(ctx.now(), { done: sink.length });
  const digest = opts.hash ? hash.hex() : "";
  let bytes: Uint8Array;
  try {
    bytes = sink.bytes();
  } catch (e) {
    sink.drop();
    if (isOutOfMemory(e) || e instanceof RangeError) throw noMemory(e);
    throw e;
  }
  return { bytes, sha256: digest };
}
