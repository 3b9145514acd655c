import { UsageError } from "../errors.js";
import type { Command, StatsProvider } from "../commands/types.js";

/** A provider's counters as [name, value] pairs, in its own order, nested names dotted. */
export function counterList(p: StatsProvider): Array<[string, number]> {
  const c = p.counters();
  if (Array.isArray(c)) return c.map(([k, v]) => [k, v] as [string, number]);
  const out: Array<[string, number]> = [];
  flatten(c as Record<string, unknown>, "", out, 0);
  return out;
}

function flatten(tree: Record<string, unknown>, prefix: string, out: Array<[string, number]>, depth: number): void {
  for (const k of Object.keys(tree)) {
    const v = tree[k];
    const name = prefix + k;
    if (typeof v === "number") out.push([name, v]);
    else if (typeof v === "bigint") out.push([name, Number(v)]);
    else if (v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array) && depth < 8) {
      flatten(v as Record<string, unknown>, `${name}.`, out, depth + 1);
    }
  }
}

/** `stats [SECTION]` prints the counters of every stats provider. */
export const statsCommand: Command = {
  name: "stats",
  summary: "show link and protocol counters",
  usage: "stats [SECTION]",
  run(args, ctx) {
    const providers = ctx.registry.stats();
    if (args.length > 1) throw new UsageError("stats", "too many arguments", "stats [SECTION]");
    const want = args[0];
    if (want !== undefined && !providers.some((p) => p.name === want)) {
      const names = providers.map((p) => p.name).join(", ") || "none";
      throw new UsageError("stats", `no section '${want}' (sections: ${names})`);
    }
    if (providers.length === 0) {
      ctx.out.line("no counters registered");
      return;
    }
    for (const p of providers) {
      if (want !== undefined && p.name !== want) continue;
      ctx.out.line(`${p.name}:`);
      const list = counterList(p);
      if (list.length === 0) ctx.out.line("  (none)");
      else ctx.out.table(list.map(([k, v]) => [k, String(v)]), { align: ["left", "right"] });
    }
  },
};
