import { HttpStatusError, type HttpResponse } from "@pxe/http";
import type { ConfSource } from "@pxe/kboot";
import type { CommandContext } from "../types.js";
import { NetCommandError, messageOf } from "../net/errors.js";
import { Sink } from "../net/download.js";
import { runLine } from "./loader.js";
import type { LoaderState } from "./state.js";

/**
 * loader.conf files over HTTP for @pxe/kboot's readers: "/boot/loader.conf"
 * resolves against boot.base (a URL is used as it is), a 404 is "no such
 * file", `exec=` lines run as console commands, each file read is printed.
 */
export function httpConfSource(state: LoaderState, ctx: CommandContext, command: string): ConfSource {
  return {
    async read(path) {
      const url = state.resolve(command, path);
      const client = state.net(command).httpClient(command);
      let res: HttpResponse;
      try {
        res = await client.get(url);
      } catch (e) {
        if (e instanceof HttpStatusError && e.status === 404) return null;
        throw new NetCommandError(command, messageOf(e), { cause: e });
      }
      const sink = new Sink(res.contentLength ?? res.totalLength);
      res.onRestart = () => sink.clear();
      try {
        for await (const c of res.body) sink.push(c);
      } catch (e) {
        throw new NetCommandError(command, `${path}: ${messageOf(e)}`, { cause: e });
      }
      return sink.bytes();
    },
    exec: (cmd) => runLine(ctx, cmd),
    onFile(path, found) {
      if (found) ctx.out.line(`reading ${path}`);
    },
  };
}
