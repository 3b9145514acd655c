/**
 * Reassembles a received frame the UNDI hands over in pieces: the first
 * piece announces FrameLength, each piece brings BufferLength bytes.
 * Frames longer than `maxFrame` are consumed and discarded (oversize).
 */
export class Reassembly {
  private readonly buf: Uint8Array;
  private total = 0;
  private have = 0;
  private discarding = false;
  private active = false;

  /** `maxFrame` is the largest frame accepted (MTU + 14). */
  constructor(readonly maxFrame: number) {
    this.buf = new Uint8Array(maxFrame);
  }

  /** True while a frame is partly assembled. */
  get inProgress(): boolean {
    return this.active;
  }

  /** Drops any partial frame. */
  reset(): void {
    this.active = false;
    this.discarding = false;
    this.total = 0;
    this.have = 0;
  }

  /**
   * Adds a piece of `length` bytes of a frame of `frameLength` bytes (the
   * latter is read from the first piece only). `read` fetches the piece's
   * bytes and is called only when they are kept: never for a piece that is
   * inconsistent or part of a frame being skipped. Returns "more" while
   * incomplete, "frame" when complete (see frame()), "oversize" when a
   * too-long frame has been fully skipped, "error" for an inconsistent piece
   * (the partial frame is dropped).
   */
  add(frameLength: number, length: number, read: () => Uint8Array): "more" | "frame" | "oversize" | "error" {
    if (!this.active) {
      if (frameLength === 0) return "error";
      this.active = true;
      this.total = frameLength;
      this.have = 0;
      this.discarding = frameLength > this.maxFrame;
    }
    if (length === 0 || this.have + length > this.total) {
      this.reset();
      return "error";
    }
    if (!this.discarding) {
      const piece = read();
      if (piece.length !== length) {
        this.reset();
        return "error";
      }
      this.buf.set(piece, this.have);
    }
    this.have += length;
    if (this.have < this.total) return "more";
    const oversize = this.discarding;
    this.active = false;
    this.discarding = false;
    return oversize ? "oversize" : "frame";
  }

  /** The last completed frame: a view valid until the next add(). */
  frame(): Uint8Array {
    return this.buf.subarray(0, this.total);
  }
}
