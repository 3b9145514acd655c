import { moduleCandidates, kernelCandidates } from "@pxe/kboot";
import { UsageError } from "../../errors.js";
import type { Command } from "../types.js";
import { loadOne } from "./loader.js";
import type { LoaderState } from "./state.js";

const USAGE = "load [-t TYPE] [--sha256 HEX] FILE|URL [ARGS ...]";

/**
 * `load [-t TYPE] [--sha256 HEX] FILE|URL [ARGS]`: downloads a file with
 * the progress bar and loads it: the kernel when none is loaded, else a
 * kernel module (its MODULE_DEPEND modules follow from the same
 * directory), or with -t a raw file of that type (md_image, mfs_root ...).
 * A bare name is looked for as FreeBSD does (/boot/NAME/kernel for a
 * kernel, NAME.ko in module_path for a module); a path resolves against
 * boot.base; `.gz` files are inflated.
 */
export function loadCommand(state: LoaderState): Command {
  return {
    name: "load",
    summary: "load a kernel, module or file (-t TYPE) for boot",
    usage: USAGE,
    details: "FILE: a URL, a path under boot.base (/boot/kernel/kernel), or a bare name (cd9660).\nARGS go to the kernel or module as its arguments.",
    async run(args, ctx) {
      let type: string | undefined;
      let sha256: string | undefined;
      let i = 0;
      for (; i < args.length; i++) {
        const a = args[i];
        if (a === "-t" || a === "--sha256") {
          const v = args[++i];
          if (v === undefined) throw new UsageError("load", `${a} needs a value`, USAGE);
          if (a === "-t") type = v;
          else sha256 = v;
        } else if (a.charAt(0) === "-" && a.length > 1) throw new UsageError("load", `unknown option '${a}'`, USAGE);
        else break;
      }
      const file = args[i];
      if (file === undefined) throw new UsageError("load", "which file?", USAGE);
      const rest = args.slice(i + 1).join(" ");
      const refs = candidates(state, file, type);
      const entry = await loadOne(state, ctx, "load", {
        refs,
        what: type ?? (state.fb.hasKernel ? "module" : "kernel"),
        ...(type !== undefined ? { type } : {}),
        ...(rest !== "" ? { args: rest } : {}),
        ...(sha256 !== undefined ? { sha256 } : {}),
      });
      const listed = state.fb.modules().find((m) => m.name === entry.name);
      ctx.out.line(`${entry.name} loaded as ${listed?.type ?? type ?? entry.kind} (${entry.data.length} bytes)`);
    },
  };
}

/** Where `load FILE` looks: a URL or path as given (and .gz), a bare name the FreeBSD way. */
function candidates(state: LoaderState, file: string, type: string | undefined): string[] {
  if (file.indexOf("/") >= 0 || !state.base()) return /\.gz$/.test(file) ? [file] : [file, `${file}.gz`];
  if (type === undefined && !state.fb.hasKernel) return kernelCandidates(state.conf, file).map((c) => c.path);
  return moduleCandidates(file, state.conf.get("module_path"), type !== undefined).map((c) => c.path);
}
