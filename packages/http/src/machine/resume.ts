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
 * byte we need, end where the caller's range (or the file) ends, agree on
 * the total and carry a Content-Length equal to its range; a 200 means
 * restart cleanly; anything else is a RangeMismatchError. It also counts
 * the bytes delivered against the announced end, so that neither a short
 * nor an overlong body passes as complete.
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
  /** Position just past the last byte the current response must deliver (null when unknown, e.g. close-delimited 200). */
  endExclusive: number | null = null;

  /** `range` is the range the caller asked for (null = whole body). */
  constructor(private readonly url: string, range: ByteRange | null, readonly maxAttempts: number) {
    this.firstByte = range ? range.start : 0;
    this.endWanted = range && range.end !== undefined ? range.end : null;
  }

  /**
   * Records length and validator from the first successful response (200
   * or 206). A 206 must be the range asked (from `firstByte`; to
   * `endWanted`, or the end of the file) with a Content-Length, when sent,
   * equal to its Content-Range's length: RangeMismatchError otherwise.
   */
  begin(head: ResponseHead): void {
    const etag = head.headers.get("etag");
    const lm = head.headers.get("last-modified");
    this.validator = etag && !/^W\//.test(etag) ? etag : lm;
    if (head.status === 206) {
      const r = this.partial(head, this.firstByte, null);
      this.total = r.total;
      this.endExclusive = r.end + 1;
    } else {
      this.firstByte = 0;
      this.total = head.framing.kind === "length" ? head.framing.length : null;
      this.endExclusive = this.total;
    }
  }

  /** Checks a 206 against what was asked: start `start`, the wanted end, a total equal to `total` (when both known), a consistent Content-Length. */
  private partial(head: ResponseHead, start: number, total: number | null): ContentRange {
    const cr = head.headers.get("content-range");
    if (!cr) throw new RangeMismatchError(this.url, "206 without Content-Range");
    let r: ContentRange;
    try {
      r = parseContentRange(cr);
    } catch {
      throw new RangeMismatchError(this.url, `bad Content-Range ${JSON.stringify(cr)}`);
    }
    if (r.start !== start) throw new RangeMismatchError(this.url, `asked from byte ${start}, server sent from ${r.start} (${cr})`);
    if (total !== null && r.total !== null && r.total !== total) throw new RangeMismatchError(this.url, `total length changed from ${total} to ${r.total}`);
    const t = r.total ?? total;
    const lastWanted = this.endWanted !== null ? (t !== null ? Math.min(this.endWanted, t - 1) : this.endWanted) : t !== null ? t - 1 : null;
    if (lastWanted !== null && r.end !== lastWanted) throw new RangeMismatchError(this.url, `asked up to byte ${lastWanted}, server sent up to ${r.end} (${cr})`);
    if (head.framing.kind === "length" && head.framing.length !== r.end - r.start + 1) {
      throw new RangeMismatchError(this.url, `Content-Length ${head.framing.length} disagrees with Content-Range ${cr} (${r.end - r.start + 1} bytes)`);
    }
    return r;
  }

  /** Counts delivered body bytes; more than the response may carry (past its Content-Range) is a RangeMismatchError. */
  advance(n: number): void {
    if (this.endExclusive !== null && this.nextByte + n > this.endExclusive) {
      throw new RangeMismatchError(this.url, `server sent bytes past ${this.endExclusive - 1}, the end it announced`);
    }
    this.delivered += n;
  }

  /** True when the body delivered so far reaches the end the response announced (always true when that end is unknown). */
  complete(): boolean {
    return this.endExclusive === null || this.nextByte === this.endExclusive;
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

  /** Judges the response to a resume request; throws RangeMismatchError when it cannot continue exactly where we stopped up to the end asked. */
  check(head: ResponseHead): ResumeVerdict {
    if (head.status === 200) return { kind: "restart" };
    if (head.status !== 206) throw new RangeMismatchError(this.url, `resume request answered ${head.status} ${head.reason}`);
    const r = this.partial(head, this.nextByte, this.total);
    if (this.total === null) this.total = r.total;
    this.endExclusive = r.end + 1;
    return { kind: "continue", range: r };
  }

  /** Starts over after a 200 to a resume request: nothing delivered, length from the new response. */
  restart(head: ResponseHead): void {
    this.delivered = 0;
    this.begin(head);
  }
}
