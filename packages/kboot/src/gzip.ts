import { KbootError } from "./errors.js";
import { concat, readU32le } from "@pxe/core";
import { Gunzip } from "fflate";

/** A file that starts like gzip but does not inflate: truncated, corrupt, or not the size its trailer says. */
export class GzipError extends KbootError {
  /** The file (URL or name). */
  readonly file: string;
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super("KBOOT_GZIP", `${file}: bad gzip data: ${reason}`, options);
    this.file = file;
  }
}

/** True when `data` starts with the gzip magic (1f 8b) and method deflate (8). */
export function isGzip(data: Uint8Array): boolean {
  return data.length >= 3 && data[0] === 0x1f && data[1] === 0x8b && data[2] === 8;
}

/**
 * Inflates a gzip file (kernel.gz, *.ko.gz, mfsroot.gz) with fflate, as
 * FreeBSD's loader does transparently; anything else comes back as is.
 * The output must be exactly the length the gzip trailer records (mod
 * 2^32): a truncated or corrupt stream, or a file cut inside its trailer,
 * throws GzipError naming `file`.
 */
export function gunzipIfNeeded(data: Uint8Array, file: string): { data: Uint8Array; gzipped: boolean } {
  if (!isGzip(data)) return { data, gzipped: false };
  if (data.length < 18) throw new GzipError(file, `only ${data.length} bytes (a gzip file has at least 18)`);
  const n = data.length;
  const isize = readU32le(data, n - 4);
  // fflate's streaming Gunzip does not trust the trailer (gunzipSync sizes its
  // output by ISIZE and silently cuts at it); the trailer is checked below.
  const parts: Uint8Array[] = [];
  let out: Uint8Array;
  try {
    new Gunzip((chunk) => void parts.push(chunk)).push(data, true);
    out = parts.length === 1 ? parts[0] : concat(parts);
  } catch (e) {
    throw new GzipError(file, e instanceof Error ? e.message : String(e), { cause: e });
  }
  if (out.length % 0x100000000 !== isize) throw new GzipError(file, `inflated to ${out.length} bytes, the trailer says ${isize} (truncated or corrupt)`);
  return { data: out, gzipped: true };
}

/** The name without a trailing ".gz" ("kernel.gz" -> "kernel"). */
export function stripGz(name: string): string {
  return /\.gz$/.test(name) ? name.slice(0, -3) : name;
}
