/**
 * TCP sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4). Every
 * comparison of sequence or acknowledgment numbers in this package goes
 * through these helpers: `a < b` means "a comes before b" on the circle,
 * i.e. the signed 32-bit distance b - a is positive. Valid while the two
 * numbers are less than 2^31 apart, which TCP's window limits guarantee.
 */

/** `a + n` modulo 2^32 (n may be negative). */
export function add(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** Signed distance `a - b` in [-2^31, 2^31): how far `a` is ahead of `b`. */
export function sub(a: number, b: number): number {
  return (a - b) | 0;
}

/** True when `a` comes strictly before `b`. */
export function lt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** True when `a` comes before `b` or equals it. */
export function le(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** True when `a` comes strictly after `b`. */
export function gt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/** True when `a` comes after `b` or equals it. */
export function ge(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}

/** The later of two sequence numbers. */
export function max(a: number, b: number): number {
  return gt(a, b) ? a : b;
}

/** The earlier of two sequence numbers. */
export function min(a: number, b: number): number {
  return lt(a, b) ? a : b;
}

/** True when `lo <= x < hi` on the circle (an empty range when lo == hi). */
export function inRange(x: number, lo: number, hi: number): boolean {
  return ((x - lo) >>> 0) < ((hi - lo) >>> 0);
}
