/**
 * Test helpers of @pxe/sockets ("@pxe/sockets/testing"): two Stacks joined
 * by an in-memory Ethernet on a shared virtual clock.
 */
import { ManualClock, seededPlatform } from "@pxe/core";
import type { InterfaceConfigInput } from "@pxe/ip";
import { MemoryLink } from "@pxe/ip/testing";
import { virtualHost } from "./driver.js";
import { Stack } from "./stack.js";

/** Two stacks on one in-memory link, one virtual clock, each driver polling the other stack while it idles. */
export interface StackPair {
  /** The shared clock. */
  clock: ManualClock;
  /** Stack A (10.0.0.1/24 by default). */
  a: Stack;
  /** Stack B (10.0.0.2/24 by default). */
  b: Stack;
  /** The link ends. */
  links: [MemoryLink, MemoryLink];
}

/** Builds a StackPair; configs default to 10.0.0.1/24 and 10.0.0.2/24. */
export function stackPair(opts: { seed?: number; a?: InterfaceConfigInput; b?: InterfaceConfigInput; mtu?: number } = {}): StackPair {
  const clock = new ManualClock(1000);
  const links = MemoryLink.pair(Uint8Array.of(2, 0, 0, 0, 0, 1), Uint8Array.of(2, 0, 0, 0, 0, 2), opts.mtu);
  const seed = opts.seed ?? 1;
  let a: Stack | undefined, b: Stack | undefined;
  a = new Stack({ link: links[0], platform: seededPlatform(seed, clock), config: opts.a ?? { address: "10.0.0.1", prefix: 24 }, driver: virtualHost(clock, { beforeIdle: (n) => void b?.poll(n) }) });
  b = new Stack({ link: links[1], platform: seededPlatform(seed + 1, clock), config: opts.b ?? { address: "10.0.0.2", prefix: 24 }, driver: virtualHost(clock, { beforeIdle: (n) => void a?.poll(n) }) });
  return { clock, a, b, links };
}
