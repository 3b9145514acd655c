// Which kind of kernel a file is, from its own bytes (as iPXE's image probing
// does): a Linux bzImage (0xAA55 and "HdrS" in its setup header), a Multiboot
// kernel (its header in the first 8 KiB), or a FreeBSD ELF kernel (ELF with
// the FreeBSD OS/ABI). Anything else is a NotAKernelError.
import { readU16le, toHex } from "@pxe/core";
import { KbootError } from "./errors.js";
import { BOOT_FLAG, HDRS_MAGIC, OFF_BOOT_FLAG, OFF_HEADER } from "./linux/constants.js";
import { findMultibootHeader } from "./multiboot/header.js";
import { ELFOSABI_FREEBSD } from "./wire/elf-constants.js";
import { ElfFile } from "./wire/elf.js";
import { getU32 } from "./wire/le.js";

/** The kinds of kernel kboot boots. */
export type KernelKind = "linux" | "multiboot" | "freebsd";

/** The file is none of the kernels kboot knows. */
export class NotAKernelError extends KbootError {
  /** The file's name as the caller gave it. */
  readonly file: string;
  /** What the bytes look like instead, e.g. "gzip-compressed data". */
  readonly looksLike: string;
  constructor(file: string, looksLike: string) {
    super(
      "KBOOT_NOT_A_KERNEL",
      `${file}: not a kernel (${looksLike}): no Linux setup header ("HdrS" at 0x202), no Multiboot header in the first 8 KiB, not a FreeBSD ELF kernel`,
    );
    this.file = file;
    this.looksLike = looksLike;
  }
}

/** True when `data` carries a Linux boot sector signature and "HdrS" (the header itself is checked by readSetupHeader). */
export function isBzImage(data: Uint8Array): boolean {
  return data.length >= OFF_HEADER + 4 && readU16le(data, OFF_BOOT_FLAG) === BOOT_FLAG && getU32(data, OFF_HEADER) === HDRS_MAGIC;
}

/** The kind of kernel in `data`; NotAKernelError when it is none. */
export function probeKernel(data: Uint8Array, file = "file"): KernelKind {
  if (isBzImage(data)) return "linux";
  if (findMultibootHeader(data) >= 0) return "multiboot";
  if (ElfFile.isElf(data) && data.length > 7 && data[7] === ELFOSABI_FREEBSD) return "freebsd";
  throw new NotAKernelError(file, describe(data));
}

function describe(data: Uint8Array): string {
  if (data.length === 0) return "an empty file";
  if (data[0] === 0x1f && data.length > 1 && data[1] === 0x8b) return "gzip-compressed data";
  if (ElfFile.isElf(data)) return `an ELF file for OS/ABI ${data.length > 7 ? data[7] : "?"}, not FreeBSD's 9`;
  if (data.length >= 6 && (String.fromCharCode(data[0], data[1], data[2], data[3], data[4], data[5]) === "070701")) return "a cpio archive (an initrd?)";
  if (data[0] === 0x3c) return "text starting with '<' (an HTML page?)";
  return `${data.length} bytes starting ${toHex(data.subarray(0, 4), " ")}`;
}
