import { HttpParseError } from "../errors.js";

/** A parsed Content-Range of a 206 response: bytes [start, end] of `total` (null when "*"). */
export interface ContentRange {
  /** First byte position. */
  readonly start: number;
  /** Last byte position (inclusive). */
  readonly end: number;
  /** Complete length, or null when the server wrote "*". */
  readonly total: number | null;
}

/**
 * Parses "bytes START-END/TOTAL" (TOTAL may be "*"), RFC 9110 §14.4.
 * Throws HttpParseError unless START <= END < TOTAL, numbers are safe
 * integers, and the unit is bytes. "bytes *\/TOTAL" (of a 416) is rejected
 * here: use `parseUnsatisfiedRange`.
 */
export function parseContentRange(value: string): ContentRange {
  const m = /^[ \t]*bytes[ \t]+([0-9]{1,15})-([0-9]{1,15})\/([0-9]{1,15}|\*)[ \t]*$/i.exec(value);
  if (!m) throw new HttpParseError("Content-Range", 0, `cannot parse ${JSON.stringify(value.slice(0, 80))}`);
  const start = Number(m[1]);
  const end = Number(m[2]);
  const total = m[3] === "*" ? null : Number(m[3]);
  if (end < start) throw new HttpParseError("Content-Range", 0, `end ${end} before start ${start}`);
  if (total !== null && end >= total) throw new HttpParseError("Content-Range", 0, `end ${end} not below total ${total}`);
  return { start, end, total };
}

/** Parses "bytes *\/TOTAL" (the Content-Range of a 416); null when it is not that form. */
export function parseUnsatisfiedRange(value: string): number | null {
  const m = /^[ \t]*bytes[ \t]+\*\/([0-9]{1,15})[ \t]*$/i.exec(value);
  return m ? Number(m[1]) : null;
}

/** Formats a Content-Range value (for scripted servers and tests). */
export function formatContentRange(r: ContentRange): string {
  return `bytes ${r.start}-${r.end}/${r.total === null ? "*" : r.total}`;
}
