import { bytesEqual, WireError, readU16be, readU32be } from "@pxe/core";
import { formatIpv4, isHostAddress } from "@pxe/ip";
import { DhcpBadLeaseError, DhcpStateError, DhcpTimeoutError } from "../errors.js";
import { INFINITE_LEASE, type DhcpLease, leaseFromMessage } from "../lease.js";
import { BOOTP_MIN_LEN, BootOp, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, DhcpMessageType as T, DhcpOptionCode as O } from "../wire/constants.js";
import type { Ipv4 } from "../wire/ipv4.js";
import { type DhcpMessage, dhcpMessage, findOption, messageTypeOf } from "../wire/message.js";
import { readIpv4Option } from "../wire/values.js";
import { backoffDelay } from "./backoff.js";
import { type DhcpClientConfig, type ResolvedDhcpConfig, resolveConfig } from "./config.js";
import { buildClientMessage } from "./messages.js";

/** States of the client (RFC 2131 figure 5, without INIT-REBOOT). */
export type DhcpClientState = "idle" | "selecting" | "requesting" | "bound" | "renewing" | "rebinding" | "failed" | "released";

/** A UDP datagram the client wants sent. */
export interface DhcpTransmit {
  /** Source address: 0.0.0.0 while acquiring, our address when renewing or releasing. */
  readonly src: Ipv4;
  /** Source port (68). */
  readonly srcPort: number;
  /** Destination: 255.255.255.255, or the server when renewing/releasing. */
  readonly dst: Ipv4;
  /** Destination port (67). */
  readonly dstPort: number;
  /** The DHCP message (UDP payload), padded to 300 bytes. */
  readonly payload: Uint8Array;
  /** The message type sent (DhcpMessageType). */
  readonly type: number;
}

/** Something that happened to the lease; drained with {@link DhcpClient.takeEvents}. */
export type DhcpEvent =
  | { readonly type: "bound"; readonly lease: DhcpLease }
  | { readonly type: "renewed"; readonly lease: DhcpLease }
  | { readonly type: "lost"; readonly lease: DhcpLease; readonly reason: "nak" | "expired" }
  | { readonly type: "failed"; readonly error: DhcpTimeoutError };

/** Why a received datagram was ignored; counted in {@link DhcpClientStats}. */
export type DhcpIgnoreReason = "malformed" | "not-reply" | "xid" | "chaddr" | "unexpected-type" | "server-id" | "no-address" | "bad-address" | "state";

/** Counters of a client. */
export interface DhcpClientStats {
  /** Messages handed out to send. */
  sent: number;
  /** Datagrams given to receive(). */
  received: number;
  /** NAKs acted on. */
  naks: number;
  /** Ignored datagrams by reason. */
  ignored: Record<DhcpIgnoreReason, number>;
}

const ANY = 0;
const BROADCAST = 0xffffffff;
const MIN_RENEW_RETRANSMIT_MS = 60_000;
const DECLINE_WAIT_MS = 10_000;

/**
 * A sans-IO DHCP client (RFC 2131), in the manner of smoltcp's dhcpv4
 * socket: no I/O and no clock of its own. Feed it received DHCP payloads
 * with {@link receive}; call {@link poll} at or after {@link pollAt} to get
 * the datagrams to send; read lease changes from {@link takeEvents}.
 *
 * Acquisition: DISCOVER, take the first valid OFFER, REQUEST it, BOUND on
 * ACK; a NAK restarts with a new xid. Retransmissions back off 4 s, 8 s, …
 * capped at 64 s with ±1 s jitter; after `totalTimeoutMs` the client fails
 * with DhcpTimeoutError. When bound it renews at T1 (unicast), rebinds at
 * T2 (broadcast) and starts over when the lease expires.
 */
