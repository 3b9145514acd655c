import { PxeError } from "@pxe/core";

/**
 * A connected, reliable, ordered byte stream (a TCP connection, or an
 * in-memory pipe in tests). This is the seam where @pxe/tcp plugs in.
 *
 * - `write` queues bytes for sending; it may resolve before they are
 *   acknowledged. The caller must not modify `data` afterwards.
 * - `read` resolves with the next bytes that arrived (non-empty; the
 *   caller owns the array), or null once the peer has closed its side and
 *   everything was read. It rejects with a TransportError("reset") when
 *   the connection was reset or aborted. One read at a time.
 * - `close` closes gracefully (FIN) and releases the connection; pending
 *   and later reads resolve null. Idempotent.
 * - `abort` (optional) drops the connection at once (RST); default: close.
 */
export interface ByteStream {
  /** Sends bytes. */
  write(data: Uint8Array): Promise<void>;
  /** Next received bytes, or null at end of stream. */
  read(): Promise<Uint8Array | null>;
  /**
   * Optional fast path: what `read` would resolve with if it is known right
   * now (after at most one look at the network, no waiting), else
   * undefined. Throws what `read` would reject with. Spares a download
   * the Promise round trips of `read` for every chunk that is already there.
   */
  readNow?(): Uint8Array | null | undefined;
  /** Graceful close. */
  close(): void;
  /** Immediate abort (RST). */
  abort?(): void;
}

/** Options for one connect. */
export interface ConnectOptions {
  /** The transport may give up after this many ms (the client also enforces it). */
  readonly timeoutMs?: number;
}

/**
 * Opens byte streams. `host` is what the resolver returned (an address
 * literal), or the URL's host name when the client has no resolver (the
 * transport resolves, as Node's net does). Failures reject with a
 * TransportError: "refused" (RST to SYN, ICMP unreachable), "timeout",
 * "unreachable" (no route/ARP), "reset", "dns" (the transport resolved
 * a name and failed), or "other".
 */
export interface HttpTransport {
  /** Connects to host:port. */
  connect(host: string, port: number, opts: ConnectOptions): Promise<ByteStream>;
}

/**
 * Resolves a host name to an address the transport can connect to
 * (@pxe/dns implements it). Rejects (with any error) when the name does not
 * resolve; the client turns that into a DnsError naming the URL.
 */
export interface Resolver {
  /** One address for `hostname` (e.g. "10.0.2.2"). */
  resolve(hostname: string): Promise<string>;
}

/** Kinds of transport failure the client distinguishes. */
export type TransportErrorKind = "refused" | "timeout" | "unreachable" | "reset" | "dns" | "other";

/** What transports reject with. */
export class TransportError extends PxeError {
  /** What went wrong. */
  readonly kind: TransportErrorKind;
  constructor(kind: TransportErrorKind, message: string, options?: { cause?: unknown }) {
    super(`TRANSPORT_${kind.toUpperCase()}`, message, options);
    this.kind = kind;
  }
}
