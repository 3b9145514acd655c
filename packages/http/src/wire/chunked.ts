import { asciiBytes, concat } from "@pxe/core";
import { HttpParseError } from "../errors.js";
import type { FieldLimits } from "./field-lines.js";
import { DEFAULT_FIELD_LIMITS, FieldSection } from "./field-lines.js";
import type { HeaderField } from "./headers.js";
import { LineReader } from "./line-reader.js";

/** Longest chunk-size line accepted (size, extensions), in bytes. */
export const MAX_CHUNK_LINE = 4096;

const CHUNK_EXT = /^[ \t]*(;[ \t]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+([ \t]*=[ \t]*([!#$%&'*+\-.^_`|~0-9A-Za-z]+|"([^"\\]|\\.)*"))?[ \t]*)*$/;

type State = "size" | "data" | "data-cr" | "data-lf" | "trailers" | "done";

/** What one call to ChunkedDecoder.feed produced. */
export interface ChunkedOutput {
  /** Bytes consumed from the input (the rest belongs to the next message). */
  readonly consumed: number;
  /** Body data, as views into the input. */
  readonly data: Uint8Array[];
  /** Trailer fields, once the last chunk and trailer section are complete. */
  readonly trailers: HeaderField[] | null;
}

/**
 * Incremental decoder of the chunked transfer coding (RFC 9112 §7.1):
 * chunk sizes in hex (at most 13 digits), chunk extensions parsed and
 * ignored, CRLF (or bare LF) after each chunk, the trailer section after
 * the last chunk. Input may be split anywhere. Throws HttpParseError.
 */
export class ChunkedDecoder {
  private state: State = "size";
  private remaining = 0;
  private readonly line = new LineReader("chunk size", MAX_CHUNK_LINE);
  private trailerSection: FieldSection;
  /** Stream offset of the first byte fed (for error positions). */
  private pos: number;
  /** Total decoded body bytes so far. */
  bodyBytes = 0;

  /** `startOffset` is the stream position of the first byte (for errors). */
  constructor(private readonly limits: FieldLimits = DEFAULT_FIELD_LIMITS, startOffset = 0) {
    this.pos = startOffset;
    this.trailerSection = new FieldSection("trailer", limits);
  }

  /** True after the last chunk and the trailer section. */
  get done(): boolean {
    return this.state === "done";
  }

  /** Decodes data[start, end); stops at the end of the chunked body. */
  feed(data: Uint8Array, start = 0, end = data.length): ChunkedOutput {
    const out: Uint8Array[] = [];
    let trailers: HeaderField[] | null = null;
    let i = start;
    const base = this.pos - start;
    while (i < end && this.state !== "done") {
      switch (this.state) {
        case "size": {
          const r = this.line.read(data, i, end, base);
          i = r.next;
          if (r.line === null) break;
          const m = /^([0-9a-fA-F]+)(.*)$/.exec(r.line);
          if (!m) throw new HttpParseError("chunk size", base + i, `bad chunk size line ${JSON.stringify(r.line.slice(0, 40))}`);
          if (m[1].length > 13) throw new HttpParseError("chunk size", base + i, "chunk size too large");
          if (!CHUNK_EXT.test(m[2])) throw new HttpParseError("chunk size", base + i, "bad chunk extension");
          this.remaining = parseInt(m[1], 16);
          if (this.remaining === 0) {
            this.state = "trailers";
            this.line.reset("trailer", limits(this.limits));
          } else this.state = "data";
          break;
        }
        case "data": {
          const n = Math.min(this.remaining, end - i);
          out.push(data.subarray(i, i + n));
          this.bodyBytes += n;
          this.remaining -= n;
          i += n;
          if (this.remaining === 0) this.state = "data-cr";
          break;
        }
        case "data-cr":
          if (data[i] === 0x0d) {
            i++;
            this.state = "data-lf";
          } else if (data[i] === 0x0a) {
            i++;
            this.state = "size";
          } else throw new HttpParseError("chunk", base + i, "chunk data not followed by CRLF");
          break;
        case "data-lf":
          if (data[i] !== 0x0a) throw new HttpParseError("chunk", base + i, "chunk data not followed by CRLF");
          i++;
          this.state = "size";
          this.line.reset("chunk size", MAX_CHUNK_LINE);
          break;
        case "trailers": {
          const at = base + i;
          const r = this.line.read(data, i, end, base);
          i = r.next;
          if (r.line === null) break;
          if (r.line === "") {
            this.state = "done";
            trailers = this.trailerSection.list();
          } else this.trailerSection.addLine(r.line, at);
          break;
        }
      }
    }
    this.pos += i - start;
    return { consumed: i - start, data: out, trailers };
  }
}

function limits(l: FieldLimits): number {
  return Math.min(l.maxBytes, 65536);
}

/**
 * Encodes `body` with the chunked coding, cut at `sizes` (cycled; empty
 * array = one chunk), with optional extensions and trailers. For tests and
 * scripted servers.
 */
export function encodeChunked(body: Uint8Array, opts: { sizes?: readonly number[]; extension?: string; trailers?: readonly HeaderField[]; upperHex?: boolean } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  const sizes = opts.sizes && opts.sizes.length ? opts.sizes : [body.length || 1];
  let off = 0;
  let k = 0;
  while (off < body.length) {
    const n = Math.max(1, Math.min(sizes[k++ % sizes.length], body.length - off));
    let hex = n.toString(16);
    if (opts.upperHex) hex = hex.toUpperCase();
    parts.push(asciiBytes(`${hex}${opts.extension ?? ""}\r\n`), body.subarray(off, off + n), asciiBytes("\r\n"));
    off += n;
  }
  let tail = `0${opts.extension ?? ""}\r\n`;
  for (const [n, v] of opts.trailers ?? []) tail += `${n}: ${v}\r\n`;
  parts.push(asciiBytes(tail + "\r\n"));
  return concat(parts);
}
