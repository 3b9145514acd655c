import type { AcquireOptions, DhcpLease } from "@pxe/dhcp";
import { StackResolver, type AddressType, type DnsAnswer } from "@pxe/dns";
import { HttpClient, type HttpTransport, type Resolver, type Timers } from "@pxe/http";
import { toIpv4 } from "@pxe/ip";
import type { Stack } from "@pxe/sockets";
import type { Settings } from "../settings.js";
import { NetCommandError } from "./errors.js";
import { NET_DEFAULTS, NET_SETTINGS, parseServerList } from "./settings.js";

/** What the network commands need of a DNS resolver (@pxe/dns's StackResolver fits). */
export interface NetResolver {
  /** A or AAAA records of `name`, with the CNAME chain; rejects with @pxe/dns's typed errors. */
  lookup(name: string, type?: AddressType): Promise<DnsAnswer>;
  /** One IPv4 address of `name` as a u32. */
  resolve4(name: string): Promise<number>;
}

/** The HTTP side of the commands: a transport (TCP or in-memory) and how it keeps time. */
export interface NetworkHttpOptions {
  /** Opens connections: @pxe/http's StackTransport over our TCP, or a MemoryTransport in tests. */
  readonly transport: HttpTransport;
  /**
   * Timers of the HTTP client (connect and stall timeouts). Default: the
   * transport's own `timers` (StackTransport has them), else none fire.
   */
  readonly timers?: Timers;
  /** Name resolution for the client (default none: the transport resolves, e.g. via the stack's resolver). */
  readonly resolver?: Resolver | null;
}

/** Options of {@link networkCommands}. */
export interface NetworkCommandsOptions {
  /** The network stack the commands act on. */
  readonly stack: Stack;
  /**
   * DNS for nslookup and for host names everywhere (default: a new
   * StackResolver over `stack`, servers from DHCP or `dns.servers`). The
   * plugin installs it as the stack's resolver.
   */
  readonly resolver?: NetResolver;
  /** HTTP for fetch/ls/cat/stat: a transport, or a transport with its timers. Without it those commands say so. */
  readonly http?: HttpTransport | NetworkHttpOptions;
  /**
   * The TCP settings object given to installTcp/StackTransport; `set
   * tcp.window=N` writes `recvBufferSize` into it and `set
   * tcp.window_clamp=N` writes `windowClamp` (unset: back to the value the
   * object had at start), so new connections use them.
   */
  readonly tcpConfig?: { recvBufferSize?: number; windowClamp?: number };
  /** Options for the `dhcp` command's acquireLease (vendor class, timeouts, ...). */
  readonly dhcp?: Omit<AcquireOptions, "configure" | "onStart">;
  /** Environment given at startup: `http_proxy`/`no_proxy` (and upper-case forms) preset http.proxy/http.no_proxy. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Bytes the host can still allocate (pxehttp.0: its heap's size minus what
   * is in use), for the out-of-memory error of `fetch`. Default: unknown.
   */
  readonly freeMemory?: () => number | undefined;
}

const NO_TIMERS = (now: () => number): Timers => ({ now, setTimer: () => () => undefined });

/**
 * Shared state of the network commands: the stack, the resolver, the HTTP
 * client (rebuilt when an http.* setting changes), the last DHCP lease and
 * the files `fetch -o` kept in memory.
 */
export class NetState {
  /** The stack. */
  readonly stack: Stack;
  /** The resolver in use. */
  readonly resolver: NetResolver;
  /** The settings store. */
  readonly settings: Settings;
  /** Files kept by `fetch -o NAME` (listed by `files`, freed by `rm`). */
  readonly files = new Map<string, Uint8Array>();
  /** The last lease `dhcp` obtained. */
  lease: DhcpLease | undefined;
  private client: HttpClient | undefined;
  private readonly http: NetworkHttpOptions | undefined;
  /** `tcpConfig.windowClamp` as given: what an unset `tcp.window_clamp` restores. */
  private readonly platformClamp: number | undefined;

  /** Bytes the host can still allocate, when it says (NetworkCommandsOptions.freeMemory). */
  freeMemory(): number | undefined {
    return this.opts.freeMemory?.();
  }

  /** Total size of the files in memory. */
  filesBytes(): number {
    let n = 0;
    this.files.forEach((f) => (n += f.length));
    return n;
  }

  constructor(private readonly opts: NetworkCommandsOptions, settings: Settings) {
    this.stack = opts.stack;
    this.settings = settings;
    this.resolver = opts.resolver ?? new StackResolver(opts.stack);
    const resolver = this.resolver;
    opts.stack.setResolver((name) => resolver.resolve4(name));
    const h = opts.http;
    this.http = h === undefined ? undefined : "connect" in h ? { transport: h } : h;
    this.platformClamp = opts.tcpConfig?.windowClamp;
  }

  /** Options for acquireLease. */
  get dhcpOptions(): Omit<AcquireOptions, "configure" | "onStart"> {
    return this.opts.dhcp ?? {};
  }

