import { HttpFs } from "@pxe/httpfs";
import { UsageError } from "../../errors.js";
import { formatBytes } from "../../progress/format.js";
import type { Command } from "../types.js";
import { NetCommandError, messageOf } from "./errors.js";
import type { NetState } from "./state.js";
import { urlArg } from "./url.js";

const USAGE = "stat URL";

/** `stat URL`: size, type, content type, last-modified, ETag and Range support (HEAD). */
export function statCommand(state: NetState): Command {
  return {
    name: "stat",
    summary: "size, type, date and Range support of a URL",
    usage: USAGE,
    async run(args, ctx) {
      if (args.length !== 1) throw new UsageError("stat", args.length ? "one URL at a time" : "which URL?", USAGE);
      const url = urlArg("stat", USAGE, args[0]);
      const fs = new HttpFs({ client: state.httpClient("stat") });
      let st;
      try {
        st = await fs.stat(url);
      } catch (e) {
        throw new NetCommandError("stat", messageOf(e), { cause: e });
      }
      ctx.out.pairs([
        ["url", st.url],
        ["type", st.type],
        ["size", st.size === null ? "unknown" : `${st.size} (${formatBytes(st.size)})`],
        ["content-type", st.contentType ?? "-"],
        ["last-modified", st.lastModified ?? "-"],
        ["etag", st.etag ?? "-"],
        ["ranges", st.acceptRanges ? "yes (Accept-Ranges: bytes)" : "not advertised"],
      ]);
    },
  };
}
