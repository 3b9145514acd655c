import { utf8 } from "@pxe/core";
import type { HttpResponse } from "@pxe/http";
import { UsageError } from "../../errors.js";
import type { Command } from "../types.js";
import { NetCommandError, messageOf } from "./errors.js";
import { NET_DEFAULTS, NET_SETTINGS } from "./settings.js";
import type { NetState } from "./state.js";
import { urlArg } from "./url.js";

const USAGE = "cat URL";

/**
 * Makes text safe for the console's ANSI subset: CR LF and lone CR become
 * LF, tabs expand to 8-column stops, other control characters show as '.'.
 */
export function printableText(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  return lines
    .map((l) => {
      let out = "";
      for (const ch of l) {
        const c = ch.charCodeAt(0);
        if (ch === "\t") out += " ".repeat(8 - (out.length % 8));
        else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) out += ".";
        else out += ch;
      }
      return out;
    })
    .join("\n");
}

/**
 * `cat URL`: prints a text file, at most `cat.max` bytes (default 64 KiB;
 * the rest is not downloaded).
 */
export function catCommand(state: NetState): Command {
  return {
    name: "cat",
    summary: "print a text file over HTTP (up to cat.max bytes)",
    usage: USAGE,
    async run(args, ctx) {
      if (args.length !== 1) throw new UsageError("cat", args.length ? "one URL at a time" : "which URL?", USAGE);
      const url = urlArg("cat", USAGE, args[0]);
      const cap = state.settings.getNumber(NET_SETTINGS.catMax, NET_DEFAULTS.catMax);
      const client = state.httpClient("cat");
      let res: HttpResponse | undefined;
      const parts: Uint8Array[] = [];
      let n = 0;
      let cut = false;
      try {
        res = await client.get(url);
        const r = res;
        r.onRestart = () => {
          parts.length = 0;
          n = 0;
        };
        for await (const c of r.body) {
          if (ctx.interrupted) break;
          const take = Math.min(c.length, cap - n);
          parts.push(take === c.length ? c : c.subarray(0, take));
          n += take;
          if (n >= cap) {
            cut = take < c.length || r.contentLength === null || r.contentLength > cap;
            if (cut) r.cancel();
            break;
          }
        }
      } catch (e) {
        throw new NetCommandError("cat", messageOf(e), { cause: e });
      }
      const all = new Uint8Array(n);
      let o = 0;
      for (const p of parts) {
        all.set(p, o);
        o += p.length;
      }
      const text = printableText(utf8(all));
      if (text.length) ctx.out.write(text.endsWith("\n") ? text : text + "\n");
      if (cut) ctx.out.line(`[cut at ${cap} bytes${res && res.contentLength !== null ? ` of ${res.contentLength}` : ""}; set cat.max=N for more]`);
    },
  };
}
