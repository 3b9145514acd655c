import type { Command } from "../types.js";
import { ageText, ipText, macText } from "./format.js";
import type { NetState } from "./state.js";

/**
 * `arp`: the ARP cache — address, MAC, state (reachable/pending), age
 * (since learned or last refreshed) and time to expiry; for pending entries
 * the requests sent and packets queued.
 */
export function arpCommand(state: NetState): Command {
  return {
    name: "arp",
    summary: "show the ARP cache",
    usage: "arp",
    run(_args, ctx) {
      const now = state.stack.now();
      const ttl = state.stack.ip.arp.opts.entryTtlMs;
      const rows = state.stack.arpEntries();
      if (rows.length === 0) {
        ctx.out.line("ARP cache is empty");
        return;
      }
      ctx.out.table(
        rows.map((e) => [
          ipText(e.address),
          macText(e.mac),
          e.state,
          e.state === "reachable" ? ageText(ttl - (e.deadline - now)) : "-",
          e.state === "reachable" ? `in ${ageText(e.deadline - now)}` : `${e.tries} request${e.tries === 1 ? "" : "s"} sent, ${e.queued} queued`,
        ]),
        { header: ["address", "mac", "state", "age", "expires"] },
      );
    },
  };
}
