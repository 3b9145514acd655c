import type { LinkLike } from "../providers/link-like.js";

/**
 * A stand-in link for `pxe --sim`: accepts and counts transmitted frames,
 * never receives. Lets the console (show/stats) run without a TAP device.
 */
export class NullLink implements LinkLike {
  /** A locally administered MAC, MTU 1500, driver name "sim". */
  readonly info = { mac: Uint8Array.from([0x02, 0, 0, 0, 0, 1]), mtu: 1500, linkType: 1, name: "sim" };
  private readonly stats = { xmitGoodFrames: 0, rcvGoodFrames: 0, rcvCrcErrors: 0, rcvResourceErrors: 0, dropped: 0 };

  /** Nothing to open. */
  open(): void {}
  /** Nothing to close. */
  close(): void {}
  /** Counts the frame and drops it. */
  transmit(frame: Uint8Array): boolean {
    void frame;
    this.stats.xmitGoodFrames++;
    return true;
  }
  /** Never has a frame. */
  poll(): number {
    return 0;
  }
  /** The counters. */
  statistics(): ReturnType<LinkLike["statistics"]> {
    return { ...this.stats };
  }
}
