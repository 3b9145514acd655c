import { UsageError } from "../errors.js";
import type { Command, CommandContext } from "../commands/types.js";

const SET_USAGE = "set [KEY=VALUE | KEY VALUE] ...";

/**
 * Prints every setting as aligned "key: value" lines (or "(none)"): the
 * declared ones too while unset ("(not set)"), and "(default X)" beside a
 * value that differs from its default.
 */
export function printSettings(ctx: CommandContext): void {
  const values = new Map<string, string>(ctx.settings.entries());
  const keys = new Set<string>(values.keys());
  for (const spec of ctx.settings.declared()) keys.add(spec.key);
  if (keys.size === 0) {
    ctx.out.line("  (none)");
    return;
  }
  const rows: Array<[string, string]> = [];
  for (const key of Array.from(keys).sort()) {
    const value = values.get(key);
    const def = ctx.settings.spec(key)?.default;
    if (value === undefined) rows.push([key, def === undefined ? "(not set)" : `(not set; default ${def})`]);
    else rows.push([key, def !== undefined && value !== def ? `${value} (default ${def})` : value]);
  }
  ctx.out.pairs(rows);
}

/** `set KEY=VALUE ...` (or `set KEY VALUE`) changes settings; bare `set` lists them. */
export const setCommand: Command = {
  name: "set",
  summary: "change a setting (no arguments: list settings)",
  usage: SET_USAGE,
  details: "Values with spaces need quotes: set http.proxy=\"10.0.2.2:3128\".\n'unset KEY' removes a setting.",
  run(args, ctx) {
    if (args.length === 0) {
      ctx.out.line("settings:");
      printSettings(ctx);
      return;
    }
    if (args.length === 2 && args[0].indexOf("=") < 0) {
      ctx.settings.set(args[0], args[1]);
      return;
    }
    const pairs: Array<[string, string]> = [];
    for (const a of args) {
      const eq = a.indexOf("=");
      if (eq <= 0) throw new UsageError("set", `expected KEY=VALUE, got '${a}'`, SET_USAGE);
      pairs.push([a.slice(0, eq), a.slice(eq + 1)]);
    }
    for (const [k, v] of pairs) ctx.settings.set(k, v);
  },
};

/** `unset KEY ...` removes settings. */
export const unsetCommand: Command = {
  name: "unset",
  summary: "remove a setting",
  usage: "unset KEY ...",
  run(args, ctx) {
    if (args.length === 0) throw new UsageError("unset", "which setting?", "unset KEY ...");
    for (const k of args) if (!ctx.settings.unset(k)) throw new UsageError("unset", `'${k}' is not set`);
  },
};
