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
}
