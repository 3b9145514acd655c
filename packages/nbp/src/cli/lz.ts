/**
 * The NBP's compression format: an LZ77 byte format decoded by `lz_decode` in
 * platform/stub.asm. A stream is a run of sequences:
 *
 *     token   literal count (high nibble) and match length - 4 (low nibble);
 *             a nibble of 15 continues in the following bytes, each added,
 *             until a byte below 255
 *     literals
 *     offset  16-bit little endian, 1..65535 back from the output position
 *     (match length extension bytes)
 *
 * The last sequence has literals only (no offset).
 */

const MIN_MATCH = 4;
const WINDOW = 65535;
const HASH_BITS = 16;
const MAX_CHAIN = 48;

function hash4(d: Uint8Array, i: number): number {
  const v = (d[i] | (d[i + 1] << 8) | (d[i + 2] << 16) | (d[i + 3] << 24)) >>> 0;
  return Math.imul(v, 2654435761) >>> (32 - HASH_BITS);
}

class Out {
  buf: Uint8Array;
  n = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }
  byte(b: number): void {
    if (this.n === this.buf.length) {
      const nb = new Uint8Array(this.buf.length * 2);
      nb.set(this.buf);
      this.buf = nb;
    }
    this.buf[this.n++] = b;
  }
  ext(v: number): void {
    // v >= 15 was signalled in the nibble; write v - 15 as 255-runs.
    let r = v - 15;
    while (r >= 255) {
      this.byte(255);
      r -= 255;
    }
    this.byte(r);
  }
}

function emit(out: Out, src: Uint8Array, litStart: number, litEnd: number, offset: number, mlen: number): void {
  const lits = litEnd - litStart;
  const ml = mlen - MIN_MATCH;
  out.byte(((lits >= 15 ? 15 : lits) << 4) | (mlen === 0 ? 0 : ml >= 15 ? 15 : ml));
  if (lits >= 15) out.ext(lits);
  for (let i = litStart; i < litEnd; i++) out.byte(src[i]);
  if (mlen === 0) return;
  out.byte(offset & 0xff);
  out.byte(offset >> 8);
  if (ml >= 15) out.ext(ml);
}

/** Compresses `src` (hash chains, lazy matching by one byte). */
export function lzCompress(src: Uint8Array): Uint8Array {
  const n = src.length;
  const head = new Int32Array(1 << HASH_BITS).fill(-1);
  const prev = new Int32Array(n).fill(-1);
  const out = new Out(Math.max(64, n >> 1));
  let lit = 0;
  let i = 0;
  const insert = (p: number): void => {
    if (p + MIN_MATCH > n) return;
    const h = hash4(src, p);
    prev[p] = head[h];
    head[h] = p;
  };
  const best = (p: number): [number, number] => {
    if (p + MIN_MATCH > n) return [0, 0];
    let cand = head[hash4(src, p)];
    let bestLen = 0;
    let bestOff = 0;
    let chain = MAX_CHAIN;
    const max = n - p;
    while (cand >= 0 && p - cand <= WINDOW && chain-- > 0) {
      if (src[cand + bestLen] === src[p + bestLen]) {
        let l = 0;
        while (l < max && src[cand + l] === src[p + l]) l++;
        if (l > bestLen) {
          bestLen = l;
          bestOff = p - cand;
          if (l >= 4096) break;
        }
      }
      cand = prev[cand];
    }
    return bestLen >= MIN_MATCH ? [bestLen, bestOff] : [0, 0];
  };
  while (i < n) {
    let [len, off] = best(i);
    if (len > 0 && i + 1 < n) {
      insert(i);
      const [len2] = best(i + 1);
      if (len2 > len + 1) {
        i++;
        continue; // take the byte as a literal, match from i + 1 next round
      }
      emit(out, src, lit, i, off, len);
      for (let k = i + 1; k < i + len; k++) insert(k);
      i += len;
      lit = i;
      continue;
    }
    if (len > 0) {
      emit(out, src, lit, i, off, len);
      for (let k = i; k < i + len; k++) insert(k);
      i += len;
      lit = i;
      continue;
    }
    insert(i);
    i++;
  }
  emit(out, src, lit, n, 0, 0);
  return out.buf.slice(0, out.n);
}

/** Decompresses a stream made by lzCompress (for tests; the NBP decodes in assembly). */
export function lzDecompress(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let o = 0;
  let i = 0;
  while (i < src.length) {
    const t = src[i++];
    let lits = t >> 4;
    if (lits === 15) {
      let b: number;
      do {
        b = src[i++];
        lits += b;
      } while (b === 255);
    }
    out.set(src.subarray(i, i + lits), o);
    i += lits;
    o += lits;
    if (i >= src.length) break;
    const off = src[i] | (src[i + 1] << 8);
    i += 2;
    let ml = t & 15;
    if (ml === 15) {
      let b: number;
      do {
        b = src[i++];
        ml += b;
      } while (b === 255);
    }
    ml += MIN_MATCH;
    for (let k = 0; k < ml; k++, o++) out[o] = out[o - off];
  }
  if (o !== size) throw new Error(`lzDecompress: produced ${o} bytes, expected ${size}`);
  return out;
}
