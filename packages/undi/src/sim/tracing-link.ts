import { readU16be } from "@pxe/core";
import type { LinkDriver, LinkInfo, LinkStatistics, PacketFilter } from "../link.js";
import { macToString } from "../filter.js";

/** One traced frame. */
export interface TraceEvent {
  /** "tx" for transmit, "rx" for a frame delivered by poll. */
  direction: "tx" | "rx";
  /** Time (the latest poll's `now` for tx). */
  time: number;
  /** The frame: a lease, valid only inside the sink call. */
  frame: Uint8Array;
  /** For tx: whether the inner driver accepted it. */
  accepted?: boolean;
}

/** One-line summary of an Ethernet frame: "src > dst type 0x0806 len 42". */
export function describeFrame(frame: Uint8Array): string {
  if (frame.length < 14) return `runt len ${frame.length}`;
  const type = readU16be(frame, 12);
  return `${macToString(frame.subarray(6, 12))} > ${macToString(frame.subarray(0, 6))} type 0x${type.toString(16).padStart(4, "0")} len ${frame.length}`;
}

/** Wraps a LinkDriver and reports every frame in and out to `sink`. */
export class TracingLink implements LinkDriver {
  /** The inner driver's info. */
  readonly info: LinkInfo;
  private now = 0;

  /** Forwarded from the inner driver when it has it. */
  readonly onReadable?: (listener: () => void) => () => void;
  /** Forwarded from the inner driver when it has it. */
  readonly waitForFrame?: (timeoutMs: number) => Promise<boolean>;

  /** Wraps `inner`; `sink` sees each event synchronously. */
  constructor(readonly inner: LinkDriver, private readonly sink: (e: TraceEvent) => void) {
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

  /** Transmits through the inner driver, then reports the frame. */
  transmit(frame: Uint8Array): boolean {
    const ok = this.inner.transmit(frame);
    this.sink({ direction: "tx", time: this.now, frame, accepted: ok });
    return ok;
  }

  /** Polls the inner driver, reporting each frame before passing it on. */
  poll(now: number, onFrame: (frame: Uint8Array) => void, budget?: number): number {
    if (now > this.now) this.now = now;
    return this.inner.poll(now, (f) => {
      this.sink({ direction: "rx", time: now, frame: f });
      onFrame(f);
    }, budget);
  }

  /** The inner driver's counters. */
  statistics(): LinkStatistics {
    return this.inner.statistics();
  }
}

/** A TraceEvent sink writing one text line per frame through `write` (e.g. a Platform's console). */
export function lineTracer(write: (line: string) => void): (e: TraceEvent) => void {
  return (e) => write(`${e.time.toFixed(3)} ${e.direction} ${describeFrame(e.frame)}${e.accepted === false ? " (dropped)" : ""}\n`);
}
