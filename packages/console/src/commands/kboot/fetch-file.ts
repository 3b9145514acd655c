import { HttpStatusError, displayUrl, type HttpUrl } from "@pxe/http";
import { ChecksumError, gunzipIfNeeded, parseDigest } from "@pxe/kboot";
import type { CommandContext } from "../types.js";
import { download } from "../net/download.js";
import { formatRate } from "../../progress/format.js";
import { memoryNote } from "../net/errors.js";
import { FileNotFoundError } from "./errors.js";
import type { LoaderState } from "./state.js";

/** A file brought in by {@link fetchFirst}. */
export interface FetchedFile {
  /** The URL that answered. */
  readonly url: HttpUrl;
  /** Bytes, inflated when the file was gzip. */
  readonly data: Uint8Array;
  /** Bytes as downloaded. */
  readonly downloaded: number;
  /** True when it was gzip (kernel.gz, *.ko.gz, mfsroot.gz). */
  readonly gzipped: boolean;
}

/**
 * Downloads the first of `refs` (paths against boot.base, or URLs) that
 * exists, with the progress bar: a 404 moves on to the next, any other
 * failure (refused, truncated, timeout) stops. With `sha256` the bytes as
 * downloaded must have that digest (ChecksumError otherwise, the file
 * dropped); gzip files are inflated unless `opts.inflate` is false (Linux
 * initrds), and a line says how long inflating took and the rate of its
 * output (a 13 MB kernel.gz takes seconds: the pause is explained). FileNotFoundError naming every URL
 * tried when none exists. Wrong digest: @pxe/kboot's ChecksumError; bad
 * gzip: its GzipError; no memory for the inflated file: its
 * GzipMemoryError, ending with what is free and what `files` holds (all
 * name the URL).
 */
export async function fetchFirst(state: LoaderState, ctx: CommandContext, command: string, what: string, refs: readonly string[], sha256?: string, opts: { inflate?: boolean } = {}): Promise<FetchedFile> {
  const want = sha256 === undefined ? undefined : parseDigest(sha256, `${command} ${what}`);
  const net = state.net(command);
  const tried: string[] = [];
  for (const ref of refs) {
    const url = state.resolve(command, ref);
    const shown = displayUrl(url);
    tried.push(shown);
    let got;
    try {
      got = await download(net, ctx, command, url, { label: url.path.split("/").pop() || shown, hash: want !== undefined, rethrow: is404 });
    } catch (e) {
      if (is404(e)) continue;
      throw e;
    }
    if (want !== undefined && got.sha256 !== want) throw new ChecksumError(shown, want, got.sha256);
    const started = ctx.now();
    const inflated = opts.inflate === false ? { data: got.bytes, gzipped: false } : gunzipIfNeeded(got.bytes, shown, { memoryNote: () => memoryNote(net.freeMemory(), { count: net.files.size, bytes: net.filesBytes() }) });
    const secs = (ctx.now() - started) / 1000;
    if (want !== undefined) ctx.out.line(`${shown}: SHA-256 OK`);
    if (inflated.gzipped) ctx.out.line(`${shown}: gzip, ${got.bytes.length} -> ${inflated.data.length} bytes, inflated in ${secs.toFixed(2)} s (${formatRate(inflated.data.length / secs)})`);
    return { url, data: inflated.data, downloaded: got.bytes.length, gzipped: inflated.gzipped };
  }
  throw new FileNotFoundError(command, what, tried);
}

function is404(e: unknown): boolean {
  return e instanceof HttpStatusError && e.status === 404;
}
