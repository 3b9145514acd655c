import { RangeMismatchError } from "../errors.js";
import type { ContentRange } from "../wire/content-range.js";
import { parseContentRange } from "../wire/content-range.js";
import type { ByteRange } from "../wire/request.js";
import type { ResponseHead } from "../wire/response-parser.js";

/** What to do with the response to a resume request. */
export type ResumeVerdict =
  /** 206 continuing exactly where we stopped: keep streaming. */
  | { readonly kind: "continue"; readonly range: ContentRange }
  /** 200: the server ignores Range (or the resource changed): start over from the first byte. */
  | { readonly kind: "restart" };

/**
 * Sans-IO resume bookkeeping for one download (after undici's retry
 * handler): remembers where the body started, how much was delivered,
 * the total length and a validator, builds the Range (and If-Range) of a
 * resume request, and checks the answer: a 206 must start at the next
 * byte we need and agree on the total; a 200 means restart cleanly;
 * anything else is a RangeMismatchError.
 */
export class ResumeState {
  /** Body bytes handed to the consumer since the last (re)start. */
  delivered = 0;
  /** Complete length of the representation, when known. */
  total: number | null = null;
  /** Last byte wanted (inclusive), when the caller asked for a bounded range. */
  readonly endWanted: number | null;
  /** Strong ETag or Last-Modified for If-Range; null when neither. */
  validator: string | null = null;
  /** Resumes done so far. */
  attempts = 0;
  /** Position of the first delivered byte in the representation. */
  firstByte: number;

  /** `range` is the range the caller asked for (null = whole body). */
  constructor(private readonly url: string, range: ByteRange | null, readonly maxAttempts: number) {
    this.firstByte = range ? range.start : 0;
    this.endWanted = range && range.end !== undefined ? range.end : null;
  }

  /** Records length and validator from the first successful response (200 or 206). */
  begin(head: ResponseHead): void {
    const etag = head.headers.get("etag");
    const lm = head.headers.get("last-modified");
    this.validator = etag && !/^W\//.test(etag) ? etag : lm;
    if (head.status === 206) {
      const cr = head.headers.get("content-range");
      const r = cr ? parseContentRange(cr) : null;
      if (r) {
        this.firstByte = r.start;
        this.total = r.total;
      }
    } else {
      this.firstByte = 0;
      this.total = head.framing.kind === "length" ? head.framing.length : null;
    }
  }

  /** Counts delivered body bytes. */
  advance(n: number): void {
    this.delivered += n;
  }

  /** True while another resume may be tried. */
  canResume(): boolean {
    return this.attempts < this.maxAttempts;
  }

  /** Position of the next byte we need. */
  get nextByte(): number {
    return this.firstByte + this.delivered;
  }

  /** The Range of the next resume request (and counts the attempt). */
  nextRange(): ByteRange {
    this.attempts++;
    return this.endWanted === null ? { start: this.nextByte } : { start: this.nextByte, end: this.endWanted };
  }

  /** Judges the response to a resume request; throws RangeMismatchError when it cannot continue. */
  check(head: ResponseHead): ResumeVerdict {
    if (head.status === 200) return { kind: "restart" };
    if (head.status !== 206) throw new RangeMismatchError(this.url, `resume request answered ${head.status} ${head.reason}`);
    const cr = head.headers.get("content-range");
    if (!cr) throw new RangeMismatchError(this.url, "206 without Content-Range");
    let r: ContentRange;
    try {
      r = parseContentRange(cr);
    } catch {
      throw new RangeMismatchError(this.url, `bad Content-Range ${JSON.stringify(cr)}`);
    }
    if (r.start !== this.nextByte) throw new RangeMismatchError(this.url, `resume wanted byte ${this.nextByte}, server sent from ${r.start}`);
    if (this.total !== null && r.total !== null && r.total !== this.total) throw new RangeMismatchError(this.url, `total length changed from ${this.total} to ${r.total}`);
    if (this.total === null) this.total = r.total;
    return { kind: "continue", range: r };
  }

  /** Starts over after a 200 to a resume request: nothing delivered, length from the new response. */
  restart(head: ResponseHead): void {
    this.delivered = 0;
    this.begin(head);
  }
}
