import { formatIpv4, type Ipv4Address } from "../wire/address.js";

/** Tunables of the ARP cache. */
export interface ArpOptions {
  /** How long a learned entry stays valid (ms). Default 60 000. */
  entryTtlMs?: number;
  /** Requests sent before giving up. Default 3. */
  tries?: number;
  /** Time between requests (ms). Default 1000. */
  retryIntervalMs?: number;
  /** Before expiry, in-use entries are refreshed by a unicast request this early (ms). Default 5000. */
  refreshBeforeMs?: number;
  /** Packets queued per unresolved address. Default 16. */
  queueLimit?: number;
  /** Resolved entries kept at most (the soonest-expiring is evicted). Default 256. */
  maxEntries?: number;
  /** Addresses being resolved at once at most. Default 32. */
  maxPending?: number;
}

/** An ARP cache row as plain data (for the `arp` console command). */
export interface ArpEntry {
  /** The IPv4 address. */
  address: Ipv4Address;
  /** Its MAC, or undefined while still resolving. */
  mac: Uint8Array | undefined;
  /** "reachable" (learned) or "pending" (requests outstanding). */
  state: "reachable" | "pending";
  /** When a reachable entry expires, or when the next request goes out. */
  deadline: number;
  /** Requests sent so far (pending entries). */
  tries: number;
  /** Packets waiting (pending entries). */
  queued: number;
}

/** An address that did not answer: its queued packets are handed back. */
export interface ArpFailure<P> {
  /** The address that did not answer. */
  address: Ipv4Address;
  /** Requests sent. */
  tries: number;
  /** The packets that were waiting for it. */
  packets: P[];
}

/** What `poll` wants done. */
export interface ArpPollResult<P> {
  /** Send a (re)request for each of these. */
  retry: Ipv4Address[];
  /** Give up on these. */
  failed: ArpFailure<P>[];
}

interface Resolved {
  mac: Uint8Array;
  expires: number;
  refreshing: boolean;
}
interface Pending<P> {
  tries: number;
  next: number;
  queue: P[];
}

/**
 * The ARP cache and resolver as a pure state machine (no I/O): learned
 * entries age out after `entryTtlMs`; an unresolved address gets `tries`
 * requests `retryIntervalMs` apart, holds at most `queueLimit` packets, and
 * fails (handing its packets back) when the last request goes unanswered.
 * `P` is whatever the caller queues (frames plus their owner).
 */
export class ArpCache<P> {
  private readonly resolved = new Map<Ipv4Address, Resolved>();
  private readonly pending = new Map<Ipv4Address, Pending<P>>();
  /** The effective options. */
  readonly opts: Required<ArpOptions>;

  constructor(opts: ArpOptions = {}) {
    this.opts = {
      entryTtlMs: opts.entryTtlMs ?? 60_000,
      tries: opts.tries ?? 3,
      retryIntervalMs: opts.retryIntervalMs ?? 1000,
      refreshBeforeMs: opts.refreshBeforeMs ?? 5000,
      queueLimit: opts.queueLimit ?? 16,
      maxEntries: opts.maxEntries ?? 256,
      maxPending: opts.maxPending ?? 32,
    };
  }

  /** The MAC of `ip` if known and not expired at `now` (expired entries are removed). */
  lookup(ip: Ipv4Address, now: number): Uint8Array | undefined {
    const e = this.resolved.get(ip);
    if (!e) return undefined;
    if (now >= e.expires) {
      this.resolved.delete(ip);
      return undefined;
    }
    return e.mac;
  }

  /**
   * True once per learned entry when it is in use within `refreshBeforeMs`
   * of expiring: the caller then sends a unicast request to the known MAC,
   * so a busy entry is renewed by the reply instead of lapsing mid-transfer.
   */
  needsRefresh(ip: Ipv4Address, now: number): boolean {
    const e = this.resolved.get(ip);
    if (!e || e.refreshing || now < e.expires - this.opts.refreshBeforeMs || now >= e.expires) return false;
    e.refreshing = true;
    return true;
  }

  /** True while requests for `ip` are outstanding. */
  isPending(ip: Ipv4Address): boolean {
    return this.pending.has(ip);
  }

