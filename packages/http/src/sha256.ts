import type { Accelerators } from "@pxe/core";
// Int32Array keeps every value in V8's small-integer range (Uint32 values
// above 2^31 would be boxed doubles), which makes the rounds several times faster.
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** The native block compression a Platform may offer (@pxe/core Accelerators.sha256Blocks). */
export type Sha256BlocksAccelerator = NonNullable<Accelerators["sha256Blocks"]>;

let defaultBlocks: Sha256BlocksAccelerator | undefined;

/**
 * Streaming SHA-256 (FIPS 180-4): `update` with bytes as they arrive,
 * `digest` once at the end. No Node crypto, so it runs in the NBP's engine
 * too. The block compression is pure TypeScript unless a native one is
 * given (the constructor's `accel`, or the process-wide default set by
 * {@link Sha256.useAccelerators} from a Platform's `accel`); padding and
 * length stay here either way.
 */
export class Sha256 {
  /**
   * Makes every Sha256 created afterwards without an explicit `accel` use
   * `accel.sha256Blocks` when present (the NBP calls this with its
   * Platform's accelerators); `undefined` goes back to pure TypeScript.
   */
  static useAccelerators(accel: Accelerators | undefined): void {
    defaultBlocks = accel?.sha256Blocks ? accel.sha256Blocks.bind(accel) : undefined;
  }

  private readonly h = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  /** The same 8 words as `h`, unsigned, for the native compression. */
  private readonly h32 = new Uint32Array(this.h.buffer);
  private readonly blocks: Sha256BlocksAccelerator | undefined;
  private readonly block = new Uint8Array(64);
  private readonly w = new Int32Array(64);
  private fill = 0;
  private length = 0;
  private finished = false;

  /** `accel`: native block compression (default: the one set by useAccelerators, if any). */
  constructor(accel?: Accelerators) {
    this.blocks = accel?.sha256Blocks ? accel.sha256Blocks.bind(accel) : defaultBlocks;
  }

  /** Adds bytes to the hash; returns this for chaining. */
  update(data: Uint8Array): this {
    if (this.finished) throw new Error("Sha256: update after digest");
    let i = 0;
    this.length += data.length;
    if (this.fill > 0) {
      const n = Math.min(64 - this.fill, data.length);
      this.block.set(data.subarray(0, n), this.fill);
      this.fill += n;
      i = n;
      if (this.fill < 64) return this;
      this.compress(this.block, 0);
      this.fill = 0;
    }
    const whole = i + ((data.length - i) & ~63);
    if (this.blocks && whole > i) {
      this.blocks(this.h32, data, i, whole);
      i = whole;
    }
    for (; i + 64 <= data.length; i += 64) this.compress(data, i);
    if (i < data.length) {
      this.block.set(data.subarray(i), 0);
      this.fill = data.length - i;
    }
    return this;
  }

  /** Finishes and returns the 32-byte digest (the object cannot be updated afterwards). */
  digest(): Uint8Array {
    if (!this.finished) {
      const bits = this.length * 8;
      const pad = new Uint8Array(((this.fill < 56 ? 56 : 120) - this.fill) + 8);
      pad[0] = 0x80;
      const hi = Math.floor(bits / 0x100000000);
      const lo = bits >>> 0;
      const n = pad.length;
      pad[n - 8] = hi >>> 24; pad[n - 7] = hi >>> 16; pad[n - 6] = hi >>> 8; pad[n - 5] = hi;
      pad[n - 4] = lo >>> 24; pad[n - 3] = lo >>> 16; pad[n - 2] = lo >>> 8; pad[n - 1] = lo;
      const len = this.length;
      this.update(pad);
      this.length = len;
      this.finished = true;
    }
    const out = new Uint8Array(32);
    for (let i = 0; i < 8; i++) {
      out[i * 4] = this.h[i] >>> 24;
      out[i * 4 + 1] = this.h[i] >>> 16;
      out[i * 4 + 2] = this.h[i] >>> 8;
      out[i * 4 + 3] = this.h[i];
    }
    return out;
  }

  /** The digest as lower-case hex. */
  hex(): string {
    const d = this.digest();
    let s = "";
    for (let i = 0; i < d.length; i++) s += (d[i] < 16 ? "0" : "") + d[i].toString(16);
    return s;
  }

  private compress(p: Uint8Array, off: number): void {
    if (this.blocks) {
      this.blocks(this.h32, p, off, off + 64);
      return;
    }
    compressTs(this.h, this.w, p, off);
  }
}

/**
 * The pure-TS SHA-256 compression of the 64-byte block at `p[off]` into the
 * state `h` (8 words), with `w` as the 64-word message schedule scratch.
 * Exported (as sha256CompressTs) as the reference a native accelerator must match.
 */
export function compressTs(h: Int32Array | Uint32Array, w: Int32Array, p: Uint8Array, off: number): void {
  for (let t = 0; t < 16; t++) {
    const j = off + t * 4;
    w[t] = (p[j] << 24) | (p[j + 1] << 16) | (p[j + 2] << 8) | p[j + 3];
  }
  for (let t = 16; t < 64; t++) {
    const a = w[t - 15], b = w[t - 2];
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
  }
  let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (hh + S1 + ch + K[t] + w[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
  h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + hh) | 0;
}

/** SHA-256 of `data` in one call. */
export function sha256(data: Uint8Array): Uint8Array {
  return new Sha256().update(data).digest();
}

/** SHA-256 of `data` as lower-case hex. */
export function sha256Hex(data: Uint8Array): string {
  return new Sha256().update(data).hex();
}
