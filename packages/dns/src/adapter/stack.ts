import { PxeError } from "@pxe/core";
import type { Stack, UdpSocket } from "@pxe/sockets";
import { DnsResolver, type AddressType, type DnsAnswer, type DnsResult } from "../machine/resolver.js";
import type { ResolverConfig } from "../machine/config.js";
import { formatIpv4, parseIpv4 } from "../wire/address.js";
import { RecordType } from "../wire/constants.js";

/** The parts of a @pxe/sockets Stack the resolver adapter uses. */
export type DnsStack = Pick<Stack, "udpSocket" | "waitFor" | "now" | "platform" | "config">;

/** Options of {@link StackResolver}; servers and search domain default to the stack's DHCP configuration. */
export interface StackResolverOptions extends Omit<ResolverConfig, "random" | "servers"> {
  /** Servers (default: the stack's `config.dns`, read at each lookup while not given). */
  readonly servers?: readonly (string | number)[];
}

/**
 * The Promise API of the resolver over a @pxe/sockets Stack. Each query
 * goes out from its own UDP socket bound to the random source port the
 * machine chose (closed as soon as the query is answered or abandoned);
 * the stack is polled through `stack.waitFor` until the lookup completes.
 * Several lookups may run at once on one StackResolver.
 */
export class StackResolver {
  /** The sans-IO machine (for its cache and counters). */
  readonly machine: DnsResolver;
  private readonly sockets = new Map<number, UdpSocket>();
  private readonly fixedServers: boolean;
  private configKey = "";

  /** Creates a resolver over `stack`. */
  constructor(private readonly stack: DnsStack, opts: StackResolverOptions = {}) {
    this.fixedServers = opts.servers !== undefined;
    const domain = stack.config.domain;
    this.machine = new DnsResolver({
      ...opts,
      servers: opts.servers ?? stack.config.dns,
      searchDomains: opts.searchDomains ?? (domain ? [domain] : []),
      random: stack.platform,
    });
  }

  /** Resolves `name` to A (default) or AAAA records; rejects with the typed DNS errors. */
  async lookup(name: string, type: AddressType = RecordType.A): Promise<DnsAnswer> {
    if (!this.fixedServers) {
      const { dns, domain } = this.stack.config;
      const key = `${dns.join(",")}/${domain ?? ""}`;
      if (key !== this.configKey) {
        this.configKey = key;
        this.machine.configure(dns, domain ? [domain] : undefined);
      }
    }
    let result: DnsResult | undefined;
    this.machine.lookup(this.stack.now(), name, type, (r) => (result = r));
    while (!result) {
      this.pump();
      if (result) break;
      const at = this.machine.pollAt();
      await this.stack.waitFor(() => result !== undefined || this.readable(), at === Infinity ? undefined : at);
      this.drain();
    }
    this.reap();
    if (!result.ok) throw result.error;
    return result.answer;
  }

  /** Resolves `name` to one IPv4 address as a u32 (what @pxe/sockets takes). */
  async resolve4(name: string): Promise<number> {
    const a = await this.lookup(name, RecordType.A);
    const b = parseIpv4(a.addresses[0])!;
    return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  }

  /** Closes every socket still open. */
  close(): void {
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
  }

  private pump(): void {
    for (const t of this.machine.poll(this.stack.now())) {
      const addr = parseIpv4(t.server);
      if (!addr) continue; // an IPv6 server cannot be reached over this IPv4 stack: the try times out
      let sock = this.sockets.get(t.srcPort);
      try {
        if (!sock) {
          sock = this.stack.udpSocket({ port: t.srcPort });
          this.sockets.set(t.srcPort, sock);
        }
        sock.sendTo(t.payload, { address: formatIpv4(addr), port: t.port });
      } catch (e) {
        // Port in use, no route, ...: this try times out and the machine moves on.
        if (!(e instanceof PxeError) && !(e instanceof RangeError)) throw e;
      }
    }
    this.reap();
  }

  private readable(): boolean {
    for (const s of this.sockets.values()) if (s.readable()) return true;
    return false;
  }

  private drain(): void {
    for (const [port, s] of this.sockets) {
      for (;;) {
        let d;
        try {
          d = s.tryRecvFrom();
        } catch (e) {
          if (e instanceof PxeError) continue; // ICMP unreachable etc.: the try will time out
          throw e;
        }
        if (!d) break;
        const server = `${(d.from.address >>> 24) & 255}.${(d.from.address >>> 16) & 255}.${(d.from.address >>> 8) & 255}.${d.from.address & 255}`;
        this.machine.receive(this.stack.now(), { server, port: d.from.port, dstPort: port, payload: d.data });
      }
    }
  }

  /** Closes sockets whose query is over. */
  private reap(): void {
    const live = new Set(this.machine.activePorts());
    for (const [port, s] of this.sockets) {
      if (!live.has(port)) {
        s.close();
        this.sockets.delete(port);
      }
    }
  }
}
