import { asciiBytes, concat, latin1 } from "@pxe/core";
import type { ByteStream, ConnectOptions, HttpTransport, Resolver } from "../transport.js";
import { TransportError } from "../transport.js";
import { Headers } from "../wire/headers.js";
import { WakeableRead } from "../wakeable-read.js";

/** A request as a scripted server received it. */
export interface RecordedRequest {
  /** Request method. */
  readonly method: string;
  /** Request target as sent (origin-form or absolute-form). */
  readonly target: string;
  /** Header fields. */
  readonly headers: Headers;
  /** The raw head text. */
  readonly raw: string;
}

/** The server side of one in-memory connection, driven by a script. */
export interface ScriptedConnection {
  /** Address the client dialled. */
  readonly host: string;
  /** Port the client dialled. */
  readonly port: number;
  /** Index of this connection among all the transport opened (0-based). */
  readonly index: number;
  /** Next request head from the client; null once the client closed. */
  readRequest(): Promise<RecordedRequest | null>;
  /** Sends bytes (a string is sent as Latin-1) as one chunk the client reads at once. */
  send(data: Uint8Array | string): void;
  /** Closes the server side: the client reads the rest, then null. */
  end(): void;
  /** Resets: after what was sent, the client's read rejects with TransportError("reset"). */
  reset(): void;
  /** True once the client closed or aborted. */
  readonly clientClosed: boolean;
}

/** A server script: called once per accepted connection. */
export type ScriptedServer = (conn: ScriptedConnection) => void | Promise<void>;

/** What the transport recorded about one connection. */
export interface ConnectionLog {
  /** Dialled address. */
  readonly host: string;
  /** Dialled port. */
  readonly port: number;
  /** Requests received on it, in order. */
  readonly requests: RecordedRequest[];
}

class Pipe implements ByteStream, ScriptedConnection {
  private toClient: Uint8Array[] = [];
  private serverEnded = false;
  private resetFlag = false;
  private readonly clientReader = new WakeableRead<Uint8Array | null>(() => this.readNow());
  private fromClient: Uint8Array = new Uint8Array(0);
  private readonly serverReader = new WakeableRead<RecordedRequest | null>(() => this.requestNow());
  clientClosed = false;

  constructor(readonly host: string, readonly port: number, readonly index: number, private readonly log: ConnectionLog) {}

  // ---- client side (ByteStream)
  async write(data: Uint8Array): Promise<void> {
    if (this.clientClosed) throw new TransportError("reset", "write after close");
    if (this.resetFlag) throw new TransportError("reset", "connection reset by peer");
    this.fromClient = concat([this.fromClient, data.slice()]);
    this.wakeServer();
  }

  read(): Promise<Uint8Array | null> {
    return this.clientReader.read();
  }

  readNow(): Uint8Array | null | undefined {
    if (this.clientClosed) return null;
    if (this.toClient.length) return this.toClient.shift()!;
    if (this.resetFlag) throw new TransportError("reset", "connection reset by peer");
    if (this.serverEnded) return null;
    return undefined;
  }

  close(): void {
    this.clientClosed = true;
    this.wakeClient();
    this.wakeServer();
  }

  abort(): void {
    this.close();
  }

  // ---- server side (ScriptedConnection)
  readRequest(): Promise<RecordedRequest | null> {
    return this.serverReader.read();
  }

  /** The next whole request head the client wrote, null once it closed or was reset, undefined while it is incomplete. */
  private requestNow(): RecordedRequest | null | undefined {
    const text = latin1(this.fromClient);
    const end = text.indexOf("\r\n\r\n");
    if (end >= 0) {
      this.fromClient = this.fromClient.slice(end + 4);
      const raw = text.slice(0, end);
      const lines = raw.split("\r\n");
      const [method, target] = lines[0].split(" ");
      const headers = new Headers(lines.slice(1).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()] as const));
      const req = { method, target, headers, raw };
      this.log.requests.push(req);
      return req;
    }
    if (this.clientClosed || this.resetFlag) return null;
    return undefined;
  }

  send(data: Uint8Array | string): void {
    if (this.clientClosed || this.resetFlag || this.serverEnded) return;
    const b = typeof data === "string" ? asciiBytes(data) : data.slice();
    if (b.length === 0) return;
    this.toClient.push(b);
    this.wakeClient();
  }

  end(): void {
    this.serverEnded = true;
    this.wakeClient();
  }

  reset(): void {
    // Data already sent is still delivered first (as if it was read
    // before the RST arrived); then reads fail.
    this.resetFlag = true;
    this.wakeClient();
    this.wakeServer();
  }

  private wakeClient(): void {
    this.clientReader.wake();
  }

  private wakeServer(): void {
    this.serverReader.wake();
  }
}

/**
 * An in-memory HttpTransport with scripted servers, for tests: `listen`
 * registers a script per host:port; other addresses refuse; `blackhole`
 * makes connects hang (for connect timeouts). Every connection and every
 * request is recorded in `log`.
 */
export class MemoryTransport implements HttpTransport {
  private readonly servers = new Map<string, ScriptedServer>();
  private readonly holes = new Set<string>();
  /** Connections opened, in order. */
  readonly log: ConnectionLog[] = [];
  /** Errors thrown by server scripts (a test should expect this to stay empty). */
  readonly scriptErrors: unknown[] = [];
  private readonly pipes: Pipe[] = [];

  /** Serves `host:port` with `server`. */
  listen(host: string, port: number, server: ScriptedServer): this {
    this.servers.set(`${host}:${port}`, server);
    return this;
  }

  /** Connects to `host:port` never complete. */
  blackhole(host: string, port: number): this {
    this.holes.add(`${host}:${port}`);
    return this;
  }

  /** Opens an in-memory connection. */
  connect(host: string, port: number, _opts: ConnectOptions): Promise<ByteStream> {
    const key = `${host}:${port}`;
    if (this.holes.has(key)) return new Promise(() => undefined);
    const server = this.servers.get(key);
    if (!server) return Promise.reject(new TransportError("refused", `connection to ${key} refused`));
    const log: ConnectionLog = { host, port, requests: [] };
    this.log.push(log);
    const pipe = new Pipe(host, port, this.log.length - 1, log);
    this.pipes.push(pipe);
    Promise.resolve()
      .then(() => server(pipe))
      .catch((e) => void this.scriptErrors.push(e));
    return Promise.resolve(pipe);
  }

  /** Connections the client has not closed. */
  openConnections(): number {
    return this.pipes.filter((p) => !p.clientClosed).length;
  }
}

/** A Resolver from a fixed table; unknown names reject. */
export class MemoryResolver implements Resolver {
  /** Names looked up, in order. */
  readonly lookups: string[] = [];
  /** Creates a resolver answering from `table` (name -> address). */
  constructor(private readonly table: Readonly<Record<string, string>>) {}
  /** Resolves from the table. */
  resolve(hostname: string): Promise<string> {
    this.lookups.push(hostname);
    const a = this.table[hostname];
    return a ? Promise.resolve(a) : Promise.reject(new Error(`NXDOMAIN ${hostname}`));
  }
}

/** Builds a response head ("HTTP/1.1 200 OK", fields, blank line) as a string. */
export function responseHead(status: number, reason: string, headers: readonly (readonly [string, string])[] = [], version = "1.1"): string {
  let s = `HTTP/${version} ${status} ${reason}\r\n`;
  for (const [n, v] of headers) s += `${n}: ${v}\r\n`;
  return s + "\r\n";
}
