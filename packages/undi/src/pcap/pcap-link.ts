import type { LinkDriver, LinkInfo, LinkStatistics, PacketFilter } from "../link.js";
import type { PcapWriter } from "./writer.js";

/**
 * Wraps a LinkDriver and writes every frame transmitted (that the inner
 * driver accepted) and every frame delivered by poll to a PcapWriter, in the
 * order the user saw them. Transmit times are the latest poll's `now`.
 */
export class PcapLink implements LinkDriver {
  /** The inner driver's info. */
  readonly info: LinkInfo;
  private now = 0;

  /** Forwarded from the inner driver when it has it. */
  readonly onReadable?: (listener: () => void) => () => void;
  /** Forwarded from the inner driver when it has it. */
  readonly waitForFrame?: (timeoutMs: number) => Promise<boolean>;

  /** Wraps `inner`, writing to `writer`. */
  constructor(readonly inner: LinkDriver, readonly writer: PcapWriter) {
    this.info = inner.info;
    if (inner.onReadable) this.onReadable = (l) => inner.onReadable!(l);
    if (inner.waitForFrame) this.waitForFrame = (ms) => inner.waitForFrame!(ms);
  }

  /** Opens the inner driver. */
  open(filter?: PacketFilter): void {
    this.inner.open(filter);
  }

  /** Closes the inner driver. */
  close(): void {
    this.inner.close();
  }

  /** Transmits; records the frame if the inner driver took it. */
  transmit(frame: Uint8Array): boolean {
    const ok = this.inner.transmit(frame);
    if (ok) this.writer.write(this.now, frame);
    return ok;
  }

  /** Polls; records each frame before passing it on. */
  poll(now: number, onFrame: (frame: Uint8Array) => void, budget?: number): number {
    if (now > this.now) this.now = now;
    return this.inner.poll(now, (f) => {
      this.writer.write(now, f);
      onFrame(f);
    }, budget);
  }

  /** The inner driver's counters. */
  statistics(): LinkStatistics {
    return this.inner.statistics();
  }
}
