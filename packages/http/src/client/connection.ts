import type { ByteStream } from "../transport.js";

/** A transport stream with the bookkeeping the pool needs. */
export class Connection {
  private closed = false;
  /** Requests served on this connection. */
  served = 0;
  /** Keep-Alive max countdown (null = no limit known). */
  requestsLeft: number | null = null;

  /** Wraps a stream opened for pool key `key`. */
  constructor(readonly stream: ByteStream, readonly key: string) {}

  /** Closes gracefully (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.close();
  }

  /** Drops the connection at once (idempotent). */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.stream.abort) this.stream.abort();
    else this.stream.close();
  }

  /** True once closed or aborted. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Looks at a connection taken from the pool before it carries a request
   * (curl's dead-connection check, undici's "data on an idle socket"):
   * nothing may have arrived while it sat idle. Returns why it cannot be
   * used — bytes (never a response: we asked nothing), the server's close,
   * or a reset — or null when it looks usable. Needs the stream's
   * `readNow`; a stream without it cannot be checked (null).
   */
  staleReason(): string | null {
    if (this.closed) return "closed";
    const look = this.stream.readNow;
    if (!look) return null;
    try {
      const r = look.call(this.stream);
      if (r === undefined) return null;
      return r === null ? "closed by the server while idle" : `${r.length} unexpected byte(s) arrived while idle`;
    } catch (e) {
      return `failed while idle (${e instanceof Error ? e.message : String(e)})`;
    }
  }
}
