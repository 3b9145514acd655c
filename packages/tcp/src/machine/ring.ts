/**
 * A byte ring buffer: readable bytes [0, length) counted from the head, and
 * free space after them that may be written out of order (`writeAt`) before
 * it is made readable (`commit`). Copies use TypedArray.set on at most two
 * spans, never per-byte loops.
 */
export class ByteRing {
  private readonly buf: Uint8Array;
  private head = 0;
  private len = 0;

  /** Creates a ring holding at most `capacity` bytes. */
  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
  }

  /** Total size. */
  get capacity(): number {
    return this.buf.length;
  }
  /** Readable bytes. */
  get length(): number {
    return this.len;
  }
  /** Space after the readable bytes. */
  get free(): number {
    return this.buf.length - this.len;
  }

  /**
   * Copies `data[start, end)` to position `length + offset` (beyond the
   * readable bytes) without making it readable. The caller guarantees
   * `offset + (end - start) <= free`.
   */
  writeAt(offset: number, data: Uint8Array, start = 0, end = data.length): void {
    const cap = this.buf.length;
    let pos = this.head + this.len + offset;
    if (pos >= cap) pos -= cap;
    const n = end - start;
    const first = Math.min(n, cap - pos);
    this.buf.set(first === data.length ? data : data.subarray(start, start + first), pos);
    if (first < n) this.buf.set(data.subarray(start + first, end), 0);
  }

  /** Makes `n` more bytes (already written by `writeAt`) readable. */
  commit(n: number): void {
    this.len += n;
  }

  /** Appends as much of `data` as fits; returns the count. */
  push(data: Uint8Array): number {
    const n = Math.min(data.length, this.free);
    if (n > 0) {
      this.writeAt(0, data, 0, n);
      this.len += n;
    }
    return n;
  }

  /** Copies up to `into.length` readable bytes into `into` (from `at`) and consumes them; returns the count. */
  read(into: Uint8Array, at = 0): number {
    const n = Math.min(into.length - at, this.len);
    this.copyOut(0, n, into, at);
    this.consume(n);
    return n;
  }

  /** Drops `n` readable bytes from the head. */
  consume(n: number): void {
    this.head += n;
    if (this.head >= this.buf.length) this.head -= this.buf.length;
    this.len -= n;
    // The head is NOT reset when empty: out-of-order bytes may sit beyond it.
  }

  /** Copies readable bytes [offset, offset+n) into `into` at `at`. */
  copyOut(offset: number, n: number, into: Uint8Array, at: number): void {
    const cap = this.buf.length;
    let pos = this.head + offset;
    if (pos >= cap) pos -= cap;
    const first = Math.min(n, cap - pos);
    into.set(this.buf.subarray(pos, pos + first), at);
    if (first < n) into.set(this.buf.subarray(0, n - first), at + first);
  }

  /**
   * Readable bytes [offset, offset+n): a view into the ring when they are
   * contiguous (valid until the ring changes), else a copy.
   */
  view(offset: number, n: number): Uint8Array {
    const cap = this.buf.length;
    let pos = this.head + offset;
    if (pos >= cap) pos -= cap;
    if (pos + n <= cap) return this.buf.subarray(pos, pos + n);
    const out = new Uint8Array(n);
    this.copyOut(offset, n, out, 0);
    return out;
  }
}
