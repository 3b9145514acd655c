import type { Platform } from "@pxe/core";
import {
  IP_PROTO_UDP, IpInterface, tryParseIpv4,
  type ArpEntry, type ArpOptions, type InterfaceConfig, type InterfaceConfigInput, type IpProtocolHandler, type IpStats,
  type Ipv4Address, type LayerCounters, type PingOptions, type PingStats, type ReassemblyOptions, type Route,
} from "@pxe/ip";
import { UdpLayer, type UdpOptions } from "@pxe/udp";
import type { LinkDriver } from "@pxe/undi";
import { busyHost, type DriverHost } from "./driver.js";
import { NoResolverError, UnsupportedSocketTypeError } from "./errors.js";
import type { StreamSocket } from "./types.js";
import { UdpSocket, type SocketHost, type UdpSocketOptions } from "./udp-socket.js";

/** Options of a Stack. */
export interface StackOptions {
  /** The link (any @pxe/undi backend); opened by the constructor. */
  link: LinkDriver;
  /** Host services (random bytes, checksum accelerator, clock for the default driver). */
  platform: Platform;
  /** Initial interface configuration (default unconfigured; DHCP calls `configure`). */
  config?: InterfaceConfigInput;
  /** How Promise APIs wait (default `busyHost(platform)`; on Node use `nodeHost()` from @pxe/sockets/node). */
  driver?: DriverHost;
  /** ARP tunables. */
  arp?: ArpOptions;
  /** Reassembly limits. */
  reassembly?: ReassemblyOptions;
  /** ICMP errors per second at most. */
  icmpErrorsPerSecond?: number;
  /** Frames taken from the link per poll at most (default: all that are there). */
  pollBudget?: number;
  /** UDP options. */
  udp?: UdpOptions;
  /** Default receive-queue limits of UDP sockets. */
  udpSocket?: UdpSocketOptions;
}

/** All counters of a stack, as plain data (for `stats`). */
export interface StackStats extends IpStats {
  /** UDP datagrams. */
  udp: LayerCounters;
  /** Counters of protocols registered later (e.g. "tcp"). */
  [protocol: string]: unknown;
}

/** Resolves a host name to an IPv4 address (how @pxe/dns plugs in). */
export type HostResolver = (name: string) => Promise<Ipv4Address>;

/** Builds a stream socket for a stack (how @pxe/tcp plugs in). */
export type StreamSocketFactory = (stack: Stack) => StreamSocket;

/**
 * The network stack: Ethernet/ARP/IPv4/ICMP (@pxe/ip) and UDP (@pxe/udp)
 * over one LinkDriver, plus BSD-style sockets. Synchronous and driven by
 * `poll(now)`; the Promise methods (socket receives, `ping`, `sleep`,
 * `waitFor`) poll through the injected DriverHost.
 *
 * Leases: frames from LinkDriver.poll are only valid during its callback;
 * the stack copies what it keeps, and datagrams handed to sockets are copies.
 */
export class Stack implements SocketHost {
  /** Ethernet, ARP, IPv4, ICMP. */
  readonly ip: IpInterface;
  /** UDP (registered as IP protocol 17). */
  readonly udp: UdpLayer;
  /** Host services. */
  readonly platform: Platform;
  /** How Promise APIs wait. */
  readonly driver: DriverHost;
  private readonly extraStats = new Map<string, () => unknown>();
  private streamFactory: StreamSocketFactory | undefined;
  private resolver: HostResolver | undefined;
  private readonly udpSocketOpts: UdpSocketOptions | undefined;

  constructor(o: StackOptions) {
    this.platform = o.platform;
    this.driver = o.driver ?? busyHost(o.platform);
    this.ip = new IpInterface({ link: o.link, platform: o.platform, config: o.config, arp: o.arp, reassembly: o.reassembly, icmpErrorsPerSecond: o.icmpErrorsPerSecond, pollBudget: o.pollBudget });
    this.udp = new UdpLayer(this.ip, o.udp);
    this.ip.register(IP_PROTO_UDP, this.udp);
    this.udpSocketOpts = o.udpSocket;
  }

  /** Processes received frames and due timers at `now` (default: the driver's clock). Returns frames processed. */
  poll(now: number = this.driver.now()): number {
    return this.ip.poll(now);
  }

  /** The earliest time a timer needs `poll`, if any. */
  nextDeadline(): number | undefined {
    return this.ip.nextDeadline();
  }

  /** Current time of the driver (ms). */
  now(): number {
    return this.driver.now();
  }

  /** Sets address/prefix/gateway/dns/routes (DHCP calls this); returns the new config. */
  configure(input: InterfaceConfigInput): InterfaceConfig {
    return this.ip.configure(input);
  }