export class DhcpClient {
  /** The filled-in configuration. */
  readonly config: ResolvedDhcpConfig;
  /** Counters. */
  readonly stats: DhcpClientStats = {
    sent: 0,
    received: 0,
    naks: 0,
    ignored: { malformed: 0, "not-reply": 0, xid: 0, chaddr: 0, "unexpected-type": 0, "server-id": 0, "no-address": 0, "bad-address": 0, state: 0 },
  };
  private st: DhcpClientState = "idle";
  private xid = 0;
  private startedAt = 0;
  private nextSendAt = Infinity;
  private attempts = 0;
  private offer: { address: Ipv4; server: Ipv4 } | undefined;
  private current: DhcpLease | undefined;
  private boundAt = 0;
  private failure: DhcpTimeoutError | undefined;
  private refused: DhcpBadLeaseError | undefined;
  private events: DhcpEvent[] = [];

  /** Creates an idle client; call {@link start}. */
  constructor(config: DhcpClientConfig) {
    this.config = resolveConfig(config);
  }

  /** The current state. */
  get state(): DhcpClientState {
    return this.st;
  }

  /** The lease while bound, renewing or rebinding. */
  get lease(): DhcpLease | undefined {
    return this.current;
  }

  /** The error once the state is "failed". */
  get error(): DhcpTimeoutError | undefined {
    return this.failure;
  }

  /** The transaction id in use. */
  get transactionId(): number {
    return this.xid;
  }

  /** Begins (or restarts) acquisition at `now`: a DISCOVER goes out at the next poll. */
  start(now: number): void {
    this.current = undefined;
    this.failure = undefined;
    this.startedAt = now;
    this.stats.naks = 0;
    this.restart(now);
  }

  /** Events since the last call, oldest first. */
  takeEvents(): DhcpEvent[] {
    const e = this.events;
    this.events = [];
    return e;
  }

  /** When poll() must next be called (ms), or Infinity when nothing is pending. */
  pollAt(): number {
    switch (this.st) {
      case "selecting":
      case "requesting":
        return Math.min(this.nextSendAt, this.startedAt + this.config.totalTimeoutMs);
      case "bound":
      case "renewing":
      case "rebinding":
        return Math.min(this.nextSendAt, this.timeline().expiry);
      default:
        return Infinity;
    }
  }

  /** Runs timers due at `now`; returns the datagrams to send. */
  poll(now: number): DhcpTransmit[] {
    const out: DhcpTransmit[] = [];
    if (this.st === "selecting" || this.st === "requesting") {
      if (now >= this.startedAt + this.config.totalTimeoutMs) {
        this.fail();
        return out;
      }
      if (now < this.nextSendAt) return out;
      if (this.st === "requesting" && this.attempts >= this.config.requestAttempts) this.restart(now);
      out.push(this.st === "selecting" ? this.sendDiscover(now) : this.sendRequest(now));
    } else if (this.st === "bound" || this.st === "renewing" || this.st === "rebinding") {
      const tl = this.timeline();
      if (now >= tl.expiry) {
        const lease = this.current!;
        this.current = undefined;
        this.events.push({ type: "lost", lease, reason: "expired" });
        this.startedAt = now;
        this.restart(now);
        out.push(this.sendDiscover(now));
        return out;
      }
      if (now < this.nextSendAt) return out;
      if (now >= tl.t2 && this.st !== "rebinding") this.st = "rebinding";
      else if (now >= tl.t1 && this.st === "bound") this.st = "renewing";
      out.push(this.sendRenewal(now, tl));
    }
    return out;
  }

