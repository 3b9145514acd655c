import type { StatsProvider } from "../types.js";
import type { NetState } from "./state.js";

/** The layers of stack.stats() shown by `stats`, in order (IpStats.link is every received frame's fate). */
const LAYERS: ReadonlyArray<readonly [section: string, key: string]> = [
  ["ethernet", "link"],
  ["arp", "arp"],
  ["ipv4", "ipv4"],
  ["icmp", "icmp"],
  ["reassembly", "reassembly"],
  ["udp", "udp"],
  ["tcp", "tcp"],
];

/**
 * Stats providers for the builtin `stats`: one section per layer of
 * `stack.stats()` — received, delivered, sent, dropped.REASON,
 * sendFailed.REASON (reasons appear once counted). `stats ipv4` shows one.
 */
export function stackStatsProviders(state: NetState): StatsProvider[] {
  return LAYERS.map(([section, key]) => ({
    name: section,
    counters: () => {
      const s = (state.stack.stats() as unknown as Record<string, unknown>)[key];
      return s !== null && typeof s === "object" ? (s as Record<string, number>) : {};
    },
  }));
}
