// Errors of the Linux x86 boot protocol loader: a file whose setup header is
// broken, a kernel too old for the 32-bit boot protocol, a command line
// longer than the kernel takes.
import { KbootError } from "../errors.js";

/** The bytes are not a bzImage the loader can read: a header field is missing, out of range or inconsistent. */
export class BzImageFormatError extends KbootError {
  /** The file's name as the caller gave it (e.g. the URL). */
  readonly file: string;
  /** The setup-header field, e.g. "setup_sects". */
  readonly field: string;
  /** Byte offset of that field in the file. */
  readonly offset: number;
  constructor(file: string, field: string, offset: number, reason: string) {
    super("KBOOT_BZIMAGE", `${file}: not a usable bzImage: ${field}: ${reason} (at byte ${offset})`);
    this.file = file;
    this.field = field;
    this.offset = offset;
  }
}

/** A bzImage whose boot protocol is older than the loader supports (2.06, Linux 2.6.22). */
export class BzImageTooOldError extends KbootError {
  /** The file's name as the caller gave it. */
  readonly file: string;
  /** The kernel's protocol version, e.g. 0x0204. */
  readonly version: number;
  /** The oldest version accepted. */
  readonly minimum: number;
  constructor(file: string, version: number, minimum: number) {
    super(
      "KBOOT_BZIMAGE_OLD",
      `${file}: Linux boot protocol ${protocolText(version)} is too old: ${protocolText(minimum)} or later (Linux 2.6.22+) is needed`,
    );
    this.file = file;
    this.version = version;
    this.minimum = minimum;
  }
}

/** The command line is longer than the kernel's cmdline_size. */
export class CmdlineTooLongError extends KbootError {
  /** The kernel's name as the caller gave it. */
  readonly file: string;
  /** The command line's length in bytes. */
  readonly length: number;
  /** The most the kernel takes (cmdline_size). */
  readonly max: number;
  constructor(file: string, length: number, max: number) {
    super("KBOOT_CMDLINE", `${file}: command line of ${length} bytes is longer than the ${max} the kernel takes (cmdline_size)`);
    this.file = file;
    this.length = length;
    this.max = max;
  }
}

/** "2.15" for 0x020f. */
export function protocolText(version: number): string {
  return `${version >> 8}.${(version & 0xff).toString().padStart(2, "0")}`;
}
