/**
 * NewReno congestion control (RFC 5681 + RFC 6582), byte-counted: slow start
 * below ssthresh, congestion avoidance above, fast recovery after
 * duplicate ACKs with partial-ACK handling, and a collapse to one segment
 * on a retransmission timeout.
 */
export class NewReno {
  /** Congestion window, bytes. */
  cwnd: number;
  /** Slow-start threshold, bytes. */
  ssthresh = 0x7fffffff;
  /** In fast recovery until `recover` is acknowledged. */
  inRecovery = false;
  /** Highest sequence sent when recovery began (RFC 6582 "recover"). */
  recover = 0;
  private caAcc = 0;

  /** Starts with `initialSegments` segments of `mss` bytes. */
  constructor(
    private mss: number,
    initialSegments: number,
  ) {
    this.cwnd = mss * initialSegments;
  }

  /** Updates the segment size (after the handshake), rescaling the initial window. */
  setMss(mss: number, initialSegments: number): void {
    this.mss = mss;
    this.cwnd = mss * initialSegments;
  }

  /** New data acknowledged outside recovery. */
  onAck(acked: number): void {
    if (this.cwnd < this.ssthresh) {
      this.cwnd += Math.min(acked, this.mss);
    } else {
      this.caAcc += acked;
      if (this.caAcc >= this.cwnd) {
        this.caAcc -= this.cwnd;
        this.cwnd += this.mss;
      }
    }
  }

  /** Third duplicate ACK: enter fast recovery (`flight` = bytes outstanding, `highest` = snd_max). */
  onFastRetransmit(flight: number, highest: number): void {
    this.ssthresh = Math.max(flight >> 1, 2 * this.mss);
    this.cwnd = this.ssthresh + 3 * this.mss;
    this.inRecovery = true;
    this.recover = highest;
  }

  /** A further duplicate ACK during recovery inflates the window. */
  onDupAckInRecovery(): void {
    this.cwnd += this.mss;
  }

  /** Partial ACK during recovery (RFC 6582 §3.2 step 5): deflate by `acked`, add one segment. */
  onPartialAck(acked: number): void {
    this.cwnd = Math.max(this.mss, this.cwnd - acked + this.mss);
  }

  /** Full ACK ends recovery (`flight` = bytes still outstanding). */
  onRecoveryEnd(flight: number): void {
    this.cwnd = Math.min(this.ssthresh, Math.max(flight, this.mss) + this.mss);
    this.inRecovery = false;
  }

  /** Retransmission timeout: one segment, half the flight as threshold. */
  onTimeout(flight: number): void {
    this.ssthresh = Math.max(flight >> 1, 2 * this.mss);
    this.cwnd = this.mss;
    this.inRecovery = false;
    this.caAcc = 0;
  }
}