  /** The interface configuration (for `ifconfig`). */
  get config(): InterfaceConfig {
    return this.ip.config;
  }

  /** Our MAC address. */
  get mac(): Uint8Array {
    return this.ip.mac.slice();
  }

  /** Everything `ifconfig` shows, as plain data: link name, MAC, MTU and the configuration. */
  interfaceInfo(): InterfaceConfig & { name: string; mac: Uint8Array; mtu: number } {
    return { ...this.ip.config, name: this.ip.link.info.name, mac: this.ip.mac.slice(), mtu: this.ip.mtu };
  }

  /** The route table (for `route`). */
  routes(): Route[] {
    return this.ip.routeList();
  }

  /** The ARP cache (for `arp`). */
  arpEntries(): ArpEntry[] {
    return this.ip.arpEntries(this.now());
  }

  /**
   * Registers a transport for an IP protocol number (TCP: 6), with an
   * optional counters provider shown in `stats()[name]`.
   */
  registerProtocol(protocol: number, handler: IpProtocolHandler, stats?: { name: string; counters: () => unknown }): void {
    this.ip.register(protocol, handler);
    if (stats) this.extraStats.set(stats.name, stats.counters);
  }

  /** Lets `socket("stream")` build stream sockets (called by @pxe/tcp). */
  registerSocketType(kind: "stream", factory: StreamSocketFactory): void {
    if (kind !== "stream") throw new UnsupportedSocketTypeError(kind);
    this.streamFactory = factory;
  }

  /** A new socket: "dgram" (UDP) or "stream" (TCP, once registered; else UnsupportedSocketTypeError). */
  socket(kind: "dgram", opts?: UdpSocketOptions): UdpSocket;
  socket(kind: "stream"): StreamSocket;
  socket(kind: "dgram" | "stream", opts?: UdpSocketOptions): UdpSocket | StreamSocket {
    if (kind === "dgram") return new UdpSocket(this, opts ?? this.udpSocketOpts);
    if (kind === "stream" && this.streamFactory) return this.streamFactory(this);
    throw new UnsupportedSocketTypeError(kind);
  }

  /** Shorthand: a UDP socket, bound when `local` is given. */
  udpSocket(local?: { address?: Ipv4Address | string; port: number }, opts?: UdpSocketOptions): UdpSocket {
    const s = this.socket("dgram", opts);
    if (local) s.bind(local);
    return s;
  }

  /** Lets host names work wherever an address does (called by @pxe/dns or the console). */
  setResolver(resolver: HostResolver | undefined): void {
    this.resolver = resolver;
  }

  /**
   * An address as a number: numbers pass through, dotted quads are parsed,
   * other names go to the registered resolver (NoResolverError without one).
   */
  async resolve(host: Ipv4Address | string): Promise<Ipv4Address> {
    if (typeof host === "number") return host >>> 0;
    const a = tryParseIpv4(host);
    if (a !== undefined) return a;
    if (!this.resolver) throw new NoResolverError(host);
    return (await this.resolver(host)) >>> 0;
  }

  /**
   * Polls until `ready()` holds (true) or the clock reaches `deadline`
   * (false). The building block of every Promise API here.
   */
  async waitFor(ready: () => boolean, deadline?: number): Promise<boolean> {
    for (;;) {
      const now = this.driver.now();
      this.poll(now);
      if (ready()) return true;
      if (deadline !== undefined && now >= deadline) return false;
      const t = this.nextDeadline();
      await this.driver.idle(Math.min(deadline ?? Infinity, t ?? Infinity, now + 50));
    }
  }

  /** Waits `ms` while keeping the stack polled (for retry back-offs). */
  async sleep(ms: number): Promise<void> {
    await this.waitFor(() => false, this.now() + ms);
  }

  /**
   * Pings `host` (address, dotted text, or a name via the resolver): `count` echo requests
   * `intervalMs` apart; resolves with RTT statistics and loss once the last
   * reply arrived or `timeoutMs` passed after the last request.
   */
  async ping(host: Ipv4Address | string, opts: PingOptions = {}): Promise<PingStats> {
    const s = this.ip.startPing(await this.resolve(host), opts, this.now());
    try {
      await this.waitFor(() => s.done(this.now()));
      return s.stats();
    } finally {
      this.ip.endPing(s);
    }
  }

  /** Counters of every layer, copies (for `stats`). */
  stats(): StackStats {
    const out: StackStats = { ...this.ip.stats(), udp: this.udp.counters.snapshot() };
    for (const [k, f] of this.extraStats) out[k] = f();
    return out;
  }

  /** Closes the link. */
  close(): void {
    this.ip.link.close();
  }
}