  /**
   * Learns `ip` -> `mac` (copied) valid until now + entryTtlMs. Returns the
   * packets that were waiting for it, to send now.
   */
  insert(ip: Ipv4Address, mac: Uint8Array, now: number): P[] {
    if (!this.resolved.has(ip) && this.resolved.size >= this.opts.maxEntries) this.evictOne();
    this.resolved.set(ip, { mac: mac.slice(0, 6), expires: now + this.opts.entryTtlMs, refreshing: false });
    const p = this.pending.get(ip);
    if (!p) return [];
    this.pending.delete(ip);
    return p.queue;
  }

  /**
   * RFC 826's merge step: refreshes `ip` only if it is already known (and
   * not expired at `now`) or being resolved. Returns released packets (as insert) or undefined when
   * nothing was known about `ip`.
   */
  update(ip: Ipv4Address, mac: Uint8Array, now: number): P[] | undefined {
    if (this.lookup(ip, now) === undefined && !this.pending.has(ip)) return undefined;
    return this.insert(ip, mac, now);
  }

  /**
   * Queues `packet` until `ip` resolves. Returns "request" when a first
   * request should go out now, "queued" when one is already outstanding,
   * "full" when the packet was not queued (queue or pending table full).
   */
  enqueue(ip: Ipv4Address, packet: P, now: number): "request" | "queued" | "full" {
    const p = this.pending.get(ip);
    if (p) {
      if (p.queue.length >= this.opts.queueLimit) return "full";
      p.queue.push(packet);
      return "queued";
    }
    if (this.pending.size >= this.opts.maxPending) return "full";
    this.pending.set(ip, { tries: 1, next: now + this.opts.retryIntervalMs, queue: [packet] });
    return "request";
  }

  /** Advances time: which addresses need another request, which have failed. */
  poll(now: number): ArpPollResult<P> {
    const retry: Ipv4Address[] = [];
    const failed: ArpFailure<P>[] = [];
    for (const [ip, p] of this.pending) {
      if (now < p.next) continue;
      if (p.tries >= this.opts.tries) {
        this.pending.delete(ip);
        failed.push({ address: ip, tries: p.tries, packets: p.queue });
      } else {
        p.tries++;
        p.next = now + this.opts.retryIntervalMs;
        retry.push(ip);
      }
    }
    for (const [ip, e] of this.resolved) if (now >= e.expires) this.resolved.delete(ip);
    return { retry, failed };
  }

  /** The earliest time `poll` has something to do, if any. */
  nextDeadline(): number | undefined {
    let t: number | undefined;
    for (const p of this.pending.values()) if (t === undefined || p.next < t) t = p.next;
    return t;
  }

  /** Forgets `ip` (resolved or pending; pending packets are discarded and returned). */
  delete(ip: Ipv4Address): P[] {
    this.resolved.delete(ip);
    const p = this.pending.get(ip);
    this.pending.delete(ip);
    return p ? p.queue : [];
  }

  /** All rows as plain data, expired ones left out. */
  entries(now: number): ArpEntry[] {
    const out: ArpEntry[] = [];
    for (const [address, e] of this.resolved) {
      if (now < e.expires) out.push({ address, mac: e.mac.slice(), state: "reachable", deadline: e.expires, tries: 0, queued: 0 });
    }
    for (const [address, p] of this.pending) out.push({ address, mac: undefined, state: "pending", deadline: p.next, tries: p.tries, queued: p.queue.length });
    return out.sort((a, b) => a.address - b.address);
  }

  private evictOne(): void {
    let victim: Ipv4Address | undefined;
    let t = Infinity;
    for (const [ip, e] of this.resolved) if (e.expires < t) ((t = e.expires), (victim = ip));
    if (victim !== undefined) this.resolved.delete(victim);
  }

  /** Debug text of one address's state. */
  describe(ip: Ipv4Address): string {
    const e = this.resolved.get(ip);
    if (e) return `${formatIpv4(ip)} reachable until ${e.expires}`;
    const p = this.pending.get(ip);
    return p ? `${formatIpv4(ip)} pending (${p.tries} tries)` : `${formatIpv4(ip)} unknown`;
  }
}
