import { PxeError, TimeoutError, readU16be, writeU16be } from "@pxe/core";
import type { Stack, StreamSocket, UdpSocket } from "@pxe/sockets";
import { DnsResolver, type AddressType, type DnsAnswer, type DnsResult, type DnsTransmit } from "../machine/resolver.js";
import type { ResolverConfig } from "../machine/config.js";
import { formatIpv4, parseIpv4 } from "../wire/address.js";
import { formatIpv4 as formatIpv4U32, parseIpv4 as parseIpv4Number } from "@pxe/ip";
import { RecordType } from "../wire/constants.js";

/** The parts of a @pxe/sockets Stack the resolver adapter uses. */
export type DnsStack = Pick<Stack, "udpSocket" | "socket" | "waitFor" | "now" | "platform" | "config">;

/** Options of {@link StackResolver}; servers and search domain default to the stack's DHCP configuration. */
export interface StackResolverOptions extends Omit<ResolverConfig, "random" | "servers" | "tcp"> {
  /** Retry truncated answers over TCP (default: when the stack has stream sockets, i.e. @pxe/tcp is installed). */
  readonly tcp?: boolean;
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
  private readonly tcpTimeoutMs: number;
  private configKey = "";

  /** Creates a resolver over `stack`. */
  constructor(private readonly stack: DnsStack, opts: StackResolverOptions = {}) {
    this.fixedServers = opts.servers !== undefined;
    this.tcpTimeoutMs = (opts.timeoutMs ?? 2000) * 2;
    const domain = stack.config.domain;
    this.machine = new DnsResolver({
      ...opts,
      tcp: opts.tcp ?? hasStreamSockets(stack),
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
      await this.stack.waitFor(() => result !== undefined || this.readable() || this.machine.pollAt() <= this.stack.now(), at === Infinity ? undefined : at);
      this.drain();
    }
    this.reap();
    if (!result.ok) throw result.error;
    return result.answer;
  }

  /** Resolves `name` to one IPv4 address as a u32 (what @pxe/sockets takes). */
  async resolve4(name: string): Promise<number> {
    const a = await this.lookup(name, RecordType.A);
    return parseIpv4Number(a.addresses[0]);
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
      if (t.transport === "tcp") {
        void this.overTcp(t, formatIpv4(addr));
        continue;
      }
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

  /**
   * One query over TCP (RFC 1035 §4.2.2: 2-byte length prefix each way):
   * connect, send, read one answer, close. Runs beside the lookup loop
   * (both poll the stack); the answer or the failure goes to the machine.
   */
  private async overTcp(t: DnsTransmit, address: string): Promise<void> {
    const limit = { timeoutMs: this.tcpTimeoutMs };
    let sock: StreamSocket | undefined;
    try {
      sock = this.stack.socket("stream");
      await sock.connect({ address, port: t.port }, limit);
      const framed = new Uint8Array(t.payload.length + 2);
      writeU16be(framed, 0, t.payload.length);
      framed.set(t.payload, 2);
      await sock.send(framed, limit);
      let buf = new Uint8Array(0);
      while (buf.length < 2 || buf.length < 2 + readU16be(buf, 0)) {
        const part = await sock.recv(limit);
        if (part.length === 0) throw new PxeError("DNS_TCP_EOF", `DNS over TCP: ${address} closed before a whole answer`);
        const next = new Uint8Array(buf.length + part.length);
        next.set(buf);
        next.set(part, buf.length);
        buf = next;
      }
      const len = readU16be(buf, 0);
      this.machine.receive(this.stack.now(), { server: t.server, port: t.port, dstPort: 0, payload: buf.subarray(2, 2 + len), key: t.key });
    } catch (e) {
      if (!(e instanceof PxeError) && !(e instanceof RangeError)) throw e;
      this.machine.transportFailed(this.stack.now(), t.key, tcpFailure(e));
    } finally {
      sock?.close();
    }
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
        const server = formatIpv4U32(d.from.address);
        this.machine.receive(this.stack.now(), { server, port: d.from.port, dstPort: port, payload: d.data });
      }
    }
  }

  /** Closes sockets whose query is over. */
  private reap(): void {
    const live = this.machine.activePorts();
    for (const [port, s] of this.sockets) {
      if (live.indexOf(port) < 0) {
        s.close();
        this.sockets.delete(port);
      }
    }
  }
}

/** True when `stack.socket("stream")` works (TCP installed); the probe socket is closed at once. */
function hasStreamSockets(stack: Pick<Stack, "socket">): boolean {
  try {
    stack.socket("stream").close();
    return true;
  } catch {
    return false;
  }
}

/** How a DNS-over-TCP try failed, for DnsTruncatedError: "was refused", "timed out after N ms", or the error's message. */
function tcpFailure(e: PxeError | RangeError): string {
  if (e instanceof TimeoutError) return `timed out after ${e.timeoutMs} ms`;
  const code = e instanceof PxeError ? e.code : "";
  if (/TIMEOUT/.test(code)) return "timed out";
  if (/REFUSED/.test(code)) return "was refused";
  if (/RESET/.test(code)) return "was reset";
  return `failed: ${e.message}`;
}
