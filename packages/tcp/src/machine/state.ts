/** The connection states of RFC 9293 §3.3.2. */
export const TcpState = {
  /** No connection. */
  CLOSED: "CLOSED",
  /** Waiting for a SYN (passive open). */
  LISTEN: "LISTEN",
  /** Our SYN sent, waiting for SYN+ACK. */
  SYN_SENT: "SYN-SENT",
  /** SYN received and SYN+ACK sent (passive or simultaneous open). */
  SYN_RECEIVED: "SYN-RECEIVED",
  /** Data flows both ways. */
  ESTABLISHED: "ESTABLISHED",
  /** We closed; our FIN not yet acknowledged. */
  FIN_WAIT_1: "FIN-WAIT-1",
  /** Our FIN acknowledged; waiting for the peer's FIN. */
  FIN_WAIT_2: "FIN-WAIT-2",
  /** Both sides closed at once; waiting for the ACK of our FIN. */
  CLOSING: "CLOSING",
  /** Both FINs done; waiting out late duplicates. */
  TIME_WAIT: "TIME-WAIT",
  /** The peer closed; we may still send. */
  CLOSE_WAIT: "CLOSE-WAIT",
  /** The peer closed, then we did; waiting for the ACK of our FIN. */
  LAST_ACK: "LAST-ACK",
} as const;

/** One of the RFC 9293 connection states. */
export type TcpState = (typeof TcpState)[keyof typeof TcpState];

/** True in the states where sequence numbers are synchronised (after the handshake). */
export function isSynchronized(s: TcpState): boolean {
  return s !== TcpState.CLOSED && s !== TcpState.LISTEN && s !== TcpState.SYN_SENT && s !== TcpState.SYN_RECEIVED;
}
