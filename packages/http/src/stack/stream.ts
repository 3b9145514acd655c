import { PxeError, SocketClosedError } from "@pxe/core";
import { TcpError, TcpResetError, TcpState, TcpTimeoutError, type TcpConnection, type TcpSocket } from "@pxe/tcp";
import type { ByteStream } from "../transport.js";
import { TransportError } from "../transport.js";

/** What a TcpStream needs from its transport: a wait that keeps the stack (and timers) polled, and a poll to flush an RST. */
export interface TcpStreamHost {
  /** Polls the stack until `ready()` (or forever); fires due timers meanwhile. */
  waitFor(ready: () => boolean): Promise<boolean>;
  /** Runs the stack once now (sends what became due, e.g. an RST). */
  pollNow(): void;
}

/**
 * A ByteStream over a connected @pxe/tcp TcpSocket. `read` hands out
 * everything the connection holds in one array (one copy, out of the
 * receive ring into an array the caller owns), so reads are as large as
 * the data that arrived between two waits. `peer` names the server in errors.
 */
export class TcpStream implements ByteStream {
  private done = false;

  /** Wraps a connected socket. */
  constructor(
    private readonly sock: TcpSocket,
    private readonly conn: TcpConnection,
    private readonly host: TcpStreamHost,
    /** "a.b.c.d:port" of the server. */
    readonly peer: string,
  ) {}

  /** The TCP connection underneath (state, statistics). */
  get connection(): TcpConnection {
    return this.conn;
  }

  /** Queues `data` for sending (waits only when the send buffer is full). */
  async write(data: Uint8Array): Promise<void> {
    if (this.done) throw new TransportError("reset", `write to ${this.peer}: connection closed`);
    try {
      await this.sock.send(data);
    } catch (e) {
      throw mapStreamError(e, `write to ${this.peer}`);
    }
  }

  /** Everything that has arrived (at least one byte), or null at end of stream / after close. */
  async read(): Promise<Uint8Array | null> {
    if (!this.readyToRead()) await this.host.waitFor(() => this.readyToRead());
    return this.take();
  }

  /** The same as `read` when the stack (polled once here if need be) already has an answer; undefined otherwise. */
  readNow(): Uint8Array | null | undefined {
    if (!this.readyToRead()) this.host.pollNow();
    return this.readyToRead() ? this.take() : undefined;
  }

  /** What a read hands out once ready: the data, or null at end of stream, or the error. */
  private take(): Uint8Array | null {
    if (this.done) return null;
    let data: Uint8Array | undefined;
    try {
      data = this.sock.recvNow(); // the data, or the connection's error thrown, or empty at the end
    } catch (e) {
      throw mapStreamError(e, `read from ${this.peer}`);
    }
    return data !== undefined && data.length > 0 ? data : null; // FIN after everything, or closed
  }

  /** FIN (RST when unread data remains, as BSD close does). Idempotent; a pending read resolves null. */
  close(): void {
    if (this.done) return;
    this.done = true;
    this.sock.close();
    this.host.pollNow();
  }

  /** RST now. Idempotent; a pending read resolves null. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    if (this.conn.state !== TcpState.CLOSED) this.conn.abort();
    this.sock.close();
    this.host.pollNow(); // the layer flushes the RST and forgets the connection
  }

  private readyToRead(): boolean {
    const c = this.conn;
    return this.done || c.recvAvailable > 0 || c.eof || c.error !== undefined || c.state === TcpState.CLOSED;
  }
}

/** Maps what a TcpSocket operation threw to the transport's typed error. */
export function mapStreamError(e: unknown, what: string): Error {
  if (e instanceof TransportError) return e;
  if (e instanceof TcpResetError || e instanceof SocketClosedError) return new TransportError("reset", `${what}: ${e.message}`, { cause: e });
  if (e instanceof TcpTimeoutError) return new TransportError("timeout", `${what}: ${e.message}`, { cause: e });
  if (e instanceof TcpError || e instanceof PxeError) return new TransportError("reset", `${what}: ${e.message}`, { cause: e });
  return e instanceof Error ? e : new TransportError("other", `${what}: ${String(e)}`);
}
