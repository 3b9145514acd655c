import { concat } from "@pxe/core";
import type { ByteStream } from "@pxe/http";
import { TelnetError } from "../errors.js";
import { TelnetProtocol, type CommandName, type TelnetNotice, type TelnetProtocolOptions, type WindowSize } from "../machine/protocol.js";

/** Options of {@link TelnetSession}. */
export interface TelnetSessionOptions extends TelnetProtocolOptions {
  /** "host:port" of the server, for errors and `status`. */
  readonly peer: string;
  /** Receives the server's data (already unescaped), in order. */
  onData(data: Uint8Array): void;
  /** Option changes, commands and protocol violations (optional). */
  onNotice?(notice: TelnetNotice): void;
}

/** Why a session ended. */
export type CloseReason = "server closed" | "closed" | "error";

/** Byte counts of a session. */
export interface TelnetCounters {
  /** Bytes read from the connection. */
  bytesIn: number;
  /** Bytes written to the connection. */
  bytesOut: number;
}

/**
 * A telnet session over any {@link ByteStream}: our TCP, Node's net, or an
 * HTTP proxy's CONNECT tunnel. `run()` reads until the server closes (or
 * `close()`), answering negotiations on the way; `send` passes keys through,
 * `command` sends BRK/AYT/IP, `resize` updates NAWS.
 */
export class TelnetSession {
  /** The protocol machine (mode, options in effect). */
  readonly protocol: TelnetProtocol;
  /** "host:port" of the server. */
  readonly peer: string;
  /** Byte counts. */
  readonly counters: TelnetCounters = { bytesIn: 0, bytesOut: 0 };
  private closedBy: CloseReason | undefined;
  private writes: Promise<void> = Promise.resolve();
  private writeError: unknown;

  constructor(
    private readonly stream: ByteStream,
    private readonly opts: TelnetSessionOptions,
  ) {
    this.peer = opts.peer;
    this.protocol = new TelnetProtocol(opts);
  }

  /** Set once the session has ended. */
  get closed(): CloseReason | undefined {
    return this.closedBy;
  }

  /**
   * Sends our opening offers, then reads and answers until the server closes
   * (resolves "server closed") or `close()` is called (resolves "closed").
   * Rejects with a TelnetError when the connection fails.
   */
  async run(): Promise<CloseReason> {
    this.queue(this.protocol.start()).catch(() => undefined); // a failure surfaces as writeError
    try {
      for (;;) {
        if (this.closedBy) return this.closedBy;
        const chunk = await this.stream.read();
        if (this.closedBy) return this.closedBy;
        if (chunk === null) {
          this.finish("server closed");
          return "server closed";
        }
        this.counters.bytesIn += chunk.length;
        const r = this.protocol.receive(chunk);
        if (r.reply.length > 0) this.queue(r.reply).catch(() => undefined);
        for (const d of r.data) this.opts.onData(d);
        if (this.opts.onNotice) for (const n of r.notices) this.opts.onNotice(n);
        if (this.writeError !== undefined) throw this.writeError;
      }
    } catch (e) {
      if (this.closedBy === "closed") return "closed";
      this.finish("error");
      throw e instanceof TelnetError ? e : new TelnetError(this.peer, `connection failed: ${errorText(e)}`, { cause: e });
    }
  }

  /** Sends what the user typed (escaped for the wire). Rejects with a TelnetError after the session ended or when the write fails. */
  send(keys: Uint8Array): Promise<void> {
    return this.queue([this.protocol.encodeInput(keys)]);
  }

  /** Sends IAC BRK, IAC AYT or IAC IP. */
  command(name: CommandName): Promise<void> {
    return this.queue([this.protocol.encodeCommand(name)]);
  }

  /** Tells the server a new window size (when NAWS is in effect). */
  resize(size: WindowSize): Promise<void> {
    return this.queue(this.protocol.resize(size));
  }

  /** Closes the connection; `run()` resolves "closed". Idempotent. */
  close(): void {
    if (this.closedBy) return;
    this.finish("closed");
  }

  private finish(reason: CloseReason): void {
    this.closedBy = reason;
    try {
      this.stream.close();
    } catch {
      // closing is best effort: the session has ended either way
    }
  }

  private queue(chunks: Uint8Array[]): Promise<void> {
    if (this.closedBy) return Promise.reject(new TelnetError(this.peer, `session ${this.closedBy}`));
    if (chunks.length === 0) return this.writes;
    const bytes = concat(chunks);
    const p = this.writes.then(async () => {
      if (this.closedBy) return;
      try {
        await this.stream.write(bytes);
        this.counters.bytesOut += bytes.length;
      } catch (e) {
        this.writeError = new TelnetError(this.peer, `write failed: ${errorText(e)}`, { cause: e });
        throw this.writeError;
      }
    });
    this.writes = p.catch(() => undefined);
    return p;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
