import { ConsoleError } from "../../errors.js";
import { formatBytes } from "../../progress/format.js";

/**
 * A network command failed in a way the user should read as one clear
 * line: the host name did not resolve, nothing answered, a checksum did
 * not match. The console prints `error: <message>` and keeps running.
 */
export class NetCommandError extends ConsoleError {
  /** The command that failed, e.g. "ping". */
  readonly command: string;
  constructor(command: string, message: string, options?: { cause?: unknown }) {
    super("CONSOLE_NET", `${command}: ${message}`, options);
    this.command = command;
  }
}

/** `fetch --sha256` got different bytes than expected; the data was discarded. */
export class ChecksumMismatchError extends NetCommandError {
  /** The digest asked for (lower-case hex). */
  readonly expected: string;
  /** The digest of what arrived. */
  readonly actual: string;
  constructor(url: string, expected: string, actual: string) {
    super("fetch", `SHA-256 mismatch for ${url}: expected ${expected}, got ${actual} (data discarded)`);
    this.expected = expected;
    this.actual = actual;
  }
}

/** The error's message, or its string form. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/**
 * "unknown host 'nope': no such domain (NXDOMAIN from 10.0.0.2)": a failed
 * name lookup, with the DNS error's own text (its leading name left out).
 */
export function unknownHost(command: string, host: string, e: unknown): NetCommandError {
  const q = (e as { qname?: unknown }).qname;
  let msg = messageOf(e);
  if (typeof q === "string" && msg.startsWith(`${q}: `)) msg = msg.slice(q.length + 2);
  return new NetCommandError(command, `unknown host '${host}': ${msg}`, { cause: e });
}

/**
 * The host could not allocate what a command asked for. The message says
 * how much was asked for, what is free (when the host tells), what the
 * files in memory hold, and how to free them.
 */
export class OutOfMemoryError extends NetCommandError {
  /** Bytes asked for (null when the size was not known in advance). */
  readonly requested: number | null;
  /** Bytes the host reported free, or undefined. */
  readonly free: number | undefined;
  constructor(command: string, what: string, requested: number | null, free: number | undefined, files: { count: number; bytes: number }, options?: { cause?: unknown }) {
    const asked = requested === null ? `${what} (size not known in advance)` : `${what} (${formatBytes(requested)}, ${requested} bytes)`;
    super(command, `out of memory for ${asked}${memoryNote(free, files)}`, options);
    this.requested = requested;
    this.free = free;
  }
}

/**
 * The tail of every out-of-memory message: what is free (when the host
 * tells) and what the files in memory hold with how to free them, e.g.
 * "; 30.0 MiB free; 2 files in memory hold 64.0 MiB: 'files' lists them,
 * 'rm NAME' frees one" ("" when neither is known).
 */
export function memoryNote(free: number | undefined, files: { count: number; bytes: number }): string {
  const freeText = free === undefined ? "" : `; ${formatBytes(free)} free`;
  const held =
    files.count === 0 ? "" : `; ${files.count} file${files.count === 1 ? "" : "s"} in memory hold ${formatBytes(files.bytes)}: 'files' lists them, 'rm NAME' frees one`;
  return freeText + held;
}

/** @pxe/core's test for an engine's failure to allocate, re-exported where the console's callers import it. */
export { isOutOfMemory } from "@pxe/core";

/** `rm NAME`: no file of that name is in memory. */
export class NoSuchFileError extends NetCommandError {
  /** The name asked for. */
  readonly fileName: string;
  constructor(command: string, name: string, names: readonly string[]) {
    super(command, `no file '${name}' in memory (${names.length ? `there are: ${names.join(", ")}` : "there are none"})`);
    this.fileName = name;
  }
}
