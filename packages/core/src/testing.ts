import fc from "fast-check";
import { expect } from "./expect.js";
import type { Codec } from "./codec.js";
import { WireError } from "./errors.js";

/**
 * Property: for any value from `arb`, decode(encode(x)) equals x, the
 * encoded length equals encodingLength, re-encoding is byte-stable, and
 * encoding at a nonzero offset writes only inside its slot.
 * `normalize` maps values to a comparable form (default: identity).
 */
export function roundTrip<T>(codec: Codec<T>, arb: fc.Arbitrary<T>, opts: { numRuns?: number; normalize?: (v: T) => unknown } = {}): void {
  const norm = opts.normalize ?? ((v: T) => v);
  fc.assert(
    fc.property(arb, fc.integer({ min: 1, max: 37 }), (value, pad) => {
      const len = codec.encodingLength(value);
      const out = new Uint8Array(len + pad * 2).fill(0xa5);
      const next = codec.encodeInto(value, out, pad);
      expect(next === pad + len, `encodeInto returned ${next}, expected ${pad + len}`);
      for (let i = 0; i < pad; i++) {
        expect(out[i] === 0xa5 && out[pad + len + i] === 0xa5, "encodeInto wrote outside its slot");
      }
      const dec = codec.decode(out, pad, pad + len);
      expect(dec.next === pad + len, `decode consumed to ${dec.next}, expected ${pad + len}`);
      expect(deepEqual(norm(dec.value), norm(value)), `decode(encode(x)) != x: ${show(dec.value)} vs ${show(value)}`);
      const again = new Uint8Array(len);
      codec.encodeInto(dec.value, again, 0);
      for (let i = 0; i < len; i++) expect(again[i] === out[pad + i], `re-encoding differs at byte ${i}`);
    }),
    { numRuns: opts.numRuns ?? 200 },
  );
}

/**
 * Property: decoding arbitrary bytes either succeeds or throws the typed
 * WireError (or `errorClass`), never anything else.
 */
export function rejectsOnlyTyped(decodeFn: (data: Uint8Array) => unknown, opts: { numRuns?: number; maxLength?: number; errorClass?: new (...a: never[]) => Error } = {}): void {
  const cls = opts.errorClass ?? WireError;
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: opts.maxLength ?? 1600 }), (data) => {
      try {
        decodeFn(data);
      } catch (e) {
        if (!(e instanceof cls)) throw new Error(`decoder threw ${String(e)} instead of ${cls.name}`);
      }
    }),
    { numRuns: opts.numRuns ?? 500 },
  );
}

/**
 * Independent reference for the Internet checksum (RFC 1071): the 16-bit
 * big-endian words of `data` (an odd last byte padded with zero) summed as
 * a BigInt, folded to 16 bits and complemented. Slow and obviously right:
 * what the fast `internetChecksum` and the protocol checksums are tested against.
 */
export function referenceChecksum(data: Uint8Array): number {
  let s = 0n;
  for (let i = 0; i < data.length; i += 2) s += BigInt(data[i] * 256 + (i + 1 < data.length ? data[i + 1] : 0));
  while (s > 0xffffn) s = (s & 0xffffn) + (s >> 16n);
  return Number(~s & 0xffffn);
}

/**
 * `referenceChecksum` over the IPv4 pseudo-header (RFC 768, RFC 793 §3.1:
 * source, destination, zero, protocol, length of `segment`) followed by
 * `segment` (its checksum field zeroed by the caller), as UDP and TCP sum it.
 */
export function referencePseudoChecksum(src: number, dst: number, protocol: number, segment: Uint8Array): number {
  const ph = new Uint8Array(12 + segment.length);
  const dv = new DataView(ph.buffer);
  dv.setUint32(0, src);
  dv.setUint32(4, dst);
  ph[9] = protocol;
  dv.setUint16(10, segment.length);
  ph.set(segment, 12);
  return referenceChecksum(ph);
}

/** Structural equality over plain data, arrays and typed arrays. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? `u8[${Array.from(x).join(",")}]` : typeof x === "bigint" ? `${x}n` : x));
}

/**
 * Independent reference for CRC-32 (RFC 1952 §8): one bit at a time,
 * dividing by the reflected IEEE polynomial 0xEDB88320 from a register
 * preset to all ones, complemented at the end. Slow and obviously right:
 * what the table-driven `crc32` is tested against.
 */
export function referenceCrc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    c ^= data[i];
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
