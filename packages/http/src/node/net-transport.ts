import { connect as netConnect } from "node:net";
import type { Socket } from "node:net";
import type { ByteStream, ConnectOptions, HttpTransport } from "../transport.js";
import { TransportError } from "../transport.js";

/** A ByteStream over a Node socket (Node-only; for tools, comparisons and tests against real servers). */
class SocketStream implements ByteStream {
  private queue: Uint8Array[] = [];
  private ended = false;
  private error: Error | null = null;
  private waiter: (() => void) | null = null;

  constructor(private readonly sock: Socket) {
    sock.on("data", (b: Buffer) => {
      this.queue.push(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
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
      this.error = new TransportError(e.code === "ECONNRESET" ? "reset" : "other", e.message, { cause: e });
      this.wake();
    });
  }

  write(data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.error) return reject(this.error);
      this.sock.write(data, (e) => (e ? reject(new TransportError("reset", e.message, { cause: e })) : resolve()));
    });
  }

  read(): Promise<Uint8Array | null> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        if (this.queue.length) return resolve(this.queue.shift()!);
        if (this.error) return reject(this.error);
        if (this.ended) return resolve(null);
        this.waiter = () => {
          this.waiter = null;
          attempt();
        };
      };
      attempt();
    });
  }

  close(): void {
    this.ended = true;
    this.sock.end();
    this.wake();
  }

  abort(): void {
    this.ended = true;
    this.sock.resetAndDestroy();
    this.wake();
  }

  private wake(): void {
    if (this.waiter) this.waiter();
  }
}

/**
 * HttpTransport over Node's `net` sockets (names resolved by Node). Lets
 * the same HttpClient run against real servers from Node before @pxe/tcp
 * is plugged in, and gives a baseline for benchmarks.
 */
export class NodeNetTransport implements HttpTransport {
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
        resolve(new SocketStream(sock));
      });
      sock.once("error", (e: NodeJS.ErrnoException) => {
        if (timer) clearTimeout(timer);
        const kind = e.code === "ECONNREFUSED" ? "refused" : e.code === "ENOTFOUND" || e.code === "EAI_AGAIN" ? "dns" : e.code === "EHOSTUNREACH" || e.code === "ENETUNREACH" ? "unreachable" : e.code === "ETIMEDOUT" ? "timeout" : "other";
        reject(new TransportError(kind, `connect to ${host}:${port}: ${e.message}`, { cause: e }));
      });
    });
  }
}
