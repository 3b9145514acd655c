/**
 * Retransmission-timeout estimator of RFC 6298: SRTT/RTTVAR from samples,
 * RTO = SRTT + max(G, 4*RTTVAR) clamped to [minRto, maxRto], doubled on
 * every expiry (`backoff`) until a new sample arrives.
 */
export class RttEstimator {
  /** Smoothed RTT, ms (undefined before the first sample). */
  srtt: number | undefined;
  /** RTT variance, ms. */
  rttvar = 0;
  private base: number;
  private shift = 0;

  /** Starts with `initialRto` (RFC 6298: 1 s), bounds [minRto, maxRto]. */
  constructor(
    initialRto: number,
    private readonly minRto: number,
    private readonly maxRto: number,
    /** Clock granularity G, ms. */
    private readonly granularity = 1,
  ) {
    this.base = initialRto;
  }

  /** Current RTO including backoff, ms. */
  get rto(): number {
    return Math.min(this.maxRto, this.base * 2 ** this.shift);
  }

  /** Number of backoffs since the last sample. */
  get backoffs(): number {
    return this.shift;
  }

  /** Feeds one RTT measurement (ms) and resets the backoff. */
  sample(rtt: number): void {
    if (!(rtt >= 0)) return;
    if (this.srtt === undefined) {
      this.srtt = rtt;
      this.rttvar = rtt / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rtt);
      this.srtt = 0.875 * this.srtt + 0.125 * rtt;
    }
    this.base = Math.min(this.maxRto, Math.max(this.minRto, this.srtt + Math.max(this.granularity, 4 * this.rttvar)));
    this.shift = 0;
  }

  /** Doubles the RTO after an expiry (RFC 6298 §5.5). */
  backoff(): void {
    if (this.base * 2 ** this.shift < this.maxRto) this.shift++;
  }

  /** Clears the backoff (a new ACK arrived) without a sample. */
  resetBackoff(): void {
    this.shift = 0;
  }
}
