// Errors of the Multiboot loader.
import { KbootError } from "../errors.js";

/** No sound Multiboot header, or its address fields do not match the file. */
export class MultibootFormatError extends KbootError {
  /** The file's name as the caller gave it. */
  readonly file: string;
  /** Byte offset of the header or field (-1 when no header was found). */
  readonly offset: number;
  constructor(file: string, offset: number, reason: string) {
    super("KBOOT_MULTIBOOT", `${file}: ${reason}${offset >= 0 ? ` (at byte ${offset})` : ""}`);
    this.file = file;
    this.offset = offset;
  }
}

/** A sound Multiboot kernel that asks for something this loader does not provide (video mode, unknown required flags). */
export class MultibootUnsupportedError extends KbootError {
  /** The file's name as the caller gave it. */
  readonly file: string;
  /** The header's flags. */
  readonly flags: number;
  constructor(file: string, flags: number, reason: string) {
    super("KBOOT_MULTIBOOT_UNSUPPORTED", `${file}: ${reason} (header flags 0x${flags.toString(16)})`);
    this.file = file;
    this.flags = flags;
  }
}
