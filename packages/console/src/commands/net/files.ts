import { UsageError } from "../../errors.js";
import { formatBytes } from "../../progress/format.js";
import type { Command } from "../types.js";
import { NoSuchFileError } from "./errors.js";
import type { NetState } from "./state.js";

/** `files`: the files `fetch` keeps in memory, their sizes, the total, and what is free. */
export function filesCommand(state: NetState): Command {
  return {
    name: "files",
    summary: "list the files fetch keeps in memory",
    usage: "files",
    run(args, ctx) {
      if (args.length > 0) throw new UsageError("files", "takes no arguments", "files");
      const free = state.freeMemory();
      const freeText = free === undefined ? "" : `, ${formatBytes(free)} free`;
      if (state.files.size === 0) {
        ctx.out.line(`no files in memory${freeText}`);
        return;
      }
      const rows: string[][] = [];
      state.files.forEach((data, name) => rows.push([name, formatBytes(data.length), String(data.length)]));
      ctx.out.table(rows, { header: ["name", "size", "bytes"], align: ["left", "right", "right"] });
      const n = state.files.size;
      ctx.out.line(`${n} file${n === 1 ? "" : "s"}, ${formatBytes(state.filesBytes())}${freeText}; 'rm NAME' frees one`);
    },
  };
}

const RM_USAGE = "rm NAME... | rm --all";

/** `rm NAME...` / `rm --all`: drops files from memory (the engine frees them at once). */
export function rmCommand(state: NetState): Command {
  return {
    name: "rm",
    summary: "free files that fetch kept in memory",
    usage: RM_USAGE,
    run(args, ctx) {
      if (args.length === 0) throw new UsageError("rm", "which file? ('files' lists them)", RM_USAGE);
      let names: string[];
      if (args.length === 1 && args[0] === "--all") names = Array.from(state.files.keys());
      else {
        for (const a of args) if (a.startsWith("-")) throw new UsageError("rm", `unknown option ${a}`, RM_USAGE);
        for (const a of args) if (!state.files.has(a)) throw new NoSuchFileError("rm", a, Array.from(state.files.keys()));
        names = args;
      }
      let bytes = 0;
      for (const name of names) {
        bytes += state.files.get(name)?.length ?? 0;
        state.files.delete(name);
      }
      ctx.out.line(`freed ${formatBytes(bytes)} (${names.length} file${names.length === 1 ? "" : "s"})`);
    },
  };
}
