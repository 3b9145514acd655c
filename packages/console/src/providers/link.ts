import { toHex } from "@pxe/core";
import type { LinkLike } from "./link-like.js";
import type { ConsolePlugin } from "../commands/registry.js";

/**
 * Registers a link driver's facts (`show link`: driver, MAC, MTU) and
 * counters (`stats link`: LinkStatistics) under `name` (default "link").
 * Works for any @pxe/undi backend: TAP, real-mode UNDI, simulated.
 */
export function linkProviders(link: LinkLike, name = "link"): ConsolePlugin {
  return (registry) => {
    registry.addFacts({
      name,
      facts: () => [
        ["driver", link.info.name],
        ["mac", toHex(link.info.mac, ":")],
        ["mtu", link.info.mtu],
      ],
    });
    registry.addStats({
      name,
      counters: () => {
        const s = link.statistics();
        return {
          xmitGoodFrames: s.xmitGoodFrames,
          rcvGoodFrames: s.rcvGoodFrames,
          rcvCrcErrors: s.rcvCrcErrors,
          rcvResourceErrors: s.rcvResourceErrors,
          dropped: s.dropped,
        };
      },
    });
  };
}
