/**
 * Test helpers of @pxe/sockets ("@pxe/sockets/testing"): two Stacks joined
 * by an in-memory Ethernet on a shared virtual clock.
 */
import { ManualClock, PxeError, seededPlatform } from "@pxe/core";
import type { InterfaceConfigInput, Ipv4Address } from "@pxe/ip";
import { MemoryLink } from "@pxe/ip/testing";
import { ImpairedLink, type Impairments, type LinkDriver } from "@pxe/undi";
import { virtualHost } from "./driver.js";
import { Stack } from "./stack.js";
import type { Datagram } from "./types.js";
import type { UdpSocket } from "./udp-socket.js";

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
  /** Called with the time whenever A's driver idles (after B was polled): run scripted servers here. */
  hooks: ((now: number) => void)[];
}

/** Options of {@link stackPair}. */
export interface StackPairOptions {
  /** Seed of platforms and impairments (default 1). */
  seed?: number;
  /** A's config (default 10.0.0.1/24); `null` leaves A unconfigured, e.g. for a DHCP client. */
  a?: InterfaceConfigInput | null;
  /** B's config (default 10.0.0.2/24). */
  b?: InterfaceConfigInput;
  /** Link MTU. */
  mtu?: number;
  /** Probability that a transmitted frame is lost on the wire, each direction (seeded; default 0). */
  loss?: number;
  /** Every impairment of @pxe/undi's ImpairedLink, each direction (seeded; overrides `loss`). */
  impair?: Impairments;
  /** A's virtual-time step while it waits (default: the driver's). */
  stepMs?: number;
  /** A's MAC (default 02:00:00:00:00:01). */
  macA?: Uint8Array;
}

/** Builds a StackPair; configs default to 10.0.0.1/24 and 10.0.0.2/24. */
export function stackPair(opts: StackPairOptions = {}): StackPair {
  const clock = new ManualClock(1000);
  const links = MemoryLink.pair(opts.macA ?? Uint8Array.of(2, 0, 0, 0, 0, 1), Uint8Array.of(2, 0, 0, 0, 0, 2), opts.mtu);
  const seed = opts.seed ?? 1;
  const tx = opts.impair ?? (opts.loss ? { loss: opts.loss } : null);
  const wire = (link: LinkDriver, n: number): LinkDriver => (tx ? new ImpairedLink(link, { seed: seed * 3 + n, tx }) : link);
  const hooks: ((now: number) => void)[] = [];
  let a: Stack | undefined, b: Stack | undefined;
  const aConfig = opts.a === null ? undefined : (opts.a ?? { address: "10.0.0.1", prefix: 24 });
  a = new Stack({
    link: wire(links[0], 1), platform: seededPlatform(seed, clock), config: aConfig,
    driver: virtualHost(clock, { stepMs: opts.stepMs, beforeIdle: (n) => { b?.poll(n); for (const h of hooks) h(n); } }),
  });
  b = new Stack({ link: wire(links[1], 2), platform: seededPlatform(seed + 1, clock), config: opts.b ?? { address: "10.0.0.2", prefix: 24 }, driver: virtualHost(clock, { beforeIdle: (n) => void a?.poll(n) }) });
  return { clock, a, b, links, hooks };
}

/** A reply from a scripted server: payload and destination. */
export interface ScriptedReply {
  data: Uint8Array;
  to: { address: Ipv4Address | string; port: number };
}

/**
 * Runs a scripted UDP server on stack B's `port`: whenever A idles, B is
 * polled and each received datagram is passed to `handle`, whose replies
 * are sent. ICMP/ARP error reports queued on the server socket (a client
 * that went away) are skipped, as a real server would.
 */
export function serveUdp(pair: StackPair, port: number, handle: (d: Datagram) => ScriptedReply[]): UdpSocket {
  const sock = pair.b.udpSocket({ port });
  pair.hooks.push(() => {
    pair.b.poll(pair.clock.time);
    for (;;) {
      let d: Datagram | undefined;
      try {
        d = sock.tryRecvFrom();
      } catch (e) {
        if (e instanceof PxeError) continue;
        throw e;
      }
      if (!d) break;
      for (const r of handle(d)) sock.sendTo(r.data, r.to);
    }
  });
  return sock;
}
