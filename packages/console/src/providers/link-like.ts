/**
 * The part of @pxe/undi's LinkDriver the console uses (facts, counters,
 * draining frames). Structural, so every LinkDriver fits and the console
 * itself does not depend on @pxe/undi.
 */
export interface LinkLike {
  /** Driver name, MAC and MTU. */
  readonly info: { readonly name: string; readonly mac: Uint8Array; readonly mtu: number };
  /** Starts receiving. */
  open(): void;
  /** Stops and releases the device. */
  close(): void;
  /** Sends one Ethernet frame; false when dropped. */
  transmit(frame: Uint8Array): boolean;
  /** Delivers received frames (leases valid only inside the callback). */
  poll(now: number, onFrame: (frame: Uint8Array) => void, budget?: number): number;
  /** UNDI-style counters. */
  statistics(): {
    readonly xmitGoodFrames: number;
    readonly rcvGoodFrames: number;
    readonly rcvCrcErrors: number;
    readonly rcvResourceErrors: number;
    readonly dropped: number;
  };
}
