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
import { installTcp, type TcpConfig } from "@pxe/tcp";
import type { LinkDriver } from "@pxe/undi";
import { BackoffLink } from "./backoff-link.js";

/**
 * Frames per stack poll. QEMU's user-mode net (slirp) keeps 12 to 13
 * segments in flight (it takes no window scaling, and its send buffer is
 * small), so a budget above that lets one poll take a whole flight: TCP
 * acknowledges, and the stack runs, once per flight instead of twice (6
 * frames per poll gave 3.2 MB/s, 16 gives 4.5 to 4.8 in tools/bench/preboot.ts).
 * The burst that answers the ACK can overrun iPXE's 8-buffer receive ring;
 * the lost segment comes back by fast retransmit, because TCP sends one
 * duplicate ACK per segment's worth of out-of-order data even when the
 * native receive loop merged those segments into one.
 */
export const DEFAULT_POLL_BUDGET = 16;

/** Options of {@link startNetwork}. */
export interface NbpNetworkOptions {
  /** BackoffLink quiet time after an empty poll, ms (0: no BackoffLink; default 1). */
  readonly backoffMs?: number;
  /** Frames per stack poll (default DEFAULT_POLL_BUDGET). */
  readonly pollBudget?: number;
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
  // `set tcp.window=...` writes recvBufferSize into this object.
  const tcpConfig: Partial<TcpConfig> = { recvBufferSize: 1 << 20, ackDelayMs: 1 };
  const tcp = installTcp(stack, { config: tcpConfig });
  const transport = new StackTransport(stack, { tcp, config: tcpConfig });
  const resolver = new StackResolver(stack);
  const plugin = networkCommands({
    stack,
    resolver,
    http: { transport, timers: transport.timers },
    tcpConfig,
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
