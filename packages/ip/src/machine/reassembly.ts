import type { Ipv4Address } from "../wire/address.js";
import { IPV4_MAX_DATAGRAM } from "../wire/constants.js";

/** Limits of the reassembler. */
export interface ReassemblyOptions {
  /** Largest reassembled payload (bytes). Default 65515 (64 KiB datagram minus header). */
  maxPayload?: number;
  /** Datagrams being reassembled at once (the oldest is evicted to make room). Default 64. */
  maxConcurrent?: number;
  /** Fragment bytes held across all datagrams (the oldest datagrams are evicted to make room). Default 256 KiB. */
  maxBytes?: number;
  /** Time from the first fragment until an incomplete datagram is discarded (ms). Default 30 000. */
  timeoutMs?: number;
}

/** Identifies the datagram a fragment belongs to (RFC 791). */
export interface FragmentKey {
  /** Source address. */
  src: Ipv4Address;
  /** Destination address. */
  dst: Ipv4Address;
  /** Protocol number. */
  protocol: number;
  /** Identification field. */
  id: number;
}

/** Outcome of adding a fragment. */
export type ReassemblyResult =
  | { kind: "held" }
  | { kind: "complete"; payload: Uint8Array }
  | { kind: "dropped"; reason: "fragmentOverlap" | "reassemblyFull" | "fragmentTooBig" | "malformed" };
// "reassemblyFull": a single datagram's fragments exceed maxBytes (others are evicted first).

interface Piece {
  off: number;
  data: Uint8Array;
}
interface Entry {
  /** Sorted by offset, disjoint: each byte of the datagram is held at most once. */
  pieces: Piece[];
  total: number | undefined;
  /** Bytes held (= bytes of [0, total) covered, since pieces are disjoint). */
  bytes: number;
  expires: number;
}

/** Statistics of the reassembler. */
export interface ReassemblyStats {
  /** Datagrams completed. */
  reassembled: number;
  /** Incomplete datagrams discarded at their timeout. */
  timedOut: number;
  /** Datagrams discarded for overlap/inconsistency. */
  discarded: number;
  /** Incomplete datagrams evicted to make room for newer ones. */
  evicted: number;
  /** Datagrams in progress now. */
  inProgress: number;
  /** Fragment bytes held now. */
  bytesHeld: number;
  /** Held pieces looked at while adding fragments (binary-search probes and overlaps), in total: O(n log n) for n fragments. */
  piecesVisited: number;
}

/**
 * IPv4 fragment reassembly with bounded memory. Fragments may arrive in any
 * order and repeat; overlapping bytes must agree, else the whole datagram is
 * discarded. Fragment data is copied (the input is a lease). Each datagram
 * holds its bytes as sorted, disjoint pieces (only the new parts of a
 * fragment are kept), found by binary search: adding a fragment looks only
 * at the pieces it overlaps, so thousands of tiny fragments cost near-linear
 * time, and completeness is a byte count.
 */
export class Reassembler {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly st = { reassembled: 0, timedOut: 0, discarded: 0, evicted: 0, piecesVisited: 0 };
  /** The effective limits. */
  readonly opts: Required<ReassemblyOptions>;

  constructor(opts: ReassemblyOptions = {}) {
    this.opts = {
      maxPayload: opts.maxPayload ?? IPV4_MAX_DATAGRAM - 20,
      maxConcurrent: opts.maxConcurrent ?? 64,
      maxBytes: opts.maxBytes ?? 256 * 1024,
      timeoutMs: opts.timeoutMs ?? 30_000,
    };
  }

