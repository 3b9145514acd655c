import type { Command } from "../types.js";
import { LoaderCommandError } from "./errors.js";
import type { LoaderState } from "./state.js";

/** `unload [NAME]`: forgets every loaded file, or one (by its name or last path segment) and what was loaded after it. */
export function unloadCommand(state: LoaderState): Command {
  return {
    name: "unload",
    summary: "forget loaded files (all, or NAME and what followed it)",
    usage: "unload [NAME]",
    run(args, ctx) {
      if (args.length === 0) {
        const n = state.entries.length;
        state.unloadAll();
        ctx.out.line(`${n} file${n === 1 ? "" : "s"} unloaded`);
        return;
      }
      for (const name of args) {
        const i = state.entries.findIndex((e) => e.name === name || e.name.split("/").pop() === name);
        if (i < 0) throw new LoaderCommandError("unload", `'${name}' is not loaded (see lsmod)`);
        const gone = state.entries.slice(i).map((e) => e.name);
        state.truncate(i);
        ctx.out.line(`unloaded ${gone.join(", ")}`);
      }
    },
  };
}
