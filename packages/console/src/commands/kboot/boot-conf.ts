import { parseUrl, resolveUrl, serializeUrl } from "@pxe/http";
import { readLoaderConf } from "@pxe/kboot";
import { UsageError } from "../../errors.js";
import type { Command } from "../types.js";
import { httpConfSource } from "./conf-source.js";
import { autobootDelay, countdown } from "./countdown.js";
import { bootNow, loadConfigured } from "./loader.js";
import { BOOT_BASE, type LoaderState } from "./state.js";

const USAGE = "boot-conf [URL]";

/**
 * `boot-conf [URL]`: what FreeBSD's loader does at start-up. URL (or
 * boot.base) is the directory holding a FreeBSD boot/ tree; its
 * loader.conf files are read in FreeBSD's order (defaults, device.hints,
 * loader.conf, loader.conf.local), the kernel and the modules they name
 * are loaded (with their dependencies), autoboot_delay is counted down
 * (any key stops it at the prompt, with everything loaded; "NO" stops
 * there without counting), then boot.
 */
export function bootConfCommand(state: LoaderState): Command {
  return {
    name: "boot-conf",
    summary: "read loader.conf from a FreeBSD boot/ tree, load, count down, boot",
    usage: USAGE,
    details: `URL: the directory that holds boot/ (sets ${BOOT_BASE}); without it ${BOOT_BASE} is used.`,
    async run(args, ctx) {
      if (args.length > 1) throw new UsageError("boot-conf", "one URL at most", USAGE);
      if (args.length === 1) ctx.settings.set(BOOT_BASE, treeRoot(args[0]));
      if (!state.base()) throw new UsageError("boot-conf", `no base URL: give one, or 'set ${BOOT_BASE}=http://SERVER/DIR/'`, USAGE);
      state.unloadAll();
      await readLoaderConf(httpConfSource(state, ctx, "boot-conf"), state.conf);
      await loadConfigured(state, ctx, "boot-conf");
      const kernel = state.entries[0].name;
      const delay = autobootDelay(state.conf.get("autoboot_delay"));
      if (delay === "no") {
        ctx.out.line("autoboot_delay=NO: not booting by itself; 'lsmod' lists what is loaded, 'boot' boots it");
        return;
      }
      if (!(await countdown(ctx, delay, kernel))) {
        ctx.out.line("autoboot stopped: 'lsmod' lists what is loaded, 'boot' boots it");
        return;
      }
      await bootNow(state, ctx, []);
    },
  };
}

/** The directory URL holding boot/: "http://s/freebsd", "http://s/freebsd/boot/" and "http://s/freebsd/boot/loader.conf" all give "http://s/freebsd/". */
export function treeRoot(text: string): string {
  const withScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text) ? text : `http://${text}`;
  let url = parseUrl(withScheme);
  const m = /^(.*\/)boot(\/.*)?$/.exec(url.path);
  if (m) url = resolveUrl(url, m[1]);
  else if (!/\/$/.test(url.path)) url = parseUrl(`${serializeUrl(url)}/`);
  return serializeUrl(url);
}
