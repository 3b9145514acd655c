/** One header field as received or to be sent: name as written, value trimmed. */
export type HeaderField = readonly [name: string, value: string];

/**
 * An ordered list of header fields with case-insensitive lookup. Keeps the
 * original order and spelling (for display), compares names in lower case.
 */
export class Headers {
  private readonly list: HeaderField[];

  /** Builds from a list of fields or a plain record. */
  constructor(init: readonly HeaderField[] | Readonly<Record<string, string>> = []) {
    this.list = Array.isArray(init) ? (init as HeaderField[]).map(([n, v]) => [n, v] as const) : Object.keys(init).map((k) => [k, (init as Record<string, string>)[k]] as const);
  }

  /** The first value of `name`, or null. */
  get(name: string): string | null {
    const n = name.toLowerCase();
    for (const [k, v] of this.list) if (k.toLowerCase() === n) return v;
    return null;
  }

  /** Every value of `name`, in order. */
  getAll(name: string): string[] {
    const n = name.toLowerCase();
    return this.list.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
  }

  /**
   * The comma-separated list elements of every `name` field, trimmed, empty
   * elements dropped (RFC 9110 §5.6.1), e.g. Connection tokens.
   */
  tokens(name: string): string[] {
    const out: string[] = [];
    for (const v of this.getAll(name)) for (const t of v.split(",")) if (t.trim() !== "") out.push(t.trim());
    return out;
  }

  /** True when a field `name` is present. */
  has(name: string): boolean {
    return this.get(name) !== null;
  }

  /** Appends a field. */
  append(name: string, value: string): void {
    this.list.push([name, value]);
  }

  /** Replaces every `name` field by one (or removes them all when value is null). */
  set(name: string, value: string | null): void {
    const n = name.toLowerCase();
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i][0].toLowerCase() === n) this.list.splice(i, 1);
    if (value !== null) this.list.push([name, value]);
  }

  /** The fields in order. */
  entries(): readonly HeaderField[] {
    return this.list.slice();
  }

  /** Number of fields. */
  get size(): number {
    return this.list.length;
  }
}

/** True when `s` is an RFC 9110 token (field names, methods, chunk-ext names). */
export function isToken(s: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(s);
}