  /**
   * Hands the client one received DHCP payload (from UDP port 67 to 68).
   * Anything that is not the answer it waits for is counted and ignored.
   */
  receive(now: number, payload: Uint8Array): void {
    this.stats.received++;
    let m: DhcpMessage;
    try {
      m = dhcpMessage.decode(payload, 0, payload.length).value;
    } catch (e) {
      if (e instanceof WireError) return this.ignore("malformed");
      throw e;
    }
    if (m.op !== BootOp.Reply) return this.ignore("not-reply");
    if (m.xid !== this.xid) return this.ignore("xid");
    if (!bytesEqual(m.chaddr, this.config.mac)) return this.ignore("chaddr");
    const type = messageTypeOf(m);
    const server = readIpv4Option(findOption(m, O.ServerId));
    switch (this.st) {
      case "selecting":
        if (type !== T.Offer) return this.ignore("unexpected-type");
        if (server === undefined) return this.ignore("server-id");
        if (m.yiaddr === ANY) return this.ignore("no-address");
        if (!isHostAddress(m.yiaddr)) return this.refuse(new DhcpBadLeaseError("yiaddr", formatIpv4(m.yiaddr), "offered is not a host address"));
        this.offer = { address: m.yiaddr, server };
        this.st = "requesting";
        this.attempts = 0;
        this.nextSendAt = now;
        return;
      case "requesting":
        if (server !== undefined && server !== this.offer!.server) return this.ignore("server-id");
        if (type === T.Nak) return this.nak(now);
        if (type !== T.Ack) return this.ignore("unexpected-type");
        if (m.yiaddr === ANY) return this.ignore("no-address");
        return this.bind(now, m, "bound");
      case "bound":
      case "renewing":
      case "rebinding":
        if (this.st === "bound") return this.ignore("state");
        if (this.st === "renewing" && server !== undefined && server !== this.current!.serverId) return this.ignore("server-id");
        if (type === T.Nak) return this.nak(now);
        if (type !== T.Ack) return this.ignore("unexpected-type");
        if (m.yiaddr === ANY) return this.ignore("no-address");
        return this.bind(now, m, "renewed");
      default:
        return this.ignore("state");
    }
  }

  /**
   * Gives the lease back: returns the RELEASE to send (unicast to the
   * server) and leaves the client "released".
   */
  release(now: number): DhcpTransmit {
    const lease = this.current;
    if (!lease || lease.serverId === undefined) throw new DhcpStateError(this.st, "release without a lease from a known server");
    const t = this.transmit(lease.address, lease.serverId, T.Release, buildClientMessage(this.config, {
      type: T.Release, xid: this.newXid(), secs: 0, ciaddr: lease.address, serverId: lease.serverId, broadcast: false,
    }));
    void now;
    this.current = undefined;
    this.st = "released";
    this.nextSendAt = Infinity;
    return t;
  }

  /**
   * Refuses the bound address (e.g. ARP found it in use): returns the
   * DECLINE to broadcast and restarts acquisition.
   */
  decline(now: number): DhcpTransmit {
    const lease = this.current;
    if (!lease || lease.serverId === undefined) throw new DhcpStateError(this.st, "decline without a lease from a known server");
    const t = this.transmit(ANY, BROADCAST, T.Decline, buildClientMessage(this.config, {
      type: T.Decline, xid: this.xid, secs: 0, requestedAddress: lease.address, serverId: lease.serverId, broadcast: false,
    }));
    this.current = undefined;
    this.startedAt = now;
    this.restart(now);
    // RFC 2131 §3.1 step 5: wait at least ten seconds before starting again.
    this.nextSendAt = now + DECLINE_WAIT_MS;
    this.startedAt = this.nextSendAt;
    return t;
  }

  private ignore(reason: DhcpIgnoreReason): void {
    this.stats.ignored[reason]++;
  }

  private newXid(): number {
    const b = new Uint8Array(4);
    this.config.random.randomBytes(b);
    return readU32be(b, 0);
  }

  private random16(): number {
    const b = new Uint8Array(2);
    this.config.random.randomBytes(b);
    return readU16be(b, 0);
  }

  private restart(now: number): void {
    this.st = "selecting";
    this.xid = this.newXid();
    this.attempts = 0;
    this.offer = undefined;
    this.nextSendAt = now;
  }

  private fail(): void {
    const phase = this.st === "requesting" ? "ack" : "offer";
    this.failure = new DhcpTimeoutError(phase, this.config.totalTimeoutMs, this.stats.sent, this.stats.naks, this.refused);
    this.st = "failed";
    this.nextSendAt = Infinity;
    this.events.push({ type: "failed", error: this.failure });
  }

  private nak(now: number): void {
    this.stats.naks++;
    const lost = this.current;
    if (lost) {
      this.current = undefined;
      this.events.push({ type: "lost", lease: lost, reason: "nak" });
      this.startedAt = now;
    }
    this.restart(now);
  }

