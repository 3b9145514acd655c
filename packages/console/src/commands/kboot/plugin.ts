import type { ConsolePlugin } from "../registry.js";
import { bootConfCommand, treeRoot } from "./boot-conf.js";
import { bootCommand } from "./boot.js";
import { includeCommand } from "./include.js";
import { kenvSetCommand, kenvShowCommand, kenvUnsetCommand } from "./kenv-commands.js";
import { loadCommand } from "./load.js";
import { initrdCommand, linuxCommand } from "./linux.js";
import { moduleCommand, multibootCommand } from "./multiboot.js";
import { lsmodCommand } from "./lsmod.js";
import { BOOT_BASE, LoaderState, type KbootCommandsOptions } from "./state.js";
import { unloadCommand } from "./unload.js";

/** What {@link kbootCommands} hands back besides the plugin: the loader state once applied. */
export interface KbootPlugin extends ConsolePlugin {
  /** The loader state (kenv, loaded files), once the plugin was applied to a registry. */
  readonly state: () => LoaderState | undefined;
}

/**
 * The FreeBSD loader's commands as a console plugin (apply it after
 * `networkCommands`, whose HTTP client it uses): load, unload, lsmod,
 * include, boot, boot-conf, and set/unset/show extended with the kernel
 * environment; the `boot.base` setting (the directory holding boot/) and
 * a `kenv` section for `show`.
 */
export function kbootCommands(opts: KbootCommandsOptions): KbootPlugin {
  let state: LoaderState | undefined;
  const plugin = ((registry) => {
    registry.settings.define({ key: BOOT_BASE, summary: "URL of the directory holding a FreeBSD boot/ tree (paths in load, include, boot-conf resolve against it)", parse: (v) => (v.trim() === "" ? "" : treeRoot(v.trim())) });
    if (opts.base !== undefined && !registry.settings.get(BOOT_BASE)) registry.settings.set(BOOT_BASE, opts.base);
    const s = new LoaderState(opts, registry.settings);
    state = s;
    for (const make of [kenvSetCommand, kenvUnsetCommand, kenvShowCommand]) registry.add(make(s), { replace: true });
    for (const make of [loadCommand, unloadCommand, lsmodCommand, includeCommand, bootCommand, bootConfCommand, linuxCommand, initrdCommand, multibootCommand, moduleCommand]) registry.add(make(s));
    registry.addFacts({ name: "kenv", facts: () => Array.from(s.conf.env.entries()) });
  }) as ConsolePlugin & { state?: () => LoaderState | undefined };
  plugin.state = () => state;
  return plugin as KbootPlugin;
}
