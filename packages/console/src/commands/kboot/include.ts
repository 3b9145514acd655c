import { displayUrl } from "@pxe/http";
import { readConf } from "@pxe/kboot";
import { UsageError } from "../../errors.js";
import type { Command } from "../types.js";
import { httpConfSource } from "./conf-source.js";
import { LoaderCommandError } from "./errors.js";
import type { LoaderState } from "./state.js";

/**
 * `include FILE|URL ...`: reads a loader.conf: its variables join the kernel
 * environment, its `X_load` lines the module table (loaded by boot-conf or
 * boot), files it names in loader_conf_files are read too, `exec=` lines
 * run. A bad line is an error naming the file and line, and nothing of
 * that file is applied.
 */
export function includeCommand(state: LoaderState): Command {
  return {
    name: "include",
    summary: "read a loader.conf (variables, modules to load)",
    usage: "include FILE|URL ...",
    async run(args, ctx) {
      if (args.length === 0) throw new UsageError("include", "which file?", "include FILE|URL ...");
      const source = httpConfSource(state, ctx, "include");
      for (const file of args) {
        // readConf parses a whole file before applying it: a bad line leaves that file unapplied.
        if (!(await readConf(source, state.conf, file))) throw new LoaderCommandError("include", `${displayUrl(state.resolve("include", file))}: not found (404)`);
      }
    },
  };
}
