// `linux URL [CMDLINE]` and `initrd URL...`: GRUB's and iPXE's words for a
// Linux bzImage and its initrds.
import { protocolText, readSetupHeader } from "@pxe/kboot";
import { UsageError } from "../../errors.js";
import type { Command } from "../types.js";
import { LoaderCommandError, loaderStep } from "./errors.js";
import { checkKind, fetchOther, type OtherFile } from "./other-kernel.js";
import type { LoaderState } from "./state.js";

const LINUX_USAGE = "linux URL [CMDLINE ...]";
const INITRD_USAGE = "initrd URL [URL ...]";

/**
 * `linux URL [CMDLINE]`: downloads a Linux bzImage (not inflated), checks
 * its setup header and keeps it with the command line for `boot`; whatever
 * was loaded before (a FreeBSD kernel, another Linux or Multiboot kernel)
 * is forgotten.
 */
export function linuxCommand(state: LoaderState): Command {
  return {
    name: "linux",
    summary: "load a Linux kernel (bzImage) with its command line",
    usage: LINUX_USAGE,
    details: "Then 'initrd URL...' and 'boot'. URL: a full URL or a path under boot.base.",
    async run(args, ctx) {
      if (args.length === 0) throw new UsageError("linux", "which kernel?", LINUX_USAGE);
      const f = await fetchOther(state, ctx, "linux", "kernel", args[0], false);
      checkKind("linux", f.url, f.data, "linux");
      const version = loaderStep("linux", () => readSetupHeader(f.data, f.url).version);
      state.unloadAll();
      state.other = { kind: "linux", kernel: { url: f.url, data: f.data, args: args.slice(1).join(" ") }, extras: [] };
      ctx.out.line(`${f.url}: Linux bzImage, boot protocol ${protocolText(version)}, ${f.data.length} bytes`);
    },
  };
}

/** `initrd URL...`: downloads initrds (as they are, not inflated) for the loaded Linux kernel, replacing any given before. */
export function initrdCommand(state: LoaderState): Command {
  return {
    name: "initrd",
    summary: "load initrds for the Linux kernel (concatenated in order)",
    usage: INITRD_USAGE,
    async run(args, ctx) {
      if (args.length === 0) throw new UsageError("initrd", "which file?", INITRD_USAGE);
      const other = state.other;
      if (!other || other.kind !== "linux") throw new LoaderCommandError("initrd", "no Linux kernel is loaded: 'linux URL [CMDLINE]' first");
      const files: OtherFile[] = [];
      for (const ref of args) {
        const f = await fetchOther(state, ctx, "initrd", "initrd", ref, false);
        files.push({ url: f.url, data: f.data, args: "" });
      }
      other.extras.length = 0;
      other.extras.push(...files);
      const total = files.reduce((n, f) => n + f.data.length, 0);
      ctx.out.line(`${files.length} initrd${files.length === 1 ? "" : "s"}, ${total} bytes`);
    },
  };
}
