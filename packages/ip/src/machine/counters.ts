/**
 * Why a received frame (or a datagram inside it) was dropped. Each dropped
 * frame is counted exactly once, under the reason of the layer that dropped
 * it. Transport layers add their own reasons (e.g. "portUnreachable").
 */
export type DropReason =
  | "truncated" // shorter than a header or a length field claims
  | "malformed" // fields that make no sense (version, lengths, ARP types)
  | "badChecksum" // IPv4 header, ICMP, UDP or TCP checksum wrong
  | "notForUs" // another MAC, another IP, ARP for someone else
  | "unknownEthertype" // neither IPv4 nor ARP
  | "unknownProtocol" // no handler for the IP protocol number
  | "martian" // impossible source address (broadcast, multicast)
  | "fragmentOverlap" // overlapping fragments that disagree, or inconsistent lengths
  | "reassemblyFull" // too many concurrent reassemblies or bytes held
  | "fragmentTooBig" // reassembled datagram would exceed 64 KiB
  | "unhandled" // a well-formed message we do not act on (e.g. ICMP types we ignore)
  | (string & {}); // transport-specific reasons

/** The verdict of a receive path: "ok" when the layer used the packet. */
export type Verdict = "ok" | DropReason;

/** Counters of one layer, as plain data for `stats`. */
export interface LayerCounters {
  /** Packets that reached this layer. */
  received: number;
  /** Packets this layer used or handed upward (received = delivered + sum of dropped). */
  delivered: number;
  /** Drops on receive, by reason. */
  dropped: Record<string, number>;
  /** Packets this layer sent. */
  sent: number;
  /** Packets this layer could not send, by reason. */
  sendFailed: Record<string, number>;
}

/** Mutable per-layer counters. */
export class Counters {
  /** The live numbers (read them through `snapshot()` to keep a copy). */
  readonly c: LayerCounters = { received: 0, delivered: 0, dropped: {}, sent: 0, sendFailed: {} };

  /** Counts one received packet with its verdict; returns the verdict. */
  account(v: Verdict): Verdict {
    this.c.received++;
    if (v === "ok") this.c.delivered++;
    else this.c.dropped[v] = (this.c.dropped[v] ?? 0) + 1;
    return v;
  }

  /** Counts one sent packet. */
  sent(n = 1): void {
    this.c.sent += n;
  }

  /** Counts a send that failed for `reason`. */
  sendFailed(reason: string, n = 1): void {
    this.c.sendFailed[reason] = (this.c.sendFailed[reason] ?? 0) + n;
  }

  /** Total drops on receive. */
  totalDropped(): number {
    let n = 0;
    for (const k in this.c.dropped) n += this.c.dropped[k];
    return n;
  }

  /** A deep copy of the counters. */
  snapshot(): LayerCounters {
    return { ...this.c, dropped: { ...this.c.dropped }, sendFailed: { ...this.c.sendFailed } };
  }
}
