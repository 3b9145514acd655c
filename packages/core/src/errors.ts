/**
 * Base class of every error the @pxe packages throw. Subclasses carry the
 * context a user needs (which address, which URL, which field) as typed
 * properties, and a message that reads well on its own.
 */
export class PxeError extends Error {
  /** Stable machine-readable code, e.g. "WIRE_TRUNCATED". */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message);
    this.code = code;
    this.name = new.target.name;
    if (options && "cause" in options) (this as { cause?: unknown }).cause = options.cause;
    // Keep `instanceof` working when targets downlevel classes.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** Thrown by every decoder when bytes off the wire are not a valid message. */
export class WireError extends PxeError {
  /** What was being decoded, e.g. "IPv4 header". */
  readonly what: string;
  /** Byte offset where the problem was found. */
  readonly offset: number;
  constructor(what: string, offset: number, reason: string) {
    super("WIRE_INVALID", `${what}: ${reason} (at byte ${offset})`);
    this.what = what;
    this.offset = offset;
  }
}

/** Thrown when an operation does not complete within its time limit. */
export class TimeoutError extends PxeError {
  /** What timed out, e.g. "ARP request for 10.0.2.2". */
  readonly operation: string;
  /** The limit that expired, in milliseconds. */
  readonly timeoutMs: number;
  constructor(operation: string, timeoutMs: number) {
    super("TIMEOUT", `${operation} timed out after ${timeoutMs} ms`);
    this.operation = operation;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * True when `e` is an engine's failure to allocate: QuickJS's "out of
 * memory", V8's "Array buffer allocation failed". Callers turn it into
 * their own typed error saying what could not be held.
 */
export function isOutOfMemory(e: unknown): boolean {
  return e instanceof Error && /out of memory|allocation failed/i.test(e.message);
}

/** Throws a WireError unless `end - offset >= need` and `end <= data.length`. */
export function need(what: string, data: Uint8Array, offset: number, end: number, need: number): void {
  if (end > data.length || offset < 0 || offset > end) {
    throw new WireError(what, offset, `range ${offset}..${end} lies outside ${data.length} bytes`);
  }
  if (end - offset < need) {
    throw new WireError(what, offset, `truncated: needs ${need} bytes, has ${end - offset}`);
  }
}
