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
  /**
   * Calls `listener` when frames arrive (Node's TapLink has it); returns a
   * function that removes it. Lets an idle loop sleep until traffic comes.
   */
  onReadable?(listener: () => void): () => void;
  /** Releases the device for good (TapLink: stops socat, closes the socket and pcap file). */
  dispose?(): void | Promise<void>;
  /** UNDI-style counters. */
  statistics(): {
    readonly xmitGoodFrames: number;
    readonly rcvGoodFrames: number;
    readonly rcvCrcErrors: number;
    readonly rcvResourceErrors: number;
    readonly dropped: number;
  };
}
