/**
 * The link-driver interface every backend implements, modelled on the PXE
 * UNDI API (open/close/transmit/receive/information/statistics) and on
 * iPXE's net_device and smoltcp's Device.
 *
 * Ownership rules:
 * - transmit(frame): the driver copies (or fully consumes) `frame` before
 *   returning; the caller may reuse the buffer at once.
 * - poll(now, onFrame): each received frame handed to `onFrame` is a LEASE,
 *   valid only inside that callback. Copy whatever you keep.
 * - Misuse (oversize frame, transmit on a closed link) throws LinkError
 *   (see errors.ts); firmware failures throw PxeCallError.
 */
export interface LinkDriver {
  /** Static facts about the link; valid after construction. */
  readonly info: LinkInfo;
  /** Starts receiving frames that pass `filter`. Idempotent. */
  open(filter?: PacketFilter): void;
  /** Stops receiving and releases the device. Idempotent. */
  close(): void;
  /**
   * Sends one complete Ethernet II frame (destination MAC first, no FCS).
   * Frames longer than `info.mtu + 14` are rejected with LinkError.
   * Returns false when the device had no room and dropped the frame.
   */
  transmit(frame: Uint8Array): boolean;
  /**
   * Delivers frames that have arrived by `now` (milliseconds) to `onFrame`,
   * at most `budget` of them (default: all). Returns how many were delivered.
   * Never blocks.
   */
  poll(now: number, onFrame: (frame: Uint8Array) => void, budget?: number): number;
  /** Counters since open. */
  statistics(): LinkStatistics;
  /**
   * Optional, for event-driven backends (TAP): calls `listener` whenever a
   * frame becomes available to poll(); returns an unsubscribe function.
   * Backends driven only by time (UNDI, simulated) leave it out. A hint to
   * wake up, not a promise that poll() delivers (filters, impairments).
   */
  onReadable?(listener: () => void): () => void;
  /** Optional, like onReadable: resolves true once a frame is available, false after `timeoutMs`. */
  waitForFrame?(timeoutMs: number): Promise<boolean>;
}

/** Which frames a driver passes up, as PXE's UNDI packet filter bits. */
export interface PacketFilter {
  /** Frames addressed to our MAC. Default true. */
  directed?: boolean;
  /** Frames to ff:ff:ff:ff:ff:ff. Default true. */
  broadcast?: boolean;
  /** Multicast frames. Default false. */
  multicast?: boolean;
  /** Every frame on the wire. Default false. */
  promiscuous?: boolean;
}

/** Facts about a link, after UNDI's GET_INFORMATION. */
export interface LinkInfo {
  /** Our hardware address, 6 bytes. */
  readonly mac: Uint8Array;
  /** Largest payload after the 14-byte Ethernet header (1500 for Ethernet). */
  readonly mtu: number;
  /** ARP hardware type (1 = Ethernet). */
  readonly linkType: number;
  /** Human-readable driver name, e.g. "tap:tap0", "undi", "sim". */
  readonly name: string;
}

/** Counters in the spirit of PXENV_UNDI_GET_STATISTICS. */
export interface LinkStatistics {
  xmitGoodFrames: number;
  rcvGoodFrames: number;
  rcvCrcErrors: number;
  rcvResourceErrors: number;
  /** Frames dropped by the driver (no room, filter, too long). */
  dropped: number;
}
