import { SeededRandom } from "@pxe/core";
import type { LinkDriver, LinkInfo, LinkStatistics, PacketFilter } from "../link.js";
import { checkTransmit } from "../errors.js";
import { passesFilter } from "../filter.js";
import { ImpairedQueue, type ImpairmentCounters, type Impairments } from "./impairments.js";

/** Options of a simulated point-to-point Ethernet link. */
export interface SimLinkOptions {
  /** Seed of every random decision (default 1). */
  seed?: number;
  /** MTU of both ends (default 1500). */
  mtu?: number;
  /** MAC of end A (default 02:00:00:00:00:0a). */
  macA?: Uint8Array;
  /** MAC of end B (default 02:00:00:00:00:0b). */
  macB?: Uint8Array;
  /** Impairments of frames A sends to B. */
  aToB?: Impairments;
  /** Impairments of frames B sends to A. */
  bToA?: Impairments;
}

/**
 * Two connected Ethernet endpoints (`a`, `b`), each a LinkDriver, with
 * seeded loss / duplicate / reorder / corrupt / delay per direction, driven
 * by explicit time: a frame transmitted is stamped with the link's current
 * time (the latest `now` any endpoint was polled with, or set with
 * advance()), and poll(now) delivers what is due by `now`.
 */
export class SimLink {
  /** End A. */
  readonly a: SimEndpoint;
  /** End B. */
  readonly b: SimEndpoint;
  /** The link's clock in ms. */
  now = 0;
  /** Frames from A to B. */
  readonly aToB: ImpairedQueue;
  /** Frames from B to A. */
  readonly bToA: ImpairedQueue;

  /** Builds the link; both directions get their own random stream from `seed`. */
  constructor(options: SimLinkOptions = {}) {
    const seed = options.seed ?? 1;
    const mtu = options.mtu ?? 1500;
    this.aToB = new ImpairedQueue(options.aToB ?? {}, new SeededRandom(seed));
    this.bToA = new ImpairedQueue(options.bToA ?? {}, new SeededRandom((seed ^ 0x5bd1e995) >>> 0));
    this.a = new SimEndpoint(this, "sim:a", options.macA ?? Uint8Array.of(2, 0, 0, 0, 0, 0x0a), mtu, this.aToB, this.bToA);
    this.b = new SimEndpoint(this, "sim:b", options.macB ?? Uint8Array.of(2, 0, 0, 0, 0, 0x0b), mtu, this.bToA, this.aToB);
  }

  /** Moves the link clock forward to `now` (never backwards). */
  advance(now: number): void {
    if (now > this.now) this.now = now;
  }

  /** Impairment counters of both directions. */
  counters(): { aToB: ImpairmentCounters; bToA: ImpairmentCounters } {
    return { aToB: { ...this.aToB.counters }, bToA: { ...this.bToA.counters } };
  }

  /** The earliest time a frame is due in either direction (for event-driven drivers). */
  nextDue(): number | undefined {
    const x = this.aToB.nextDue();
    const y = this.bToA.nextDue();
    if (x === undefined) return y;
    if (y === undefined) return x;
    return Math.min(x, y);
  }
}

/** One end of a SimLink. */
export class SimEndpoint implements LinkDriver {
  /** MAC, MTU, link type 1, name. */
  readonly info: LinkInfo;
  private filter: PacketFilter | null = null;
  private readonly stats: LinkStatistics = { xmitGoodFrames: 0, rcvGoodFrames: 0, rcvCrcErrors: 0, rcvResourceErrors: 0, dropped: 0 };

  /** Made by SimLink. */
  constructor(private readonly link: SimLink, name: string, mac: Uint8Array, mtu: number, private readonly out: ImpairedQueue, private readonly inq: ImpairedQueue) {
    this.info = { mac: mac.slice(), mtu, linkType: 1, name };
  }

  /** Starts receiving frames that pass `filter`. */
  open(filter: PacketFilter = {}): void {
    this.filter = { ...filter };
  }

  /** Stops receiving; frames arriving while closed are dropped. */
  close(): void {
    this.filter = null;
  }

  /** Copies the frame onto the wire at the link's current time. False when the direction's queue is full. */
  transmit(frame: Uint8Array): boolean {
    checkTransmit(this.info, this.filter !== null, frame, true);
    if (!this.out.push(this.link.now, frame)) {
      this.stats.dropped++;
      return false;
    }
    this.stats.xmitGoodFrames++;
    return true;
  }

  /** Advances the link clock to `now` and delivers the frames due, filtered. */
  poll(now: number, onFrame: (frame: Uint8Array) => void, budget = Infinity): number {
    this.link.advance(now);
    let n = 0;
    const f = this.filter;
    const take = (frame: Uint8Array) => {
      if (!f || !passesFilter(frame, this.info.mac, f)) {
        this.stats.dropped++;
        return;
      }
      this.stats.rcvGoodFrames++;
      n++;
      onFrame(frame);
    };
    while (n < budget && this.inq.popDue(now, take, 1) === 1) {
      // one frame at a time, so filtered frames do not use up the budget
    }
    return n;
  }

  /** Counters since construction. */
  statistics(): LinkStatistics {
    return { ...this.stats };
  }
}

/** Convenience: a SimLink's two ends as a pair. */
export function createSimLinkPair(options: SimLinkOptions = {}): [SimEndpoint, SimEndpoint, SimLink] {
  const l = new SimLink(options);
  return [l.a, l.b, l];
}
