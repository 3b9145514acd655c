import { PxeError, TimeoutError } from "@pxe/core";
import type { Stack } from "@pxe/sockets";
import { installTcp, TcpRefusedError, TcpSocket, TcpTimeoutError, TcpUnreachableError, formatEndpoint, type TcpConfig, type TcpLayer, type TcpSocketHost } from "@pxe/tcp";
import type { ByteStream, ConnectOptions, HttpTransport } from "../transport.js";
import { TransportError } from "../transport.js";
import { PollTimers } from "./poll-timers.js";
import { TcpStream } from "./stream.js";

/** The parts of a @pxe/sockets Stack the transport uses (a Stack fits). */
export type TransportStack = Pick<Stack, "now" | "poll" | "waitFor" | "resolve" | "ip" | "platform" | "registerProtocol" | "registerSocketType">;

/** Options of a StackTransport. */
export interface StackTransportOptions {
  /**
   * The TcpLayer `installTcp(stack)` returned, when TCP is already installed
   * on the stack. Without it the transport installs TCP itself (once).
   */
  readonly tcp?: TcpLayer;
  /** TCP settings of the transport's connections (receive window, MSS, ...); used when installing TCP. */
  readonly config?: Partial<TcpConfig>;
}

/**
 * HttpTransport over our own TCP/IP: a @pxe/sockets Stack with @pxe/tcp.
 * Core code (no Node built-ins): every wait polls the stack through
 * `stack.waitFor`, so it runs the same on Node (nodeHost driver) and in the
 * NBP (busy driver). `timers` fire from those same waits: give them to the
 * HttpClient so its timeouts work without an event loop.
 *
 * connect maps TCP's outcomes to TransportError kinds: RST to the SYN →
 * "refused", SYN retries exhausted or the connect timeout → "timeout",
 * ICMP unreachable → "unreachable", a name the stack cannot resolve → "dns".
 */
export class StackTransport implements HttpTransport {
  /** Timers driven by the stack's poll loop (use as HttpClient `timers`). */
  readonly timers: PollTimers;
  /** The TCP layer the connections live in. */
  readonly tcp: TcpLayer;
  private readonly host: TcpSocketHost;
  private readonly config: Partial<TcpConfig> | undefined;

  /** Uses `stack` (installing TCP on it unless `opts.tcp` is given). */
  constructor(private readonly stack: TransportStack, opts: StackTransportOptions = {}) {
    this.config = opts.config;
    this.tcp = opts.tcp ?? installTcp(stack, { config: opts.config });
    this.timers = new PollTimers(() => stack.now());
    this.host = { now: () => stack.now(), waitFor: (ready, deadline) => this.waitFor(ready, deadline) };
  }

  /**
   * Polls the stack until `ready()` holds (true) or `deadline` passes
   * (false), firing due `timers` in between (a timer may make `ready` true,
   * e.g. by aborting a stream).
   */
  async waitFor(ready: () => boolean, deadline?: number): Promise<boolean> {
    const timers = this.timers;
    for (;;) {
      const t = timers.nextDeadline();
      const until = t === undefined ? deadline : deadline === undefined ? t : Math.min(t, deadline);
      // Timers set while we wait (e.g. the client's stall timer, armed right
      // after the read began) are seen by the predicate: waitFor polls at
      // least every 50 ms.
      const ok = await this.stack.waitFor(() => ready() || timers.due(this.stack.now()), until);
      timers.fireDue(this.stack.now());
      if (ready()) return true;
      if (!ok && deadline !== undefined && this.stack.now() >= deadline) return false;
    }
  }

  /** Opens a TCP connection to `host` (dotted quad, or a name the stack's resolver knows) port `port`. */
  async connect(host: string, port: number, opts: ConnectOptions = {}): Promise<ByteStream> {
    let addr: number;
    try {
      addr = await this.stack.resolve(host);
    } catch (e) {
      throw new TransportError("dns", `cannot resolve ${host}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const peer = formatEndpoint(addr, port);
    const sock = new TcpSocket(this.host, this.tcp, this.config);
    try {
      await sock.connect({ address: addr, port }, { timeoutMs: opts.timeoutMs && opts.timeoutMs > 0 ? opts.timeoutMs : undefined });
    } catch (e) {
      sock.close();
      this.stack.poll();
      throw connectError(e, peer);
    }
    return new TcpStream(sock, sock.connection!, { waitFor: (r) => this.waitFor(r), pollNow: () => void this.stack.poll() }, peer);
  }
}

function connectError(e: unknown, peer: string): Error {
  const what = `connect to ${peer}`;
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof TcpRefusedError) return new TransportError("refused", `${what}: refused`, { cause: e });
  if (e instanceof TcpTimeoutError || e instanceof TimeoutError) return new TransportError("timeout", `${what}: timed out`, { cause: e });
  if (e instanceof TcpUnreachableError) return new TransportError("unreachable", `${what}: ${msg}`, { cause: e });
  if (e instanceof PxeError) return new TransportError("other", `${what}: ${msg}`, { cause: e });
  return e instanceof Error ? e : new TransportError("other", `${what}: ${msg}`);
}
