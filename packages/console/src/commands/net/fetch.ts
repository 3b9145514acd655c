import { Sha256, type HttpResponse } from "@pxe/http";
import { InterruptedError, UsageError } from "../../errors.js";
import type { Command } from "../types.js";
import { parseArgs } from "./args.js";
import { ChecksumMismatchError, NetCommandError, OutOfMemoryError, isOutOfMemory, messageOf } from "./errors.js";
import { NET_SETTINGS } from "./settings.js";
import type { NetState } from "./state.js";
import { baseName, urlArg, urlText } from "./url.js";

const USAGE = "fetch URL [--sha256 HEX] [-o NAME]";

/** Collects a body into memory: one buffer when the size is known, chunks otherwise. */
class Sink {
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

/**
 * `fetch URL [--sha256 HEX] [-o NAME]`: downloads into memory with a
 * progress bar (bytes, %, MB/s, ETA), then prints size, time, MB/s and the
 * SHA-256. With --sha256 a mismatch is an error and the data is dropped.
 * The file stays in memory under NAME (default: the URL's last segment); a
 * file already kept under that name is dropped first. `files` lists them,
 * `rm` frees them; running out of memory is an OutOfMemoryError that says
 * what was asked for, what is free and how to free more.
 * `set fetch.hash=none` skips the digest (for raw speed) unless --sha256 is given.
 */
export function fetchCommand(state: NetState): Command {
  return {
    name: "fetch",
    summary: "download a URL into memory (progress, MB/s, SHA-256)",
    usage: USAGE,
    details: "Proxy, timeouts and TCP window: see 'show' (http.proxy, http.connect_timeout, tcp.window).",
    async run(args, ctx) {
      const { options, positional } = parseArgs("fetch", USAGE, args, [
        { names: ["--sha256"], value: true },
        { names: ["-o", "--output"], value: true },
      ]);
      if (positional.length !== 1) throw new UsageError("fetch", positional.length ? "one URL at a time" : "which URL?", USAGE);
      const url = urlArg("fetch", USAGE, positional[0]);
      const expected = options["--sha256"]?.toLowerCase();
      if (expected !== undefined && !/^[0-9a-f]{64}$/.test(expected)) throw new UsageError("fetch", "--sha256 wants 64 hex digits", USAGE);
      const name = options["-o"] ?? baseName(url);
      state.files.delete(name);
      const client = state.httpClient("fetch");
      let res: HttpResponse;
      try {
        res = await client.get(url);
      } catch (e) {
        throw new NetCommandError("fetch", messageOf(e), { cause: e });
      }
      const total = res.contentLength ?? res.totalLength;
      const noMemory = (e: unknown): OutOfMemoryError =>
        new OutOfMemoryError("fetch", `'${name}' from ${urlText(url)}`, total, state.freeMemory(), { count: state.files.size, bytes: state.filesBytes() }, { cause: e });
      let sink: Sink;
      try {
        sink = new Sink(total);
      } catch (e) {
        res.cancel();
        // An impossible length (RangeError) is as much "cannot hold it" as a failed allocation.
        if (isOutOfMemory(e) || e instanceof RangeError) throw noMemory(e);
        throw e;
      }
      const bar = ctx.progress({ total: total ?? undefined, label: name });
      const hashing = expected !== undefined || state.settings.get(NET_SETTINGS.fetchHash) !== "none";
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
          if (hashing) hash.update(c);
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
        throw new NetCommandError("fetch", messageOf(e), { cause: e });
      } finally {
        off();
      }
      bar.finish(ctx.now(), { done: sink.length });
      const digest = hashing ? hash.hex() : "";
      if (hashing) ctx.out.line(`sha256 ${digest}`);
      if (expected !== undefined && digest !== expected) {
        sink.clear();
        throw new ChecksumMismatchError(urlText(url), expected, digest);
      }
      let data: Uint8Array;
      try {
        data = sink.bytes();
      } catch (e) {
        sink.drop();
        if (isOutOfMemory(e) || e instanceof RangeError) throw noMemory(e);
        throw e;
      }
      state.files.set(name, data);
      ctx.out.line(`${expected !== undefined ? "checksum OK, " : ""}${sink.length} bytes in memory as '${name}'`);
    },
  };
}
