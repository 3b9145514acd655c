/**
 * Runtime settings of a connection. Every field has a default
 * (`DEFAULT_TCP_CONFIG`); pass a partial object to override.
 */
export interface TcpConfig {
  /** Receive buffer = largest receive window, bytes (>= 1 MiB recommended; default 1 MiB). The window-scale shift is computed from it. */
  readonly recvBufferSize: number;
  /** Send buffer, bytes: `send()` accepts at most this much unacknowledged data (default 256 KiB). */
  readonly sendBufferSize: number;
  /** MSS we announce (default 1460 = Ethernet MTU 1500 - 40). */
  readonly mss: number;
  /** Offer RFC 7323 timestamps (default true). */
  readonly timestamps: boolean;
  /** Offer SACK-permitted and report SACK blocks (default true). */
  readonly sack: boolean;
  /** Offer window scaling (default true; without it the window caps at 65535). */
  readonly windowScaling: boolean;
  /** Drop segments with a timestamp older than the last one (PAWS, RFC 7323 §5; default true). */
  readonly paws: boolean;
  /** Initial RTO before any RTT sample, ms (RFC 6298: 1000). */
  readonly initialRtoMs: number;
  /**
   * Lower bound of the RTO, ms. RFC 6298 says 1 s; we use 200 ms like Linux
   * because a boot loader talks over LANs where 1 s would stall every loss.
   */
  readonly minRtoMs: number;
  /** Upper bound of the RTO and of persist-probe intervals, ms (default 60 s). */
  readonly maxRtoMs: number;
  /** SYN retransmissions before `TcpTimeoutError` (default 5: 1+2+4+8+16+32 s = 63 s with a 1 s initial RTO). */
  readonly synRetries: number;
  /** Data retransmissions (RTO expiries in a row) before `TcpTimeoutError` (default 10). */
  readonly maxRetries: number;
  /** Delayed-ACK timer, ms: we ACK every 2nd full segment or after this long (default 40). */
  readonly ackDelayMs: number;
  /**
   * TIME-WAIT duration, ms (default 1000). RFC 9293 asks for 2*MSL (minutes);
   * a boot loader opens few connections from random ephemeral ports and
   * random ISNs with timestamps, so old duplicates are not a practical risk,
   * while holding ports and buffers for minutes is.
   */
  readonly timeWaitMs: number;
  /**
   * How long a released connection (`release()`: the application is gone)
   * waits in FIN-WAIT-2 for the peer's FIN before it is dropped, ms
   * (default 10 000; Linux's tcp_fin_timeout is 60 s).
   */
  readonly finWait2TimeoutMs: number;
  /**
   * Zero-window probes an orphaned connection (`release()`d, still holding
   * data or a FIN the peer's shut window keeps out) sends before it gives up
   * with TcpTimeoutError phase "orphan" and frees its buffers (default 8,
   * what Linux does for orphans with tcp_orphan_retries=0: minutes, not hours).
   */
  readonly orphanProbes: number;
  /**
   * Most challenge ACKs (RFC 5961 §3, §4: answers to an in-window RST or a
   * SYN in a synchronised state) per second and connection; more are not
   * sent (RFC 5961 §7). Default 10.
   */
  readonly challengeAckLimit: number;
  /** Duplicate ACKs that trigger fast retransmit (default 3). */
  readonly dupAckThreshold: number;
  /** Initial congestion window in segments (RFC 6928: 10). */
  readonly initialCwndSegments: number;
  /**
   * Largest window we advertise, bytes, however much buffer is free (like
   * Linux's TCP_WINDOW_CLAMP); 0 = no clamp (default). For a link that can
   * hold only a few frames between polls: a sender's burst after an ACK is
   * as large as the window it was given, and frames beyond what the link
   * holds are lost (pxehttp.0 clamps to 16 segments for QEMU's e1000 under
   * iPXE, whose receive ring plus one refill hold 16 frames).
   */
  readonly windowClamp: number;
}

/** The defaults described on each `TcpConfig` field. */
export const DEFAULT_TCP_CONFIG: TcpConfig = {
  recvBufferSize: 1 << 20,
  sendBufferSize: 256 << 10,
  mss: 1460,
  timestamps: true,
  sack: true,
  windowScaling: true,
  paws: true,
  initialRtoMs: 1000,
  minRtoMs: 200,
  maxRtoMs: 60_000,
  synRetries: 5,
  maxRetries: 10,
  ackDelayMs: 40,
  timeWaitMs: 1000,
  finWait2TimeoutMs: 10_000,
  orphanProbes: 8,
  challengeAckLimit: 10,
  dupAckThreshold: 3,
  initialCwndSegments: 10,
  windowClamp: 0,
};

/** Smallest shift such that 65535 << shift covers `bufferSize` (max 14). */
export function windowScaleFor(bufferSize: number): number {
  let s = 0;
  while (s < 14 && 65535 * 2 ** s < bufferSize) s++;
  return s;
}