  /**
   * Adds the fragment carrying payload bytes [offset, offset + data.length)
   * of datagram `key`; `more` is the MF flag.
   */
  add(key: FragmentKey, offset: number, more: boolean, data: Uint8Array, now: number): ReassemblyResult {
    const end = offset + data.length;
    if (end > this.opts.maxPayload) return { kind: "dropped", reason: "fragmentTooBig" };
    if (more && (data.length === 0 || data.length % 8 !== 0)) return { kind: "dropped", reason: "malformed" };
    const k = `${key.src}/${key.dst}/${key.protocol}/${key.id}`;
    let e = this.entries.get(k);
    if (!e) {
      while (this.entries.size >= this.opts.maxConcurrent) this.evictOldest(undefined);
      e = { pieces: [], total: undefined, bytes: 0, expires: now + this.opts.timeoutMs };
      this.entries.set(k, e);
    }
    const ps = e.pieces;
    if (!more) {
      if (e.total !== undefined && e.total !== end) return this.discard(k, e);
      // A held piece reaching past the last fragment's end contradicts it (pieces are sorted: the last one reaches furthest).
      if (ps.length > 0 && ps[ps.length - 1].off + ps[ps.length - 1].data.length > end) return this.discard(k, e);
      e.total = end;
    }
    if (e.total !== undefined && end > e.total) return this.discard(k, e);
    // The held pieces overlapping [offset, end): from the first one ending after `offset` (binary search).
    let lo = 0, hi = ps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      this.st.piecesVisited++;
      if (ps[mid].off + ps[mid].data.length > offset) hi = mid;
      else lo = mid + 1;
    }
    const first = lo;
    const merged: Piece[] = [];
    let at = offset, fresh = 0, j = first;
    for (; j < ps.length && ps[j].off < end; j++) {
      const p = ps[j];
      this.st.piecesVisited++;
      if (p.off > at) {
        merged.push({ off: at, data: data.slice(at - offset, p.off - offset) });
        fresh += p.off - at;
      }
      const a = Math.max(p.off, offset), b = Math.min(p.off + p.data.length, end);
      for (let i = a; i < b; i++) if (p.data[i - p.off] !== data[i - offset]) return this.discard(k, e);
      merged.push(p);
      at = Math.max(at, p.off + p.data.length);
    }
    if (at < end) {
      merged.push({ off: at, data: data.slice(at - offset) });
      fresh += end - at;
    }
    if (fresh > 0) {
      if (e.bytes + fresh > this.opts.maxBytes) {
        this.remove(k, e);
        return { kind: "dropped", reason: "reassemblyFull" };
      }
      while (this.bytes + fresh > this.opts.maxBytes) this.evictOldest(e);
      if (j === ps.length && first === ps.length) for (const m of merged) ps.push(m); // in order: append
      else ps.splice(first, j - first, ...merged);
      e.bytes += fresh;
      this.bytes += fresh;
    }
    if (e.total !== undefined && ps.length > 0 && e.bytes === e.total) {
      const out = new Uint8Array(e.total);
      for (const p of ps) out.set(p.data, p.off);
      this.remove(k, e);
      this.st.reassembled++;
      return { kind: "complete", payload: out };
    }
    return { kind: "held" };
  }

  /** Discards datagrams whose time is up; returns how many. */
  poll(now: number): number {
    let n = 0;
    for (const [k, e] of this.entries) {
      if (now >= e.expires) {
        this.remove(k, e);
        n++;
      }
    }
    this.st.timedOut += n;
    return n;
  }

  /** The earliest expiry, if anything is held. */
  nextDeadline(): number | undefined {
    let t: number | undefined;
    for (const e of this.entries.values()) if (t === undefined || e.expires < t) t = e.expires;
    return t;
  }

  /** Counters and current occupancy. */
  stats(): ReassemblyStats {
    return { ...this.st, inProgress: this.entries.size, bytesHeld: this.bytes };
  }

  /** Evicts the oldest datagram other than `keep` (Map order is creation order). */
  private evictOldest(keep: Entry | undefined): void {
    for (const [k, e] of this.entries) {
      if (e === keep) continue;
      this.remove(k, e);
      this.st.evicted++;
      return;
    }
  }

  private discard(k: string, e: Entry): ReassemblyResult {
    this.remove(k, e);
    this.st.discarded++;
    return { kind: "dropped", reason: "fragmentOverlap" };
  }

  private remove(k: string, e: Entry): void {
    this.entries.delete(k);
    this.bytes -= e.bytes;
  }
}
