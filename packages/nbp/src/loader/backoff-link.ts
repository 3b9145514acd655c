/**
 * A LinkDriver wrapper that leaves the device alone for a moment after a
 * poll found nothing. Inside QEMU every UNDI ISR call reaches the emulated
 * NIC's registers under QEMU's big lock; back-to-back empty polls starve
 * the thread that runs user-mode networking (slirp) and so slow down the
 * very frames we wait for. A skipped poll costs nothing and the stack's
 * loop keeps running (timers, the console) in between.
 */
import type { LinkDriver, LinkStatistics, PacketFilter } from "@pxe/undi";

/** Options of {@link BackoffLink}. */
export interface BackoffLinkOptions {
  /** Quiet time after an empty poll, ms (default 1). */
  readonly backoffMs?: number;
}

/** See the module comment. */
export class BackoffLink implements LinkDriver {
  /** Polls skipped because of the back-off. */
  skipped = 0;
  private quietUntil = -Infinity;
  private readonly backoffMs: number;

  /** Wraps `inner`; `now` comes with each poll. */
  constructor(readonly inner: LinkDriver, options: BackoffLinkOptions = {}) {
    this.backoffMs = options.backoffMs ?? 1;
  }

  /** @inheritdoc */
  get info(): LinkDriver["info"] {
    return this.inner.info;
  }

  /** @inheritdoc */
  open(filter?: PacketFilter): void {
    this.inner.open(filter);
  }

  /** @inheritdoc */
  close(): void {
    this.inner.close();
  }

  /** @inheritdoc A transmit ends the quiet time: an answer may follow soon. */
  transmit(frame: Uint8Array): boolean {
    this.quietUntil = -Infinity;
    return this.inner.transmit(frame);
  }

  /** @inheritdoc */
  poll(now: number, onFrame: (frame: Uint8Array) => void, budget?: number): number {
    if (now < this.quietUntil) {
      this.skipped++;
      return 0;
    }
    const n = this.inner.poll(now, onFrame, budget);
    this.quietUntil = n === 0 ? now + this.backoffMs : -Infinity;
    return n;
  }

  /** @inheritdoc */
  statistics(): LinkStatistics {
    return this.inner.statistics();
  }
}
