import { NotConnectedError, SocketClosedError, TimeoutError, WouldBlockError } from "@pxe/core";
import { formatIpv4, toIpv4 } from "@pxe/ip";
import type { TcpConnection } from "../machine/connection.js";
import { TcpState } from "../machine/state.js";
import type { TcpConfig } from "../machine/config.js";
import type { TcpLayer } from "./tcp-layer.js";

/** A socket address (mirrors @pxe/sockets' SockAddr). */
export interface TcpSockAddr {
  /** IPv4 address as u32 (0 = any). */
  address: number;
  /** Port (0 = ephemeral when binding). */
  port: number;
}

/** A socket address as callers write it (mirrors @pxe/sockets' SockAddrInput). */
export interface TcpSockAddrInput {
  /** IPv4 address, u32 or dotted text; default 0.0.0.0. */
  address?: number | string;
  /** Port. */
  port: number;
}

/** What a TCP socket needs from its stack (@pxe/sockets' Stack fits). */
export interface TcpSocketHost {
  /** Current time, ms. */
  now(): number;
  /** Polls the stack until `ready()` or the clock reaches `deadline`; true when ready. */
  waitFor(ready: () => boolean, deadline?: number): Promise<boolean>;
}

/**
 * A BSD-style stream socket over a TcpConnection, shaped like
 * @pxe/sockets' StreamSocket so `stack.socket("stream")` returns one once
 * `installTcp(stack)` ran. Promise methods wait by polling the stack; the
 * connection itself stays synchronous.
 */
export class TcpSocket {
  /** Always "stream". */
  readonly kind = "stream" as const;
  /** When true, waiting operations fail at once with WouldBlockError. */
  nonblocking = false;
  /** Default time limit (ms) of connect/send/recv; undefined = none. */
  timeoutMs: number | undefined = undefined;
  private local: TcpSockAddr | undefined;
  private conn: TcpConnection | undefined;
  private closed = false;
  private readShut = false;

  /** Made by the factory `installTcp` registers (or directly, for tests). */
  constructor(
    private readonly host: TcpSocketHost,
    private readonly tcp: TcpLayer,
    private readonly config?: Partial<TcpConfig>,
  ) {}

  /** The connection underneath, once connecting (for stats and tests). */
  get connection(): TcpConnection | undefined {
    return this.conn;
  }

  /** Sets the local port (0 or omitted = ephemeral at connect). */
  bind(local: TcpSockAddrInput = { port: 0 }): void {
    this.check("bind");
    if (this.local || this.conn) throw new RangeError("socket already bound");
    this.local = { address: local.address === undefined ? 0 : toIpv4(local.address), port: local.port };
  }

  /** Opens the connection; resolves once established, rejects with TcpRefusedError/TcpTimeoutError/TimeoutError. */
  async connect(remote: TcpSockAddrInput, opts: { timeoutMs?: number } = {}): Promise<void> {
    this.check("connect");
    if (this.conn) throw new RangeError("socket already connected");
    const addr = toIpv4(remote.address ?? 0);
    const now = this.host.now();
    const conn = this.tcp.connect(addr, remote.port, now, { localPort: this.local?.port || undefined, config: this.config });
    this.conn = conn;
    const what = `connect to ${formatIpv4(addr)}:${remote.port}`;
    if (this.nonblocking) throw new WouldBlockError(what);
    const done = () => conn.state !== TcpState.SYN_SENT && conn.state !== TcpState.SYN_RECEIVED;
    await this.wait(done, opts.timeoutMs, what, () => conn.abort());
    if (conn.error) throw conn.error;
    if (conn.state === TcpState.CLOSED) throw new SocketClosedError(what);
  }

  /** Sends all of `data` (waiting for buffer space); resolves with the bytes accepted. Nonblocking: what fits now. */
  async send(data: Uint8Array, opts: { timeoutMs?: number } = {}): Promise<number> {
    const conn = this.connected("send");
    let off = 0;
    const deadline = this.deadline(opts.timeoutMs);
    for (;;) {
      if (conn.error) throw conn.error;
      off += conn.send(data.subarray(off));
      this.tcp.flush(conn, this.host.now());
      if (off === data.length) return off;
      if (this.nonblocking) {
        if (off > 0) return off;
        throw new WouldBlockError(`send on ${this.name()}`);
      }
      const ok = await this.host.waitFor(() => conn.sendSpace > 0 || conn.error !== undefined || conn.state === TcpState.CLOSED || this.closed, deadline);
      if (this.closed) throw new SocketClosedError("send");
      if (!ok) throw new TimeoutError(`send on ${this.name()}`, opts.timeoutMs ?? this.timeoutMs ?? 0);
    }
  }

