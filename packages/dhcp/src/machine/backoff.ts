/** Retransmission timing of RFC 2131 §4.1. */
export interface BackoffConfig {
  /** Delay after the first transmission, ms (RFC: 4 s). */
  readonly initialMs: number;
  /** Cap on the doubled delay, ms (RFC: 64 s). */
  readonly maxMs: number;
  /** Uniform jitter added, in [-jitterMs, +jitterMs] (RFC: 1 s). */
  readonly jitterMs: number;
}

/** RFC 2131's defaults: 4 s doubling to 64 s, ±1 s. */
export const RFC2131_BACKOFF: BackoffConfig = { initialMs: 4000, maxMs: 64000, jitterMs: 1000 };

/**
 * Delay before retransmission number `attempt` (1 = after the first send):
 * initial·2^(attempt-1) capped at max, plus jitter from `random16` (a
 * uniform 16-bit value). Never below 1 ms.
 */
export function backoffDelay(cfg: BackoffConfig, attempt: number, random16: number): number {
  const base = Math.min(cfg.maxMs, cfg.initialMs * Math.pow(2, Math.max(0, attempt - 1)));
  const jitter = cfg.jitterMs === 0 ? 0 : Math.round(((random16 / 0xffff) * 2 - 1) * cfg.jitterMs);
  return Math.max(1, base + jitter);
}
