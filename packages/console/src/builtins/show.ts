import { UsageError } from "../errors.js";
import type { Command, Fact } from "../commands/types.js";
import { printSettings } from "./settings-commands.js";

/** Turns a fact value into display text. */
export function factText(v: Fact[1]): string {
  return typeof v === "string" ? v : String(v);
}

/** `show [SECTION]` prints the settings and every facts provider's section. */
export const showCommand: Command = {
  name: "show",
  summary: "show settings and system facts",
  usage: "show [settings | SECTION]",
  async run(args, ctx) {
    const providers = ctx.registry.facts();
    if (args.length > 1) throw new UsageError("show", "too many arguments", "show [settings | SECTION]");
    const want = args[0];
    if (want !== undefined && want !== "settings" && !providers.some((p) => p.name === want)) {
      const names = ["settings", ...providers.map((p) => p.name)].join(", ");
      throw new UsageError("show", `no section '${want}' (sections: ${names})`);
    }
    if (want === undefined || want === "settings") {
      ctx.out.line("settings:");
      printSettings(ctx);
    }
    for (const p of providers) {
      if (want !== undefined && p.name !== want) continue;
      ctx.out.line(`${p.name}:`);
      let facts: readonly Fact[];
      try {
        facts = await p.facts();
      } catch (e) {
        ctx.out.line(`  (unavailable: ${e instanceof Error ? e.message : String(e)})`);
        continue;
      }
      if (facts.length === 0) ctx.out.line("  (none)");
      else ctx.out.pairs(facts.map(([k, v]) => [k, factText(v)]));
    }
  },
};