  /** Receives up to `maxBytes` (default all available); an empty array means end of stream. */
  async recv(opts: { timeoutMs?: number; maxBytes?: number } = {}): Promise<Uint8Array> {
    const conn = this.connected("recv");
    const ready = () => this.readable(conn);
    if (!ready()) {
      if (this.nonblocking) throw new WouldBlockError(`recv on ${this.name()}`);
      await this.wait(ready, opts.timeoutMs, `recv on ${this.name()}`);
    }
    return this.take(conn, opts.maxBytes);
  }

  /**
   * Receives without waiting (and without polling the stack): up to
   * `maxBytes` of what has arrived (default all), an empty array at end of
   * stream, or undefined when nothing is ready yet. Throws as `recv` does
   * (the connection's error, SocketClosedError).
   */
  recvNow(maxBytes?: number): Uint8Array | undefined {
    const conn = this.connected("recv");
    if (!this.readable(conn)) return undefined;
    return this.take(conn, maxBytes);
  }

  /** True when recv would not wait: data, end of stream, an error, or the socket closed or shut for reading. */
  private readable(conn: TcpConnection): boolean {
    return conn.recvAvailable > 0 || conn.eof || conn.error !== undefined || conn.state === TcpState.CLOSED || this.closed || this.readShut;
  }

  /** What recv hands out once ready: data (and a window update), or end of stream, or the error. */
  private take(conn: TcpConnection, maxBytes: number | undefined): Uint8Array {
    if (this.closed) throw new SocketClosedError("recv");
    if (conn.recvAvailable > 0 && !this.readShut) {
      const out = conn.recvBytes(maxBytes ?? Infinity);
      this.tcp.flush(conn, this.host.now()); // window update if it opened
      return out;
    }
    if (conn.error) throw conn.error;
    return new Uint8Array(0);
  }

  /** "write": FIN after queued data; "read": discard further data; "both": both. */
  shutdown(how: "read" | "write" | "both" = "both"): void {
    const conn = this.connected("shutdown");
    if (how !== "write") this.readShut = true;
    if (how !== "read") {
      conn.close();
      this.tcp.flush(conn, this.host.now());
    }
  }

  /** BSD close(): FIN (RST when unread data remains); the layer finishes the connection. Pending waits fail. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const conn = this.conn;
    if (conn && conn.state !== TcpState.CLOSED) {
      const now = this.host.now();
      conn.release(now);
      this.tcp.flush(conn, now);
    }
  }

  /** The local address, once connecting. */
  localAddress(): TcpSockAddr | undefined {
    if (this.conn) return { address: this.conn.localAddr, port: this.conn.localPort };
    return this.local ? { ...this.local } : undefined;
  }

  /** The peer, once connecting. */
  remoteAddress(): TcpSockAddr | undefined {
    return this.conn ? { address: this.conn.remoteAddr, port: this.conn.remotePort } : undefined;
  }

  private async wait(ready: () => boolean, timeoutMs: number | undefined, what: string, onTimeout?: () => void): Promise<void> {
    const ms = timeoutMs ?? this.timeoutMs;
    const ok = await this.host.waitFor(ready, this.deadline(ms));
    if (!ok) {
      onTimeout?.();
      throw new TimeoutError(what, ms ?? 0);
    }
  }

  private deadline(ms: number | undefined): number | undefined {
    const t = ms ?? this.timeoutMs;
    return t === undefined ? undefined : this.host.now() + t;
  }

  private connected(op: string): TcpConnection {
    this.check(op);
    if (!this.conn) throw new NotConnectedError(op);
    return this.conn;
  }

  private check(op: string): void {
    if (this.closed) throw new SocketClosedError(op);
  }

  private name(): string {
    const c = this.conn;
    return c ? `${formatIpv4(c.localAddr)}:${c.localPort} -> ${formatIpv4(c.remoteAddr)}:${c.remotePort}` : "unconnected socket";
  }
}
