import { KbootError } from "./errors.js";
import { crc32, isOutOfMemory, readU32le } from "@pxe/core";
import { gunzipSync } from "fflate";

/** A file that starts like gzip but does not inflate: truncated, corrupt, or not the size its trailer says. */
export class GzipError extends KbootError {
  /** The file (URL or name). */
  readonly file: string;
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super("KBOOT_GZIP", `${file}: bad gzip data: ${reason}`, options);
    this.file = file;
  }
}

/**
 * A gzip file whose inflated size (its trailer's ISIZE) could not be
 * allocated: the file is fine, the machine has too little memory left.
 * The message names the file and the bytes needed, then the caller's
 * note (the console adds what is free and how to free it).
 */
export class GzipMemoryError extends KbootError {
  /** The file (URL or name). */
  readonly file: string;
  /** Bytes the inflated file needs (the trailer's size, plus one byte of overrun check). */
  readonly needed: number;
  constructor(file: string, needed: number, note: string, options?: { cause?: unknown }) {
    super("KBOOT_GZIP_MEMORY", `${file}: out of memory inflating gzip: needs ${needed} bytes${note}`, options);
    this.file = file;
    this.needed = needed;
  }
}

/**
 * Deflate's best ratio: a 258-byte match coded in two 1-bit codes, 1032
 * output bytes per input byte. A trailer claiming more than this much is
 * corrupt, whatever the memory.
 */
const MAX_DEFLATE_RATIO = 1032;

/** Options of {@link gunzipIfNeeded}. */
export interface GunzipOptions {
  /** Called when the output cannot be allocated; its text ends the GzipMemoryError message (e.g. "; 30 MiB free; ..."). */
  readonly memoryNote?: () => string;
  /** Allocates the output buffer (default `new Uint8Array(size)`); tests pass one that fails as an engine does. */
  readonly alloc?: (size: number) => Uint8Array;
}

/** True when `data` starts with the gzip magic (1f 8b) and method deflate (8). */
export function isGzip(data: Uint8Array): boolean {
  return data.length >= 3 && data[0] === 0x1f && data[1] === 0x8b && data[2] === 8;
}

/**
 * Inflates a gzip file (kernel.gz, *.ko.gz, mfsroot.gz) with fflate, as
 * FreeBSD's loader does transparently; anything else comes back as is.
 * The output goes into one buffer sized from the trailer's ISIZE (one byte
 * more, to see a stream that inflates past it), so the peak is the input
 * plus the output. The output must be exactly the length the trailer
 * records and have the CRC-32 it records (RFC 1952; fflate checks
 * neither): a truncated or corrupt stream, a CRC mismatch, a trailer claiming more than
 * deflate can produce from the input, or a file cut inside its trailer
 * throws GzipError naming `file`; a buffer that cannot be allocated throws
 * GzipMemoryError.
 */
export function gunzipIfNeeded(data: Uint8Array, file: string, opts: GunzipOptions = {}): { data: Uint8Array; gzipped: boolean } {
  if (!isGzip(data)) return { data, gzipped: false };
  if (data.length < 18) throw new GzipError(file, `only ${data.length} bytes (a gzip file has at least 18)`);
  const n = data.length;
  const isize = readU32le(data, n - 4);
  // At least the 10-byte header and 8-byte trailer are not deflate data.
  const most = (n - 18) * MAX_DEFLATE_RATIO;
  if (isize > most) throw new GzipError(file, `the trailer says ${isize} bytes, more than ${n} bytes of gzip can inflate to (at most ${most})`);
  const needed = isize + 1;
  let out: Uint8Array;
  try {
    out = opts.alloc ? opts.alloc(needed) : new Uint8Array(needed);
  } catch (e) {
    // An impossible length (RangeError) is as much "cannot hold it" as a failed allocation.
    if (isOutOfMemory(e) || e instanceof RangeError) throw new GzipMemoryError(file, needed, opts.memoryNote?.() ?? "", { cause: e });
    throw e;
  }
  let got: Uint8Array;
  try {
    // With `out` fflate never grows the buffer: it drops bytes past its end
    // (a stored block past it throws RangeError), and returns what it wrote.
    got = gunzipSync(data, { out });
  } catch (e) {
    if (isOutOfMemory(e)) throw new GzipMemoryError(file, needed, opts.memoryNote?.() ?? "", { cause: e });
    if (e instanceof RangeError) throw new GzipError(file, `inflates to more than the ${isize} bytes the trailer says (corrupt)`, { cause: e });
    throw new GzipError(file, e instanceof Error ? e.message : String(e), { cause: e });
  }
  if (got.length > isize) throw new GzipError(file, `inflates to more than the ${isize} bytes the trailer says (corrupt)`);
  if (got.length !== isize) throw new GzipError(file, `inflated to ${got.length} bytes, the trailer says ${isize} (truncated or corrupt)`);
  const result = out.subarray(0, isize);
  const want = readU32le(data, n - 8);
  const crc = crc32(result);
  if (crc !== want) throw new GzipError(file, `the inflated data's CRC-32 is ${hex32(crc)}, the trailer says ${hex32(want)} (corrupt)`);
  return { data: result, gzipped: true };
}

function hex32(v: number): string {
  return `0x${("0000000" + v.toString(16)).slice(-8)}`;
}

/** The name without a trailing ".gz" ("kernel.gz" -> "kernel"). */
export function stripGz(name: string): string {
  return /\.gz$/.test(name) ? name.slice(0, -3) : name;
}
