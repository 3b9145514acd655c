import { UsageError } from "../../errors.js";
import type { Command } from "../types.js";
import { parseArgs } from "./args.js";
import { download } from "./download.js";
import { ChecksumMismatchError } from "./errors.js";
import { NET_SETTINGS } from "./settings.js";
import type { NetState } from "./state.js";
import { baseName, urlArg, urlText } from "./url.js";

const USAGE = "fetch URL [--sha256 HEX] [-o NAME]";

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
      const hashing = expected !== undefined || state.settings.get(NET_SETTINGS.fetchHash) !== "none";
      const got = await download(state, ctx, "fetch", url, { label: name, hash: hashing });
      if (hashing) ctx.out.line(`sha256 ${got.sha256}`);
      if (expected !== undefined && got.sha256 !== expected) throw new ChecksumMismatchError(urlText(url), expected, got.sha256);
      state.files.set(name, got.bytes);
      ctx.out.line(`${expected !== undefined ? "checksum OK, " : ""}${got.bytes.length} bytes in memory as '${name}'`);
    },
  };
}
