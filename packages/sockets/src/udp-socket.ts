import { TimeoutError, type PxeError } from "@pxe/core";
import type { Ipv4Address } from "@pxe/ip";
import type { UdpEndpoint, UdpInbound, UdpLayer } from "@pxe/udp";
import { formatSockAddr, sockAddr, type SockAddr, type SockAddrInput } from "./addr.js";
import { NotConnectedError, SocketClosedError, WouldBlockError } from "./errors.js";
import type { Datagram, DatagramSocket, RecvOptions } from "./types.js";

/** What a socket needs from its stack. */
export interface SocketHost {
  /** The UDP layer. */
  readonly udp: UdpLayer;
  /** Current time (ms). */
  now(): number;
  /** Polls the stack until `ready()` or time reaches `deadline`; true when ready. */
  waitFor(ready: () => boolean, deadline?: number): Promise<boolean>;
}

/** Receive-queue limits of a UDP socket. */
export interface UdpSocketOptions {
  /** Datagrams queued at most (more are dropped as "queueFull"). Default 64. */
  queueLimit?: number;
  /** Payload bytes queued at most. Default 256 KiB. */
  queueBytes?: number;
}

/**
 * A BSD-style UDP socket: a synchronous core (sendTo, tryRecvFrom) over the
 * stack, and Promise methods (recvFrom, recv, send, connect) that wait by
 * polling the stack through its driver.
 */
export class UdpSocket implements DatagramSocket {
  /** Always "dgram". */
  readonly kind = "dgram" as const;
  /** @inheritdoc */
  nonblocking = false;
  /** @inheritdoc */
  timeoutMs: number | undefined = undefined;
  private ep: UdpEndpoint | undefined;
  private readonly queue: Datagram[] = [];
  private queued = 0;
  private pending: PxeError | undefined;
  private closed = false;
  private readonly limit: number;
  private readonly limitBytes: number;

  constructor(private readonly host: SocketHost, opts: UdpSocketOptions = {}) {
    this.limit = opts.queueLimit ?? 64;
    this.limitBytes = opts.queueBytes ?? 256 * 1024;
  }

  /** @inheritdoc Throws AddressInUseError, or RangeError when already bound. */
  bind(local: SockAddrInput = { port: 0 }): void {
    this.check("bind");
    if (this.ep) throw new RangeError(`socket already bound to ${formatSockAddr(this.localAddress()!)}`);
    const a = sockAddr(local);
    this.ep = this.host.udp.bind(
      {
        datagram: (d, now) => this.deliver(d, now),
        error: (e) => void (this.pending = e),
      },
      a.port,
      a.address,
    );
  }

  /** @inheritdoc Takes effect synchronously (the promise is for uniformity with stream sockets). */
  connect(remote: SockAddrInput): Promise<void> {
    try {
      this.check("connect");
      const r = sockAddr(remote);
      this.endpoint().connect(r.address, r.port);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** @inheritdoc */
  sendTo(data: Uint8Array, to: SockAddrInput, opts: { src?: Ipv4Address | string; ttl?: number } = {}): number {
    this.check("sendto");
    const t = sockAddr(to);
    const src = opts.src === undefined ? undefined : sockAddr({ address: opts.src, port: 0 }).address;
    this.endpoint().sendTo(data, t.address, t.port, this.host.now(), { src, ttl: opts.ttl });
    return data.length;
  }

  /** @inheritdoc Sends to the connected peer (NotConnectedError otherwise). */
  send(data: Uint8Array): Promise<number> {
    try {
      const r = this.remoteAddress();
      if (!r) throw new NotConnectedError("send");
      return Promise.resolve(this.sendTo(data, r));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** @inheritdoc */
  tryRecvFrom(): Datagram | undefined {
    this.check("recvfrom");
    if (this.pending) {
      const e = this.pending;
      this.pending = undefined;
      throw e;
    }
    const d = this.queue.shift();
    if (d) this.queued -= d.data.length;
    return d;
  }

  /** @inheritdoc */
  readable(): boolean {
    return this.closed || this.pending !== undefined || this.queue.length > 0;
  }

  /** @inheritdoc Throws TimeoutError, WouldBlockError, SocketClosedError, or a pending ICMP/ARP error. */
  async recvFrom(opts: RecvOptions = {}): Promise<Datagram> {
    const op = `recvfrom on ${this.ep ? formatSockAddr(this.localAddress()!) : "unbound socket"}`;
    this.endpoint();
    const d = this.tryRecvFrom();
    if (d) return d;
    if (this.nonblocking) throw new WouldBlockError(op);
    const ms = opts.timeoutMs ?? this.timeoutMs;
    const deadline = ms === undefined ? undefined : this.host.now() + ms;
    const ok = await this.host.waitFor(() => this.readable(), deadline);
    if (this.closed) throw new SocketClosedError(op);
    if (!ok) throw new TimeoutError(op, ms ?? 0);
    return this.tryRecvFrom()!;
  }

  /** @inheritdoc Receives from the connected peer only. */
  async recv(opts: RecvOptions = {}): Promise<Uint8Array> {
    if (!this.remoteAddress()) throw new NotConnectedError("recv");
    return (await this.recvFrom(opts)).data;
  }

  /** @inheritdoc */
  close(): void {
    this.closed = true;
    this.ep?.close();
    this.queue.length = 0;
  }

  /** @inheritdoc */
  localAddress(): SockAddr | undefined {
    return this.ep ? { address: this.ep.localAddress, port: this.ep.localPort } : undefined;
  }

  /** @inheritdoc */
  remoteAddress(): SockAddr | undefined {
    const e = this.ep;
    return e && e.remoteAddress !== undefined ? { address: e.remoteAddress, port: e.remotePort! } : undefined;
  }

  /** Datagrams waiting in the receive queue. */
  get queuedDatagrams(): number {
    return this.queue.length;
  }

  private endpoint(): UdpEndpoint {
    if (!this.ep) this.bind();
    return this.ep!;
  }

  private check(op: string): void {
    if (this.closed) throw new SocketClosedError(op);
  }

  private deliver(d: UdpInbound, _now: number): boolean {
    const n = d.end - d.start;
    if (this.queue.length >= this.limit || this.queued + n > this.limitBytes) return false;
    this.queue.push({ data: d.data.slice(d.start, d.end), from: { address: d.src, port: d.srcPort }, to: { address: d.dst, port: d.dstPort }, broadcast: d.broadcast });
    this.queued += n;
    return true;
  }

  /** "udp 0.0.0.0:68 -> 10.0.2.2:67". */
  toString(): string {
    const l = this.localAddress(), r = this.remoteAddress();
    return `udp ${l ? formatSockAddr(l) : "unbound"}${r ? ` -> ${formatSockAddr(r)}` : ""}${this.closed ? " (closed)" : ""}`;
  }
}

