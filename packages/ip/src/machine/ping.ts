import type { Ipv4Address } from "../wire/address.js";

/** Options of a ping run. */
export interface PingOptions {
  /** Echo requests to send. Default 3. */
  count?: number;
  /** Time between requests (ms). Default 1000. */
  intervalMs?: number;
  /** How long to wait for the last reply (ms). Default 2000. */
  timeoutMs?: number;
  /** Payload bytes per request. Default 56. */
  size?: number;
  /** TTL of the requests. Default 64. */
  ttl?: number;
}

/** One answered request. */
export interface PingReply {
  /** Sequence number. */
  seq: number;
  /** Round-trip time (ms). */
  rttMs: number;
  /** TTL of the reply. */
  ttl: number;
}

/** Result of a ping run, as plain data. */
export interface PingStats {
  /** The address pinged. */
  destination: Ipv4Address;
  /** Requests sent. */
  transmitted: number;
  /** Distinct replies received. */
  received: number;
  /** Replies received more than once. */
  duplicates: number;
  /** ICMP errors or send failures (e.g. ARP timeouts) received instead of replies. */
  errors: string[];
  /** Loss in percent (0..100). */
  lossPercent: number;
  /** Smallest RTT (ms), undefined without replies. */
  minMs: number | undefined;
  /** Mean RTT (ms). */
  avgMs: number | undefined;
  /** Largest RTT (ms). */
  maxMs: number | undefined;
  /** The replies in arrival order. */
  replies: PingReply[];
}

/**
 * One ping run as a state machine: `poll(now)` says which sequence number to
 * send when one is due; replies and errors are fed in; `done(now)` tells
 * when all requests went out and the last reply arrived or timed out.
 */
export class PingSession {
  /** Echo identifier. */
  readonly id: number;
  /** The address pinged. */
  readonly destination: Ipv4Address;
  /** The effective options. */
  readonly opts: Required<PingOptions>;
  private readonly sentAt = new Map<number, number>();
  private readonly replied = new Set<number>();
  private readonly replies: PingReply[] = [];
  private readonly errors: string[] = [];
  private duplicates = 0;
  private nextSeq = 0;
  private nextAt: number;
  private lastSentAt = 0;

  constructor(destination: Ipv4Address, id: number, start: number, opts: PingOptions = {}) {
    this.destination = destination;
    this.id = id & 0xffff;
    this.opts = { count: opts.count ?? 3, intervalMs: opts.intervalMs ?? 1000, timeoutMs: opts.timeoutMs ?? 2000, size: opts.size ?? 56, ttl: opts.ttl ?? 64 };
    this.nextAt = start;
  }

  /** The sequence number to send at `now`, if one is due (it is then marked sent). */
  due(now: number): number | undefined {
    if (this.nextSeq >= this.opts.count || now < this.nextAt) return undefined;
    const seq = this.nextSeq++;
    this.sentAt.set(seq, now);
    this.lastSentAt = now;
    this.nextAt = now + this.opts.intervalMs;
    return seq;
  }

  /** Feeds an echo reply. */
  reply(seq: number, ttl: number, now: number): void {
    const t = this.sentAt.get(seq);
    if (t === undefined) return;
    if (this.replied.has(seq)) {
      this.duplicates++;
      return;
    }
    this.replied.add(seq);
    this.replies.push({ seq, rttMs: now - t, ttl });
  }

  /** Feeds an error (ICMP unreachable, ARP timeout, ...) about a request. */
  error(message: string): void {
    this.errors.push(message);
  }

  /** True when nothing more can happen. */
  done(now: number): boolean {
    if (this.nextSeq < this.opts.count) return false;
    return this.replied.size >= this.opts.count || now >= this.lastSentAt + this.opts.timeoutMs;
  }

  /** The next time `due` or `done` may change. */
  nextDeadline(): number {
    return this.nextSeq < this.opts.count ? this.nextAt : this.lastSentAt + this.opts.timeoutMs;
  }

  /** Statistics so far. */
  stats(): PingStats {
    const rtts = this.replies.map((r) => r.rttMs);
    const n = this.nextSeq;
    return {
      destination: this.destination,
      transmitted: n,
      received: this.replied.size,
      duplicates: this.duplicates,
      errors: this.errors.slice(),
      lossPercent: n === 0 ? 0 : ((n - this.replied.size) / n) * 100,
      minMs: rtts.length ? Math.min(...rtts) : undefined,
      avgMs: rtts.length ? rtts.reduce((a, b) => a + b, 0) / rtts.length : undefined,
      maxMs: rtts.length ? Math.max(...rtts) : undefined,
      replies: this.replies.slice(),
    };
  }
}
