import { ConsoleError } from "../../errors.js";

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
