import { HttpFs } from "@pxe/httpfs";
import { UsageError } from "../../errors.js";
import { formatBytes } from "../../progress/format.js";
import type { Command } from "../types.js";
import { NetCommandError, messageOf } from "./errors.js";
import type { NetState } from "./state.js";
import { urlArg } from "./url.js";

const USAGE = "ls URL/";

/**
 * `ls URL/`: lists a directory from the server's index page (nginx,
 * Apache, lighttpd, python http.server): name, size, date.
 */
export function lsCommand(state: NetState): Command {
  return {
    name: "ls",
    summary: "list a directory over HTTP (server index page)",
    usage: USAGE,
    async run(args, ctx) {
      if (args.length !== 1) throw new UsageError("ls", args.length ? "one URL at a time" : "which URL?", USAGE);
      const url = urlArg("ls", USAGE, args[0]);
      const fs = new HttpFs({ client: state.httpClient("ls") });
      let listing;
      try {
        listing = await fs.readdir(url);
      } catch (e) {
        throw new NetCommandError("ls", messageOf(e), { cause: e });
      }
      ctx.out.line(`${listing.url}  (${listing.entries.length} entr${listing.entries.length === 1 ? "y" : "ies"}, ${listing.format} index)`);
      ctx.out.table(
        listing.entries.map((e) => [
          e.type === "directory" ? `${e.name}/` : e.name,
          e.size === null ? "-" : e.sizeApproximate ? `~${formatBytes(e.size)}` : String(e.size),
          e.mtime ? e.mtime.text : "-",
        ]),
        { header: ["name", "size", "date"], align: ["left", "right", "left"] },
      );
    },
  };
}
