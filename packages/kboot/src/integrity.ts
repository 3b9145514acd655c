import { KbootError } from "./errors.js";
import { sha256Hex } from "@pxe/http";

/** A SHA-256 given for a file (`load --sha256`, `X_sha256`) that is not 64 hex digits. */
export class BadDigestError extends KbootError {
  /** The text as given. */
  readonly digest: string;
  constructor(digest: string, where: string) {
    super("KBOOT_DIGEST", `${where}: '${digest}' is not a SHA-256 (64 hex digits)`);
    this.digest = digest;
  }
}

/** A file's SHA-256 is not the one asked for: the file is refused. */
export class ChecksumError extends KbootError {
  /** The file (URL). */
  readonly file: string;
  /** Expected digest, lower-case hex. */
  readonly expected: string;
  /** Digest of the bytes that arrived. */
  readonly actual: string;
  constructor(file: string, expected: string, actual: string) {
    super("KBOOT_CHECKSUM", `${file}: SHA-256 mismatch: expected ${expected}, got ${actual} (file refused)`);
    this.file = file;
    this.expected = expected;
    this.actual = actual;
  }
}

/** Normalises a hex SHA-256 to lower case; BadDigestError unless it is 64 hex digits. */
export function parseDigest(text: string, where: string): string {
  const t = text.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(t)) throw new BadDigestError(text, where);
  return t;
}

/**
 * Checks `data` (the bytes as downloaded, before any inflating) against
 * `expected` (64 hex digits); ChecksumError naming `file` on a mismatch.
 * Returns the digest.
 */
export function checkSha256(data: Uint8Array, expected: string, file: string): string {
  const want = parseDigest(expected, file);
  const got = sha256Hex(data);
  if (got !== want) throw new ChecksumError(file, want, got);
  return got;
}
