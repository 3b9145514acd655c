import { HttpParseError } from "../errors.js";
import type { HeaderField } from "./headers.js";
import { isToken } from "./headers.js";

/** Limits on a header (or trailer) section. */
export interface FieldLimits {
  /** Most bytes in the whole section (default 65536). */
  readonly maxBytes: number;
  /** Most fields (default 256). */
  readonly maxFields: number;
}

/** Default header limits. */
export const DEFAULT_FIELD_LIMITS: FieldLimits = { maxBytes: 65536, maxFields: 256 };

/**
 * Accumulates field lines of one header or trailer section. obs-fold
 * continuation lines are replaced by one SP and joined to the previous
 * field, as RFC 9112 §5.2 tells a user agent to do; whitespace before the
 * colon, non-token names and control characters in values are rejected.
 */
export class FieldSection {
  /** The fields collected so far. */
  readonly fields: [string, string][] = [];
  private bytes = 0;
  constructor(private readonly part: string, private readonly limits: FieldLimits) {}

  /** Adds one line (CRLF removed). `at` is its stream offset (for errors). */
  addLine(line: string, at: number): void {
    this.bytes += line.length + 2;
    if (this.bytes > this.limits.maxBytes) throw new HttpParseError(this.part, at, `section larger than ${this.limits.maxBytes} bytes`);
    const c0 = line.charCodeAt(0);
    if (c0 === 0x20 || c0 === 0x09) {
      const last = this.fields[this.fields.length - 1];
      if (!last) throw new HttpParseError(this.part, at, "continuation line before any field");
      const more = trimOws(line);
      checkValue(this.part, more, at);
      last[1] = last[1] === "" ? more : more === "" ? last[1] : last[1] + " " + more;
      return;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) throw new HttpParseError(this.part, at, colon === 0 ? "empty field name" : "field line without a colon");
    const name = line.slice(0, colon);
    if (!isToken(name)) throw new HttpParseError(this.part, at, `field name ${JSON.stringify(name)} is not a token (whitespace before the colon?)`);
    const value = trimOws(line.slice(colon + 1));
    checkValue(this.part, value, at);
    if (this.fields.length >= this.limits.maxFields) throw new HttpParseError(this.part, at, `more than ${this.limits.maxFields} fields`);
    this.fields.push([name, value]);
  }

  /** The fields as an immutable list. */
  list(): HeaderField[] {
    return this.fields.map(([n, v]) => [n, v] as const);
  }
}

function trimOws(s: string): string {
  return s.replace(/^[ \t]+|[ \t]+$/g, "");
}

function checkValue(part: string, v: string, at: number): void {
  // field-vchar / obs-text / SP / HTAB only: no NUL or other controls (RFC 9110 §5.5).
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(v)) throw new HttpParseError(part, at, "control character in field value");
}
