import type { SockAddr, SockAddrInput } from "./addr.js";

/** Per-call options of a receive. */
export interface RecvOptions {
  /** Give up after this many ms (TimeoutError); default the socket's `timeoutMs` (undefined = wait forever). */
  timeoutMs?: number;
  /** Most bytes to return (stream sockets; datagrams are never split). */
  maxBytes?: number;
}

/** Per-call options of connect/send on stream sockets. */
export interface SendOptions {
  /** Give up after this many ms (TimeoutError); default the socket's `timeoutMs`. */
  timeoutMs?: number;
}

/**
 * What every socket offers, datagram or stream: the part of the BSD API a
 * caller can use without knowing the type. Callers written against it keep
 * working when @pxe/tcp plugs in stream sockets.
 */
export interface Socket {
  /** "dgram" (UDP) or "stream" (TCP). */
  readonly kind: "dgram" | "stream";
  /** When true, operations that would wait fail at once with WouldBlockError. */
  nonblocking: boolean;
  /** Default time limit (ms) of waiting operations; undefined = none. */
  timeoutMs: number | undefined;
  /** Binds the local address (default 0.0.0.0, port 0 = ephemeral). */
  bind(local?: SockAddrInput): void;
  /** Sets the peer (UDP: immediately; TCP: handshake). */
  connect(remote: SockAddrInput, opts?: SendOptions): Promise<void>;
  /** Sends to the peer; resolves with the bytes accepted. */
  send(data: Uint8Array, opts?: SendOptions): Promise<number>;
  /** Receives from the peer (stream: an empty array means end of stream). */
  recv(opts?: RecvOptions): Promise<Uint8Array>;
  /** Releases the socket; pending waits fail with SocketClosedError. */
  close(): void;
  /** The bound local address, once bound. */
  localAddress(): SockAddr | undefined;
  /** The peer, once connected. */
  remoteAddress(): SockAddr | undefined;
}

/** A received datagram (a copy; yours to keep). */
export interface Datagram {
  /** The payload. */
  data: Uint8Array;
  /** Who sent it. */
  from: SockAddr;
  /** Where it was sent (our address or a broadcast address). */
  to: SockAddr;
  /** True when sent to a broadcast address. */
  broadcast: boolean;
}

/** A datagram (UDP) socket: the common Socket plus addressed send/receive. */
export interface DatagramSocket extends Socket {
  /** Always "dgram". */
  readonly kind: "dgram";
  /** Sends one datagram to `to` (binds an ephemeral port first if needed). Synchronous; returns the payload length. */
  sendTo(data: Uint8Array, to: SockAddrInput, opts?: { src?: SockAddrInput["address"]; ttl?: number }): number;
  /** Receives one datagram with its sender; waits per timeoutMs/nonblocking. */
  recvFrom(opts?: RecvOptions): Promise<Datagram>;
  /** Takes one queued datagram or returns undefined; throws a pending error (ICMP unreachable, ARP timeout). */
  tryRecvFrom(): Datagram | undefined;
  /** True when tryRecvFrom would return a datagram or throw. */
  readable(): boolean;
}

/**
 * A stream (TCP) socket, as @pxe/tcp will provide it through
 * `Stack.registerSocketType("stream", factory)`.
 */
export interface StreamSocket extends Socket {
  /** Always "stream". */
  readonly kind: "stream";
  /** Closes one or both directions (FIN on "write"). */
  shutdown(how?: "read" | "write" | "both"): void;
}