  /** True when fetch/ls/cat/stat have a transport. */
  get hasHttp(): boolean {
    return this.http !== undefined;
  }

  /** The HTTP client with the current settings; NetCommandError without a transport. */
  httpClient(command: string): HttpClient {
    if (!this.http) throw new NetCommandError(command, "no HTTP transport on this console (TCP not set up)");
    if (!this.client) {
      const s = this.settings;
      this.client = new HttpClient({
        transport: this.http.transport,
        timers: this.tcp(command).timers,
        resolver: this.http.resolver ?? null,
        proxy: s.get(NET_SETTINGS.proxy) || null,
        noProxy: s.get(NET_SETTINGS.noProxy) ?? "",
        connectTimeoutMs: s.getNumber(NET_SETTINGS.connectTimeout, NET_DEFAULTS.connectTimeoutMs),
        stallTimeoutMs: s.getNumber(NET_SETTINGS.stallTimeout, NET_DEFAULTS.stallTimeoutMs),
        headTimeoutMs: s.getNumber(NET_SETTINGS.headTimeout, NET_DEFAULTS.headTimeoutMs),
        lowSpeedLimit: s.getNumber(NET_SETTINGS.lowSpeedLimit, NET_DEFAULTS.lowSpeedLimit),
        lowSpeedTimeMs: s.getNumber(NET_SETTINGS.lowSpeedTime, NET_DEFAULTS.lowSpeedTimeMs),
        deadlineMs: s.getNumber(NET_SETTINGS.deadline, NET_DEFAULTS.deadlineMs),
        userAgent: s.get(NET_SETTINGS.userAgent) || undefined,
      });
    }
    return this.client;
  }

  /** The transport and its timers, for commands that open their own connections (telnet); NetCommandError without one. */
  tcp(command: string): { transport: HttpTransport; timers: Timers } {
    if (!this.http) throw new NetCommandError(command, "no TCP transport on this console (TCP not set up)");
    const t = this.http.transport as HttpTransport & { timers?: Timers };
    return { transport: this.http.transport, timers: this.http.timers ?? t.timers ?? NO_TIMERS(() => this.stack.now()) };
  }

  /** Drops the HTTP client (its idle connections closed); the next command builds a new one. */
  resetHttp(): void {
    this.client?.close();
    this.client = undefined;
  }

  /** Applies `dns.servers` (when set) to the interface, over what DHCP gave. */
  applyDnsOverride(): void {
    const v = this.settings.get(NET_SETTINGS.dnsServers);
    if (v) this.stack.configure({ dns: parseServerList(v).map(toIpv4) });
  }

  /** Applies `tcp.window` and `tcp.window_clamp` to the shared TCP settings object. */
  applyTcpWindow(): void {
    const cfg = this.opts.tcpConfig;
    if (!cfg) return;
    cfg.recvBufferSize = this.settings.getNumber(NET_SETTINGS.tcpWindow, NET_DEFAULTS.tcpWindow);
    const clamp = this.settings.get(NET_SETTINGS.tcpWindowClamp);
    if (clamp !== undefined && clamp !== "") cfg.windowClamp = Number(clamp);
    else if (this.platformClamp !== undefined) cfg.windowClamp = this.platformClamp;
    else delete cfg.windowClamp;
  }

  /** Startup environment (`http_proxy`, `no_proxy`), then settings of those names, preset the http.* settings not yet set. */
  applyStartupProxy(): void {
    const env = this.opts.env ?? {};
    const s = this.settings;
    const proxy = s.get("http_proxy") ?? env.http_proxy ?? env.HTTP_PROXY;
    const noProxy = s.get("no_proxy") ?? env.no_proxy ?? env.NO_PROXY;
    if (proxy !== undefined && proxy.trim() !== "" && !s.get(NET_SETTINGS.proxy)) s.set(NET_SETTINGS.proxy, proxy);
    if (noProxy !== undefined && noProxy.trim() !== "" && !s.get(NET_SETTINGS.noProxy)) s.set(NET_SETTINGS.noProxy, noProxy);
  }

  /** Reacts to `set`/`unset`: http.* rebuilds the client, tcp.window, tcp.window_clamp and dns.servers apply at once. */
  watchSettings(): () => void {
    return this.settings.onChange((key, value) => {
      if (key.startsWith("http.")) this.resetHttp();
      else if (key === NET_SETTINGS.tcpWindow || key === NET_SETTINGS.tcpWindowClamp) this.applyTcpWindow();
      else if (key === NET_SETTINGS.dnsServers) {
        if (value) this.applyDnsOverride();
        else if (this.lease) this.stack.configure({ dns: this.lease.dnsServers.slice() });
      } else if (key === "http_proxy" && value !== undefined) this.settings.set(NET_SETTINGS.proxy, value);
      else if (key === "no_proxy" && value !== undefined) this.settings.set(NET_SETTINGS.noProxy, value);
    });
  }

  /** An address for `host` (dotted quad, or a name through DNS) as a u32; DNS errors propagate. */
  async resolve(host: string): Promise<number> {
    return this.stack.resolve(host);
  }
}
