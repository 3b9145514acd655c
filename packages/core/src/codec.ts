/** Result of a decode: the value and the offset just past it. */
export interface Decoded<T> {
  readonly value: T;
  readonly next: number;
}

/**
 * The one codec shape used everywhere (dns-packet's, without mutable
 * globals). `encodeInto` writes at `offset` and returns the offset after the
 * last byte written; `decode` reads [offset, end) and throws only WireError.
 */
export interface Codec<T> {
  /** Exact number of bytes `encodeInto` writes for `value`. */
  encodingLength(value: T): number;
  /** Writes `value` at `offset` of `out`; returns the next offset. */
  encodeInto(value: T, out: Uint8Array, offset: number): number;
  /** Reads a value from bytes [offset, end) of `data`. */
  decode(data: Uint8Array, offset: number, end: number): Decoded<T>;
}

/** Encodes `value` into a fresh buffer of exactly the right length. */
export function encode<T>(codec: Codec<T>, value: T): Uint8Array {
  const out = new Uint8Array(codec.encodingLength(value));
  codec.encodeInto(value, out, 0);
  return out;
}

/** Decodes a whole buffer; trailing bytes are allowed and ignored. */
export function decode<T>(codec: Codec<T>, data: Uint8Array): T {
  return codec.decode(data, 0, data.length).value;
}
