import { UsageError } from "../errors.js";
import type { Command, MemoryRegion } from "../commands/types.js";
import { formatBytes } from "../progress/format.js";
import { factText } from "./show.js";

const E820: { readonly [t: number]: string } = {
  1: "usable",
  2: "reserved",
  3: "ACPI reclaimable",
  4: "ACPI NVS",
  5: "bad",
  7: "persistent",
  12: "persistent (legacy)",
};

/** The name of an E820 range type ("usable", "reserved", ...), or "type N". */
export function e820TypeName(type: number | string): string {
  if (typeof type === "string") return type;
  return E820[type] ?? `type ${type}`;
}

/** Address as 16 hex digits (exact up to 2^53). */
export function hex64(n: number): string {
  return "0x" + Math.floor(n).toString(16).padStart(16, "0");
}

/** Rows of a memory map table: base, end (inclusive), size, type. */
export function memoryRows(regions: readonly MemoryRegion[]): string[][] {
  return regions.map((r) => [hex64(r.base), hex64(r.base + r.length - 1), formatBytes(r.length), e820TypeName(r.type)]);
}

/** `mem` prints the memory map and figures every memory provider reports. */
export const memCommand: Command = {
  name: "mem",
  summary: "show the memory map",
  usage: "mem",
  async run(args, ctx) {
    if (args.length > 0) throw new UsageError("mem", "takes no arguments", "mem");
    const providers = ctx.registry.memory();
    if (providers.length === 0) {
      ctx.out.line("no memory information on this host");
      return;
    }
    for (const p of providers) {
      const rep = await p.memory();
      ctx.out.line(`${p.name}:`);
      if (rep.regions && rep.regions.length > 0) {
        const sorted = rep.regions.slice().sort((a, b) => a.base - b.base);
        ctx.out.table(memoryRows(sorted), { header: ["start", "end", "size", "type"], align: ["left", "left", "right", "left"] });
        let usable = 0;
        let n = 0;
        for (const r of sorted) {
          if (r.type === 1 || r.type === "usable") {
            usable += r.length;
            n++;
          }
        }
        ctx.out.line(`  usable: ${formatBytes(usable)} in ${n} range${n === 1 ? "" : "s"}`);
      }
      if (rep.facts && rep.facts.length > 0) {
        ctx.out.pairs(rep.facts.map(([k, v]) => [k, typeof v === "number" ? formatBytes(v) : factText(v)]));
      }
    }
  },
};
