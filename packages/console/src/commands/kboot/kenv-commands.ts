import { UsageError } from "../../errors.js";
import { setCommand, unsetCommand } from "../../builtins/settings-commands.js";
import { showCommand } from "../../builtins/show.js";
import type { Command, CommandContext } from "../types.js";
import type { LoaderState } from "./state.js";

const SET_USAGE = "set [NAME=VALUE | NAME VALUE | NAME] ...";
/** Undeclared names that still are console settings (the network commands read them). */
const SETTING_ALIASES = ["http_proxy", "no_proxy"];

/** True when `name` is a console setting (declared, like http.proxy) rather than a kernel environment variable. */
export function isSetting(ctx: CommandContext, name: string): boolean {
  return ctx.settings.spec(name) !== undefined || SETTING_ALIASES.indexOf(name) >= 0;
}

/**
 * `set` with the loader's environment: names the console declares
 * (http.proxy, tcp.window, boot.base ...) stay settings; any other name is
 * a kenv variable the kernel gets (vfs.root.mountfrom, boot_verbose ...).
 * `set NAME` alone sets an empty value, as FreeBSD's does. Bare `set`
 * lists both.
 */
export function kenvSetCommand(state: LoaderState): Command {
  return {
    name: "set",
    summary: "set a console setting or a kernel environment variable (no arguments: list)",
    usage: SET_USAGE,
    details: "Console settings are listed by 'show settings'; everything else goes to the kernel's environment ('show kenv').",
    run(args, ctx) {
      if (args.length === 0) {
        setCommand.run([], ctx);
        ctx.out.line("kenv:");
        listKenv(state, ctx);
        return;
      }
      const pairs: Array<[string, string]> = [];
      if (args.length === 2 && args[0].indexOf("=") < 0) pairs.push([args[0], args[1]]);
      else {
        for (const a of args) {
          const eq = a.indexOf("=");
          if (eq === 0) throw new UsageError("set", `expected NAME=VALUE, got '${a}'`, SET_USAGE);
          pairs.push(eq < 0 ? [a, ""] : [a.slice(0, eq), a.slice(eq + 1)]);
        }
      }
      for (const [k, v] of pairs) {
        if (/[\s=]/.test(k) || k === "") throw new UsageError("set", `'${k}' is not a variable name`, SET_USAGE);
        if (isSetting(ctx, k)) ctx.settings.set(k, v);
        else state.conf.env.set(k, v);
      }
    },
  };
}

/** `unset NAME ...`: removes a setting or a kenv variable. */
export function kenvUnsetCommand(state: LoaderState): Command {
  return {
    name: "unset",
    summary: "remove a setting or a kernel environment variable",
    usage: "unset NAME ...",
    run(args, ctx) {
      if (args.length === 0) throw new UsageError("unset", "which name?", "unset NAME ...");
      for (const k of args) {
        if (isSetting(ctx, k) || ctx.settings.has(k)) unsetCommand.run([k], ctx);
        else if (!state.conf.env.delete(k)) throw new UsageError("unset", `'${k}' is not set`);
      }
    },
  };
}

/** `show [settings | SECTION | NAME]`: the built-in show, plus the value of one kenv variable. */
export function kenvShowCommand(state: LoaderState): Command {
  return {
    ...showCommand,
    usage: "show [settings | kenv | SECTION | NAME]",
    async run(args, ctx) {
      const name = args[0];
      if (args.length === 1 && name !== "settings" && !ctx.registry.facts().some((p) => p.name === name)) {
        const v = state.conf.get(name);
        if (v !== undefined) {
          ctx.out.line(`${name}=${v}`);
          return;
        }
      }
      await showCommand.run(args, ctx);
    },
  };
}

function listKenv(state: LoaderState, ctx: CommandContext): void {
  const entries = Array.from(state.conf.env.entries());
  if (entries.length === 0) ctx.out.line("  (none)");
  else ctx.out.pairs(entries);
}
