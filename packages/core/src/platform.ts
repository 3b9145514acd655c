/**
 * The small set of host services core packages may use. Core code never
 * touches Node built-ins, Date.now, setTimeout or Math.random: everything
 * time- or host-dependent comes through a Platform, so the same code runs on
 * Node and inside the NBP's embedded engine.
 */
export interface Platform {
  /** Monotonic milliseconds (may be fractional). */
  now(): number;
  /** Fills `out` with random bytes (need not be cryptographic). */
  randomBytes(out: Uint8Array): void;
  /** Writes text to the user's console (no newline added). */
  write(text: string): void;
  /** Optional native accelerators; each has a pure-TS fallback. */
  readonly accel?: Accelerators;
}

/** Native fast paths a host may offer. Results must equal the TS fallbacks. */
export interface Accelerators {
  /**
   * Unfolded 32-bit ones'-complement sum of bytes [start, end) of `data`
   * added to `initial`, as in RFC 1071 (big-endian 16-bit words, an odd last
   * byte padded with zero). The caller folds and complements.
   */
  onesSum?(data: Uint8Array, start: number, end: number, initial: number): number;
  /**
   * SHA-256 (FIPS 180-4) block compression: runs the compression function
   * over the whole 64-byte blocks `data[start, end)` ((end - start) is a
   * multiple of 64), updating the 8 working words of `state` in place
   * (H0..H7 as unsigned 32-bit numbers). No padding, no length: the caller
   * does those. The result must equal running the TS compression block by block.
   */
  sha256Blocks?(state: Uint32Array, data: Uint8Array, start: number, end: number): void;
}
