// `multiboot URL [CMDLINE]` and `module URL [CMDLINE]`: GRUB's words for a
// Multiboot kernel and its modules. As GRUB does, the kernel's and each
// module's string is the file name followed by the arguments, and gzip
// files are inflated.
import { readMultibootHeader } from "@pxe/kboot";
import { UsageError } from "../../errors.js";
import type { Command } from "../types.js";
import { LoaderCommandError, loaderStep } from "./errors.js";
import { checkKind, fetchOther } from "./other-kernel.js";
import type { LoaderState } from "./state.js";

const MULTIBOOT_USAGE = "multiboot URL [CMDLINE ...]";
const MODULE_USAGE = "module URL [CMDLINE ...]";

/** `multiboot URL [CMDLINE]`: downloads a Multiboot kernel, checks its header and keeps it for `boot`; what was loaded before is forgotten. */
export function multibootCommand(state: LoaderState): Command {
  return {
    name: "multiboot",
    summary: "load a Multiboot kernel with its command line",
    usage: MULTIBOOT_USAGE,
    details: "Then 'module URL [CMDLINE]' for each module and 'boot'.",
    async run(args, ctx) {
      if (args.length === 0) throw new UsageError("multiboot", "which kernel?", MULTIBOOT_USAGE);
      const f = await fetchOther(state, ctx, "multiboot", "kernel", args[0], true);
      checkKind("multiboot", f.url, f.data, "multiboot");
      const flags = loaderStep("multiboot", () => readMultibootHeader(f.data, f.url).flags);
      state.unloadAll();
      state.other = { kind: "multiboot", kernel: { url: f.url, data: f.data, args: args.join(" ") }, extras: [] };
      ctx.out.line(`${f.url}: Multiboot kernel (header flags 0x${flags.toString(16)}), ${f.data.length} bytes`);
    },
  };
}

/** `module URL [CMDLINE]`: downloads a module for the loaded Multiboot kernel (added after the others). */
export function moduleCommand(state: LoaderState): Command {
  return {
    name: "module",
    summary: "load a module for the Multiboot kernel",
    usage: MODULE_USAGE,
    async run(args, ctx) {
      if (args.length === 0) throw new UsageError("module", "which file?", MODULE_USAGE);
      const other = state.other;
      if (!other || other.kind !== "multiboot") throw new LoaderCommandError("module", "no Multiboot kernel is loaded: 'multiboot URL [CMDLINE]' first");
      const f = await fetchOther(state, ctx, "module", "module", args[0], true);
      other.extras.push({ url: f.url, data: f.data, args: args.join(" ") });
      ctx.out.line(`module ${other.extras.length}: ${f.url}, ${f.data.length} bytes`);
    },
  };
}
