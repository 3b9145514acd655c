import type { KeepAliveDecision } from "../wire/keep-alive.js";

/** Settings of a ConnectionPool. */
export interface PoolOptions<C> {
  /** Most idle connections kept per key (default 4). */
  readonly maxIdlePerKey?: number;
  /** Idle lifetime without a server hint, ms (default 4000: below Apache's 5 s). */
  readonly defaultIdleMs?: number;
  /** Subtracted from a Keep-Alive timeout hint, ms (default 1000). */
  readonly marginMs?: number;
  /** Closes a connection the pool drops. */
  readonly close: (conn: C) => void;
}

interface Idle<C> {
  readonly conn: C;
  readonly expiresAt: number;
  readonly requestsLeft: number | null;
}

/**
 * Sans-IO keep-alive pool: idle connections per key (origin, or proxy),
 * reused newest first, dropped when the server's Keep-Alive timeout (less
 * a margin) or our default idle time passes, when max requests are used
 * up, or when the response left any doubt (the KeepAliveDecision says
 * not reusable). The caller passes `now` (ms).
 */
export class ConnectionPool<C> {
  private readonly idle = new Map<string, Idle<C>[]>();
  private readonly maxIdle: number;
  private readonly defaultIdleMs: number;
  private readonly marginMs: number;

  /** Creates an empty pool. */
  constructor(private readonly opts: PoolOptions<C>) {
    this.maxIdle = opts.maxIdlePerKey ?? 4;
    this.defaultIdleMs = opts.defaultIdleMs ?? 4000;
    this.marginMs = opts.marginMs ?? 1000;
  }

  /** An idle, unexpired connection for `key`, removed from the pool; null when none. */
  take(key: string, now: number): { conn: C; requestsLeft: number | null } | null {
    const list = this.idle.get(key);
    while (list && list.length) {
      const e = list.pop()!;
      if (e.expiresAt > now) return { conn: e.conn, requestsLeft: e.requestsLeft };
      this.opts.close(e.conn);
    }
    return null;
  }

  /**
   * Returns a connection after a complete response. Keeps it when the
   * decision says reusable and requests remain; closes it otherwise.
   * Returns true when kept. `requestsLeft` counts down Keep-Alive max.
   */
  put(key: string, conn: C, decision: KeepAliveDecision, now: number, requestsLeft: number | null = null): boolean {
    let left = decision.maxRequests !== null ? decision.maxRequests : requestsLeft === null ? null : requestsLeft - 1;
    if (left !== null && left < 0) left = 0;
    if (!decision.reusable || left === 0) {
      this.opts.close(conn);
      return false;
    }
    const life = decision.idleTimeoutMs !== null ? Math.max(0, decision.idleTimeoutMs - this.marginMs) : this.defaultIdleMs;
    if (life <= 0) {
      this.opts.close(conn);
      return false;
    }
    const list = this.idle.get(key) ?? [];
    list.push({ conn, expiresAt: now + life, requestsLeft: left });
    while (list.length > this.maxIdle) this.opts.close(list.shift()!.conn);
    this.idle.set(key, list);
    return true;
  }

  /** Closes idle connections that expired by `now`. */
  evict(now: number): void {
    for (const [k, list] of this.idle) {
      const keep = list.filter((e) => {
        if (e.expiresAt > now) return true;
        this.opts.close(e.conn);
        return false;
      });
      if (keep.length) this.idle.set(k, keep);
      else this.idle.delete(k);
    }
  }

  /** Number of idle connections for `key` (all keys when omitted). */
  idleCount(key?: string): number {
    if (key !== undefined) return this.idle.get(key)?.length ?? 0;
    let n = 0;
    for (const l of this.idle.values()) n += l.length;
    return n;
  }

  /** Closes every idle connection. */
  closeAll(): void {
    for (const list of this.idle.values()) for (const e of list) this.opts.close(e.conn);
    this.idle.clear();
  }
}
