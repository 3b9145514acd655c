import { acquireLease } from "@pxe/dhcp";
import { StackResolver } from "@pxe/dns";
import { StackTransport } from "@pxe/http";
import { Stack } from "@pxe/sockets";
import { nodeHost } from "@pxe/sockets/node";
import { installTcp } from "@pxe/tcp";
import type { LinkDriver } from "@pxe/undi";
import { networkCommands } from "../commands/net/plugin.js";
import { kbootCommands } from "../commands/kboot/plugin.js";
import { printLease } from "../commands/net/dhcp.js";
import { NET_DEFAULTS, NET_SETTINGS } from "../commands/net/settings.js";
import { textOutput } from "../commands/output.js";
import type { CliSetup } from "./setup-types.js";

/** Options of {@link networkSetup}. */
export interface NetworkSetupOptions {
  /** Environment read for http_proxy/no_proxy (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Give up the start-up DHCP (--dhcp) after this long, ms (default 30 000). */
  readonly dhcpTimeoutMs?: number;
}

/**
 * The CLI's full stack over the opened link: a @pxe/sockets Stack (Node
 * timers, woken by the TAP's readable events), TCP (receive window from
 * `tcp.window`), the DNS resolver, HTTP over our TCP (StackTransport), and
 * the network commands. Applies --ip/--gw, --dns, --proxy, and runs DHCP at
 * start-up with --dhcp (a failure is printed; the console still starts).
 */
export function networkSetup(o: NetworkSetupOptions = {}): CliSetup {
  return async ({ link, registry, platform, args }) => {
    if (!link) return undefined;
    const write = (t: string): void => platform.write(t);
    const net = args.net;
    const l = link as unknown as LinkDriver;
    const driver = nodeHost({ now: () => platform.now(), wake: link.onReadable ? (fn) => link.onReadable!(fn) : undefined });
    let config: { address: string; prefix: number; gateway?: string } | undefined;
    if (net.ip) {
      const [address, prefix] = net.ip.split("/");
      config = { address, prefix: Number(prefix), gateway: net.gw };
    }
    const stack = new Stack({ link: l, platform, driver, config });
    const tcpConfig: { recvBufferSize?: number } = { recvBufferSize: NET_DEFAULTS.tcpWindow };
    const tcp = installTcp(stack, { config: tcpConfig });
    const resolver = new StackResolver(stack);
    const transport = new StackTransport(stack, { tcp, config: tcpConfig });
    const network = networkCommands({ stack, resolver, http: { transport, timers: transport.timers }, tcpConfig, env: o.env ?? process.env });
    // The loader commands too: load, lsmod, boot-conf work; boot says Node cannot start a kernel.
    registry.use(network).use(kbootCommands({ network }));
    if (net.dns.length) registry.settings.set(NET_SETTINGS.dnsServers, net.dns.join(","));
    if (net.proxy !== undefined) registry.settings.set(NET_SETTINGS.proxy, net.proxy);
    if (config) stack.ip.announce();
    if (net.dhcp) {
      write(`DHCP on ${link.info.name} ...\n`);
      try {
        const lease = await acquireLease(stack, { totalTimeoutMs: o.dhcpTimeoutMs ?? 30_000 });
        if (net.dns.length) registry.settings.set(NET_SETTINGS.dnsServers, net.dns.join(","));
        printLease(lease, textOutput(write, "\n"));
      } catch (e) {
        write(`pxe: DHCP failed: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
    return {
      poll: (now: number) => void stack.poll(now),
      close: () => resolver.close(),
    };
  };
}
