import { SeededRandom } from "@pxe/core";
import type { LinkDriver, LinkInfo, LinkStatistics, PacketFilter } from "../link.js";
import { checkTransmit } from "../errors.js";
import { ImpairedQueue, type ImpairmentCounters, type Impairments } from "./impairments.js";

/** Options of the impairing wrapper. */
export interface ImpairedLinkOptions {
  /** Seed (default 1). */
  seed?: number;
  /** Impairments on the way out (transmit). */
  tx?: Impairments;
  /** Impairments on the way in (receive). */
  rx?: Impairments;
}

/**
 * Wraps ANY LinkDriver with seeded impairments in each direction, like a
 * smoltcp phy middleware. Transmitted frames are held until due (by the
 * latest poll time) and then passed to the inner driver; received frames
 * are taken from the inner driver at poll time and delivered when due.
 */
export class ImpairedLink implements LinkDriver {
  /** The inner driver's info. */
  readonly info: LinkInfo;
  /** Outgoing direction. */
  readonly txQueue: ImpairedQueue;
  /** Incoming direction. */
  readonly rxQueue: ImpairedQueue;
  private now = 0;

  /** Forwarded from the inner driver when it has it. */
  readonly onReadable?: (listener: () => void) => () => void;
  /** Forwarded from the inner driver when it has it. */
  readonly waitForFrame?: (timeoutMs: number) => Promise<boolean>;
  private txDropped = 0;

  /** Wraps `inner`. */
  constructor(readonly inner: LinkDriver, options: ImpairedLinkOptions = {}) {
    this.info = inner.info;
    if (inner.onReadable) this.onReadable = (l) => inner.onReadable!(l);
    if (inner.waitForFrame) this.waitForFrame = (ms) => inner.waitForFrame!(ms);
    const seed = options.seed ?? 1;
    this.txQueue = new ImpairedQueue(options.tx ?? {}, new SeededRandom(seed));
    this.rxQueue = new ImpairedQueue(options.rx ?? {}, new SeededRandom((seed ^ 0x27d4eb2d) >>> 0));
  }

  /** Opens the inner driver. */
  open(filter?: PacketFilter): void {
    this.inner.open(filter);
  }

  /** Closes the inner driver and drops frames in flight. */
  close(): void {
    this.txQueue.clear();
    this.rxQueue.clear();
    this.inner.close();
  }

  /** Queues the frame (copied) under the tx impairments; sends it now if it is already due. */
  transmit(frame: Uint8Array): boolean {
    checkTransmit(this.info, true, frame);
    if (!this.txQueue.push(this.now, frame)) return false;
    this.flushTx();
    return true;
  }

  private flushTx(): void {
    this.txQueue.popDue(this.now, (f) => {
      if (!this.inner.transmit(f)) this.txDropped++;
    });
  }

  /** Sends due frames, pulls everything from the inner driver, delivers due received frames. */
  poll(now: number, onFrame: (frame: Uint8Array) => void, budget = Infinity): number {
    if (now > this.now) this.now = now;
    this.flushTx();
    this.inner.poll(now, (f) => void this.rxQueue.push(this.now, f));
    return this.rxQueue.popDue(this.now, onFrame, budget);
  }

  /** The inner driver's counters, with frames the impairments lost added to `dropped`. */
  statistics(): LinkStatistics {
    const s = this.inner.statistics();
    return { ...s, dropped: s.dropped + this.txDropped + this.txQueue.counters.lost + this.rxQueue.counters.lost };
  }

  /** What the impairments did in each direction. */
  counters(): { tx: ImpairmentCounters; rx: ImpairmentCounters } {
    return { tx: { ...this.txQueue.counters }, rx: { ...this.rxQueue.counters } };
  }
}