  /** An offer or ACK with an impossible lease: ignored (another server may answer), remembered for the timeout error. */
  private refuse(e: DhcpBadLeaseError): void {
    this.refused = e;
    this.ignore("bad-address");
  }

  private bind(now: number, ack: DhcpMessage, kind: "bound" | "renewed"): void {
    let lease: DhcpLease;
    try {
      lease = leaseFromMessage(ack, now);
    } catch (e) {
      if (e instanceof DhcpBadLeaseError) return this.refuse(e);
      throw e;
    }
    this.current = lease.serverId === undefined && this.offer ? { ...lease, serverId: this.offer.server } : lease;
    this.boundAt = now;
    this.st = "bound";
    this.attempts = 0;
    this.nextSendAt = this.timeline().t1;
    this.events.push({ type: kind, lease: this.current });
  }

  /** T1, T2 and expiry (absolute ms) of the current lease; Infinity for infinite or BOOTP leases. */
  private timeline(): { t1: number; t2: number; expiry: number } {
    const l = this.current!;
    if (l.leaseTime === undefined || l.leaseTime === INFINITE_LEASE) return { t1: Infinity, t2: Infinity, expiry: Infinity };
    const lease = l.leaseTime * 1000;
    const t1 = l.renewalTime !== undefined && l.renewalTime * 1000 < lease ? l.renewalTime * 1000 : lease * 0.5;
    let t2 = l.rebindingTime !== undefined && l.rebindingTime * 1000 < lease ? l.rebindingTime * 1000 : lease * 0.875;
    if (t2 < t1) t2 = t1;
    return { t1: this.boundAt + t1, t2: this.boundAt + t2, expiry: this.boundAt + lease };
  }

  private sendDiscover(now: number): DhcpTransmit {
    this.attempts++;
    this.nextSendAt = now + backoffDelay(this.config.backoff, this.attempts, this.random16());
    return this.transmit(ANY, BROADCAST, T.Discover, buildClientMessage(this.config, {
      type: T.Discover, xid: this.xid, secs: (now - this.startedAt) / 1000,
      requestedAddress: this.config.requestedAddress, broadcast: this.config.broadcast,
    }));
  }

  private sendRequest(now: number): DhcpTransmit {
    this.attempts++;
    this.nextSendAt = now + backoffDelay(this.config.backoff, this.attempts, this.random16());
    const o = this.offer!;
    return this.transmit(ANY, BROADCAST, T.Request, buildClientMessage(this.config, {
      type: T.Request, xid: this.xid, secs: (now - this.startedAt) / 1000,
      requestedAddress: o.address, serverId: o.server, broadcast: this.config.broadcast,
    }));
  }

  private sendRenewal(now: number, tl: { t2: number; expiry: number }): DhcpTransmit {
    const l = this.current!;
    // RFC 2131 §4.4.5: wait half the time remaining to T2 (or expiry), at least 60 s.
    const until = this.st === "renewing" ? tl.t2 : tl.expiry;
    this.nextSendAt = Math.min(until, now + Math.max(MIN_RENEW_RETRANSMIT_MS, (until - now) / 2));
    if (this.attempts++ === 0) this.xid = this.newXid();
    const unicast = this.st === "renewing" && l.serverId !== undefined;
    return this.transmit(l.address, unicast ? l.serverId! : BROADCAST, T.Request, buildClientMessage(this.config, {
      type: T.Request, xid: this.xid, secs: 0, ciaddr: l.address, broadcast: false,
    }));
  }

  private transmit(src: Ipv4, dst: Ipv4, type: number, m: DhcpMessage): DhcpTransmit {
    this.stats.sent++;
    const len = Math.max(BOOTP_MIN_LEN, dhcpMessage.encodingLength(m));
    const payload = new Uint8Array(len);
    dhcpMessage.encodeInto(m, payload, 0);
    return { src, srcPort: DHCP_CLIENT_PORT, dst, dstPort: DHCP_SERVER_PORT, payload, type };
  }
}
