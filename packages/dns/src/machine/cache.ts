import { lowerAscii } from "../wire/name.js";

/** What the cache knows about (name, type). */
export type DnsCacheEntry =
  | { readonly kind: "records"; readonly values: readonly string[]; readonly expires: number }
  | { readonly kind: "cname"; readonly target: string; readonly expires: number }
  | { readonly kind: "nodata"; readonly expires: number }
  | { readonly kind: "nxdomain"; readonly expires: number };

/** Limits of a {@link DnsCache}. */
export interface DnsCacheOptions {
  /** Most entries kept; the least recently used go first (default 256). */
  readonly maxEntries?: number;
  /** Cap on positive TTLs, seconds (default 1 day). */
  readonly maxTtl?: number;
  /** Cap on negative TTLs, seconds (default 3 hours, RFC 2308 §5). */
  readonly maxNegativeTtl?: number;
}

const NX = -1;

/**
 * A bounded TTL cache for resolver results, keyed by lower-cased name and
 * type: address sets, CNAME links, and negative answers (NODATA per type,
 * NXDOMAIN for every type of a name) as RFC 2308 describes. Time is given
 * by the caller in milliseconds.
 */
export class DnsCache {
  private readonly map = new Map<string, DnsCacheEntry>();
  private readonly maxEntries: number;
  private readonly maxTtl: number;
  private readonly maxNegativeTtl: number;

  /** Creates an empty cache. */
  constructor(opts: DnsCacheOptions = {}) {
    this.maxEntries = Math.max(1, opts.maxEntries ?? 256);
    this.maxTtl = opts.maxTtl ?? 86400;
    this.maxNegativeTtl = opts.maxNegativeTtl ?? 10800;
  }

  /** Number of entries held (expired ones included until touched). */
  get size(): number {
    return this.map.size;
  }

  /**
   * The live entry for (name, type) at `now`: an NXDOMAIN for the name
   * first, then the entry for the type, then a CNAME for the name.
   */
  get(now: number, name: string, type: number): DnsCacheEntry | undefined {
    return this.live(now, key(name, NX)) ?? this.live(now, key(name, type)) ?? this.live(now, key(name, 5));
  }

  /** Caches an address set (or other values) for `ttl` seconds. */
  putRecords(now: number, name: string, type: number, values: readonly string[], ttl: number): void {
    this.put(now, key(name, type), { kind: "records", values: values.slice(), expires: now + this.clamp(ttl, this.maxTtl) });
  }

  /** Caches a CNAME link. */
  putCname(now: number, name: string, target: string, ttl: number): void {
    this.put(now, key(name, 5), { kind: "cname", target, expires: now + this.clamp(ttl, this.maxTtl) });
  }

  /** Caches "no record of this type" (NODATA) for `ttl` seconds. */
  putNoData(now: number, name: string, type: number, ttl: number): void {
    this.put(now, key(name, type), { kind: "nodata", expires: now + this.clamp(ttl, this.maxNegativeTtl) });
  }

  /** Caches "no such name" (NXDOMAIN) for every type. */
  putNxDomain(now: number, name: string, ttl: number): void {
    this.put(now, key(name, NX), { kind: "nxdomain", expires: now + this.clamp(ttl, this.maxNegativeTtl) });
  }

  /** Forgets everything. */
  clear(): void {
    this.map.clear();
  }

  private clamp(ttl: number, cap: number): number {
    // RFC 2181 §8: a TTL with the top bit set counts as zero.
    const t = ttl >= 0x80000000 ? 0 : ttl;
    return Math.min(t, cap) * 1000;
  }

  private live(now: number, k: string): DnsCacheEntry | undefined {
    const e = this.map.get(k);
    if (!e) return undefined;
    if (e.expires <= now) {
      this.map.delete(k);
      return undefined;
    }
    this.map.delete(k);
    this.map.set(k, e);
    return e;
  }

  private put(now: number, k: string, e: DnsCacheEntry): void {
    // Newer data replaces older (RFC 2181 §5.4.1), even when it may not be cached itself (TTL 0).
    this.map.delete(k);
    if (e.expires <= now) return;
    this.map.set(k, e);
    while (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value as string);
  }
}

function key(name: string, type: number): string {
  return `${lowerAscii(name)}\u0000${type}`;
}
