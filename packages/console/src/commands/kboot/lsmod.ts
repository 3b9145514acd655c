import { UsageError } from "../../errors.js";
import type { Command } from "../types.js";
import type { LoaderState } from "./state.js";
import { otherRows } from "./other-kernel.js";

/** `lsmod`: what the kernel will get: address, size, name, type and arguments of each loaded file. */
export function lsmodCommand(state: LoaderState): Command {
  return {
    name: "lsmod",
    summary: "list the loaded kernel, modules and files",
    usage: "lsmod",
    details: "Addresses are where the files go when memory after the kernel has no holes; boot may move modules past reserved ranges.",
    run(args, ctx) {
      if (args.length > 0) throw new UsageError("lsmod", "no arguments", "lsmod");
      if (state.other) {
        ctx.out.table([["TYPE", "SIZE", "URL", "ARGS"], ...otherRows(state.other)]);
        return;
      }
      const mods = state.fb.modules();
      if (mods.length === 0) {
        ctx.out.line("nothing loaded");
        return;
      }
      const rows = [["ADDRESS", "SIZE", "NAME", "TYPE", "ARGS"]];
      for (const m of mods) rows.push([`0x${m.addr.toString(16).padStart(8, "0")}`, String(m.size), m.name, m.type, m.args ?? ""]);
      ctx.out.table(rows);
      for (const e of state.entries) ctx.out.line(`  ${e.name} <- ${e.url}`);
    },
  };
}
