import { connect as netConnect } from "node:net";
import type { Socket } from "node:net";
import type { ByteStream, ConnectOptions, HttpTransport } from "../transport.js";
import { TransportError } from "../transport.js";
import { WakeableRead } from "../wakeable-read.js";

/** Default most bytes a SocketStream holds unread before it stops reading the socket. */
export const DEFAULT_NODE_HIGH_WATER = 1 << 20;

/**
 * A ByteStream over a Node socket (Node-only; for tools, comparisons and
 * tests against real servers). Backpressure as Node streams do it: once
 * `highWater` bytes sit unread the socket is paused (the kernel's receive
 * buffer fills and TCP's window closes on the server); it resumes when
 * the reader has taken the queue below half of that.
 */
class SocketStream implements ByteStream {
  private queue: Uint8Array[] = [];
  private queued = 0;
  private paused = false;
  private ended = false;
  private error: Error | null = null;
  private readonly reader = new WakeableRead<Uint8Array | null>(() => this.readNow());

  constructor(private readonly sock: Socket, private readonly highWater: number) {
    sock.on("data", (b: Buffer) => {
      this.queue.push(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
      this.queued += b.byteLength;
      if (this.queued >= this.highWater && !this.paused) {
        this.paused = true;
        sock.pause();
      }
      this.wake();
    });
    sock.on("end", () => {
      this.ended = true;
      this.wake();
    });
    sock.on("close", () => {
      this.ended = true;
      this.wake();
    });
    sock.on("error", (e: NodeJS.ErrnoException) => {
      this.error = new TransportError(e.code === "ECONNRESET" || e.code === "EPIPE" ? "reset" : "other", e.message, { cause: e });
      this.wake();
    });
  }

  /** Bytes received and not yet read (bounded by about `highWater` plus one socket read). */
  get bufferedBytes(): number {
    return this.queued;
  }

  write(data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.error) return reject(this.error);
      if (this.ended || this.sock.writableEnded || this.sock.destroyed) return reject(new TransportError("reset", "write: the connection was closed"));
      this.sock.write(data, (e) => (e ? reject(new TransportError("reset", e.message, { cause: e })) : resolve()));
    });
  }

  read(): Promise<Uint8Array | null> {
    return this.reader.read();
  }

  readNow(): Uint8Array | null | undefined {
    if (this.queue.length) {
      const b = this.queue.shift()!;
      this.queued -= b.length;
      if (this.paused && this.queued <= this.highWater >> 1) {
        this.paused = false;
        this.sock.resume();
      }
      return b;
    }
    if (this.error) throw this.error;
    if (this.ended) return null;
    return undefined;
  }

  close(): void {
    this.ended = true;
    this.sock.end();
    this.sock.resume(); // let the FIN exchange finish even when paused
    this.wake();
  }

  abort(): void {
    this.ended = true;
    this.sock.resetAndDestroy();
    this.wake();
  }

  private wake(): void {
    this.reader.wake();
  }
}

/** Options of a NodeNetTransport. */
export interface NodeNetTransportOptions {
  /** Most unread bytes a connection holds before it stops reading the socket (default 1 MiB). */
  readonly highWater?: number;
}

/**
 * HttpTransport over Node's `net` sockets (names resolved by Node). Lets
 * the same HttpClient run against real servers from Node before @pxe/tcp
 * is plugged in, and gives a baseline for benchmarks.
 */
export class NodeNetTransport implements HttpTransport {
  private readonly highWater: number;

  /** A transport whose connections buffer at most `opts.highWater` unread bytes. */
  constructor(opts: NodeNetTransportOptions = {}) {
    this.highWater = opts.highWater ?? DEFAULT_NODE_HIGH_WATER;
  }

  /** Opens a TCP connection with Node's net module. */
  connect(host: string, port: number, opts: ConnectOptions): Promise<ByteStream> {
    return new Promise((resolve, reject) => {
      const sock = netConnect({ host, port, noDelay: true });
      let timer: ReturnType<typeof setTimeout> | null = null;
      if (opts.timeoutMs && opts.timeoutMs > 0) {
        timer = setTimeout(() => {
          sock.destroy();
          reject(new TransportError("timeout", `connect to ${host}:${port} timed out`));
        }, opts.timeoutMs);
      }
      sock.once("connect", () => {
        if (timer) clearTimeout(timer);
        sock.removeAllListeners("error");
        resolve(new SocketStream(sock, this.highWater));
      });
      sock.once("error", (e: NodeJS.ErrnoException) => {
        if (timer) clearTimeout(timer);
        const kind = e.code === "ECONNREFUSED" ? "refused" : e.code === "ENOTFOUND" || e.code === "EAI_AGAIN" ? "dns" : e.code === "EHOSTUNREACH" || e.code === "ENETUNREACH" ? "unreachable" : e.code === "ETIMEDOUT" ? "timeout" : "other";
        reject(new TransportError(kind, `connect to ${host}:${port}: ${e.message}`, { cause: e }));
      });
    });
  }
}
