/**
 * The network stack inside pxehttp.0: a @pxe/sockets Stack over the UNDI
 * link the boot report opened, configured from PXE's cached DHCP ACK
 * (no new DHCP exchange), with TCP, DNS and HTTP, and the console's network
 * commands as a plugin.
 */
import type { Platform } from "@pxe/core";
import { networkCommands, type NetworkPlugin } from "@pxe/console";
import { startFromCachedReply, type DhcpLease } from "@pxe/dhcp";
import { StackResolver } from "@pxe/dns";
import { StackTransport } from "@pxe/http";
import { Stack } from "@pxe/sockets";
import { DEFAULT_TCP_CONFIG, installTcp, type TcpConfig } from "@pxe/tcp";
import type { LinkDriver } from "@pxe/undi";
import { BackoffLink } from "./backoff-link.js";

/**
 * Frames per stack poll: at least one whole flight (see
 * DEFAULT_WINDOW_CLAMP_SEGMENTS), so that TCP acknowledges, and the stack
 * and `fetch` run, once per flight rather than twice (6 frames per poll
 * gave 3.2 MB/s in tools/bench/preboot.ts, 16 gave 4.5 to 4.8).
 */
export const DEFAULT_POLL_BUDGET = 16;

/**
 * TCP window clamp, in segments of our MSS (1460 bytes). The sender's burst after
 * each ACK is as large as the window it was given. Under iPXE, QEMU's e1000
 * holds 16 frames of one burst: 8 in the receive ring iPXE keeps filled,
 * and 8 more that QEMU queues and delivers when the next UNDI ISR call
 * refills the ring; what is queued beyond that is dropped (iPXE counts a
 * receive overrun). Without a clamp QEMU's user-mode net (slirp) grew its
 * congestion window past 16 segments, lost a segment about every 80 ACKs
 * and settled at 12 to 13 segments per flight; clamped to 16 it loses
 * none and every flight is 16 segments (16 MiB in 3.3 s instead of 3.8 s).
 */
export const DEFAULT_WINDOW_CLAMP_SEGMENTS = 16;

/** Options of {@link startNetwork}. */
export interface NbpNetworkOptions {
  /** BackoffLink quiet time after an empty poll, ms (0: no BackoffLink; default 1). */
  readonly backoffMs?: number;
  /** Frames per stack poll (default DEFAULT_POLL_BUDGET). */
  readonly pollBudget?: number;
  /** Largest TCP window advertised, bytes (0: none; default DEFAULT_WINDOW_CLAMP_SEGMENTS segments of our MSS; `set tcp.window_clamp` overrides). */
  readonly windowClamp?: number;
  /** Bytes the engine can still allocate, for fetch's out-of-memory error (see NetworkCommandsOptions.freeMemory). */
  readonly freeMemory?: () => number | undefined;
}

/** What {@link startNetwork} built. */
export interface NbpNetwork {
  /** The stack (Ethernet/ARP/IPv4/ICMP/UDP/TCP) over the UNDI link. */
  readonly stack: Stack;
  /** The lease taken from the cached DHCP ACK, when there was one. */
  readonly lease?: DhcpLease;
  /** Why the cached ACK could not be used (the stack then has no address until `dhcp`/`ifconfig`). */
  readonly leaseError?: string;
  /** The console plugin: ifconfig, route, arp, dhcp, ping, nslookup, fetch, ls, cat, stat. */
  readonly plugin: NetworkPlugin;
}

/**
 * Builds the stack over `link` (already open; wrapped in a BackoffLink
 * unless `backoffMs` is 0), configures it from the raw
 * cached DHCP ACK `cachedAck` (when given), and installs TCP, the DNS
 * resolver and the HTTP transport.
 */
export function startNetwork(link: LinkDriver, platform: Platform, cachedAck: Uint8Array | undefined, options: NbpNetworkOptions = {}): NbpNetwork {
  const stack = new Stack({
    link: options.backoffMs === 0 ? link : new BackoffLink(link, { backoffMs: options.backoffMs }),
    platform,
    pollBudget: options.pollBudget ?? DEFAULT_POLL_BUDGET,
  });
  let lease: DhcpLease | undefined;
  let leaseError: string | undefined;
  if (cachedAck) {
    try {
      lease = startFromCachedReply(stack, cachedAck);
    } catch (e) {
      leaseError = e instanceof Error ? e.message : String(e);
    }
  } else leaseError = "no cached DHCP ACK";
  // `set tcp.window=...` and `set tcp.window_clamp=...` write into this object.
  const tcpConfig: Partial<TcpConfig> = { recvBufferSize: 1 << 20, ackDelayMs: 1, windowClamp: options.windowClamp ?? DEFAULT_WINDOW_CLAMP_SEGMENTS * DEFAULT_TCP_CONFIG.mss };
  const tcp = installTcp(stack, { config: tcpConfig });
  const transport = new StackTransport(stack, { tcp, config: tcpConfig });
  const resolver = new StackResolver(stack);
  const plugin = networkCommands({
    stack,
    resolver,
    http: { transport, timers: transport.timers },
    tcpConfig,
    freeMemory: options.freeMemory,
  });
  const withDnsStats = ((registry) => {
    plugin(registry);
    // Answers the resolver ignored, by reason (a wrong id, an unasked-for sender, ...).
    registry.addStats({ name: "dns", counters: () => {
      const out: Record<string, number> = {};
      for (const k of Object.keys(resolver.machine.ignored) as Array<keyof typeof resolver.machine.ignored>) out[`ignored.${k}`] = resolver.machine.ignored[k];
      return out;
    } });
  }) as NetworkPlugin;
  (withDnsStats as { state: NetworkPlugin["state"] }).state = plugin.state;
  return { stack, lease, leaseError, plugin: withDnsStats };
}
