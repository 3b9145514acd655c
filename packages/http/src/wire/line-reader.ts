import { latin1 } from "@pxe/core";
import { HttpParseError } from "../errors.js";

/**
 * Collects one line (ending in LF, an optional CR before it removed) from
 * bytes that arrive in arbitrary pieces. Lines longer than `limit` are a
 * HttpParseError naming `part`.
 */
export class LineReader {
  private text = "";
  /** Creates a reader whose lines may be at most `limit` bytes (without CRLF). */
  constructor(private part: string, private limit: number) {}

  /** Changes the part name and limit used for the next lines. */
  reset(part: string, limit: number): void {
    this.text = "";
    this.part = part;
    this.limit = limit;
  }

  /**
   * Reads from data[start, end). Returns the completed line and the index
   * after its LF, or null line (and end) when more input is needed.
   * `streamOffset` is the stream position of data[0] (for errors).
   */
  read(data: Uint8Array, start: number, end: number, streamOffset: number): { line: string | null; next: number } {
    let i = start;
    while (i < end && data[i] !== 0x0a) i++;
    const piece = latin1(data, start, i);
    if (this.text.length + piece.length > this.limit + 1) {
      throw new HttpParseError(this.part, streamOffset + i, `line longer than ${this.limit} bytes`);
    }
    this.text += piece;
    if (i === end) return { line: null, next: end };
    let line = this.text;
    this.text = "";
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line.length > this.limit) throw new HttpParseError(this.part, streamOffset + i, `line longer than ${this.limit} bytes`);
    if (line.indexOf("\r") >= 0) throw new HttpParseError(this.part, streamOffset + i, "bare CR inside a line");
    return { line, next: i + 1 };
  }

  /** Bytes of an unfinished line held so far. */
  get pending(): number {
    return this.text.length;
  }
}
