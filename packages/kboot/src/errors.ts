import { PxeError } from "@pxe/core";

/** Base of every error @pxe/kboot throws. */
export class KbootError extends PxeError {}

/**
 * The bytes are not an ELF file the readers accept: a header field out of
 * range, a table or section that lies outside the file, a bad string offset.
 */
export class ElfFormatError extends KbootError {
  /** The file's name as the caller gave it (e.g. "/boot/kernel/kernel"). */
  readonly file: string;
  /** What was being read, e.g. "section header 12". */
  readonly what: string;
  /** Byte offset in the file where the problem was found. */
  readonly offset: number;
  constructor(file: string, what: string, offset: number, reason: string) {
    super("KBOOT_ELF", `${file}: ${what}: ${reason} (at byte ${offset})`);
    this.file = file;
    this.what = what;
    this.offset = offset;
  }
}

/**
 * A well-formed file that cannot be loaded here: a module before the kernel,
 * a second kernel, an i386 module for an amd64 kernel, a kernel without an
 * entry point, a module without the tables FreeBSD's loader needs.
 */
export class LoadError extends KbootError {
  /** The file's name as the caller gave it. */
  readonly file: string;
  constructor(file: string, reason: string) {
    super("KBOOT_LOAD", `${file}: ${reason}`);
    this.file = file;
  }
}

/**
 * A module holds a relocation the FreeBSD kernel's linker cannot apply
 * (sys/<arch>/<arch>/elf_machdep.c prints "kldload: unexpected relocation
 * type" and drops the module at boot). Upstream LLVM before 19 compiles
 * amd64 modules with -fstack-protector so that they reach
 * __stack_chk_guard through the GOT (R_X86_64_REX_GOTPCRELX); FreeBSD's own
 * clang does not.
 */
export class RelocationError extends KbootError {
  /** The module's name as the caller gave it. */
  readonly file: string;
  /** The section the relocation patches, e.g. ".text". */
  readonly section: string;
  /** r_offset inside that section. */
  readonly offset: number;
  /** The relocation type (ELF R_* number). */
  readonly type: number;
  /** The symbol it refers to ("" when unnamed). */
  readonly symbol: string;
  constructor(file: string, section: string, offset: number, type: number, typeName: string, symbol: string, hint: string) {
    const against = symbol === "" ? "" : ` against ${symbol}`;
    super("KBOOT_RELOC", `${file}: ${section}+0x${offset.toString(16)}: relocation ${typeName}${against}, which FreeBSD's kernel linker cannot apply (the kernel would drop the module)${hint}`);
    this.file = file;
    this.section = section;
    this.offset = offset;
    this.type = type;
    this.symbol = symbol;
  }
}

/**
 * The memory image does not fit: a piece lies outside usable memory, over a
 * reserved range or another piece, or no usable memory is left for it.
 */
export class LayoutError extends KbootError {
  /** The piece that did not fit, e.g. "mfsroot" or "kernel segment 1". */
  readonly piece: string;
  /** Its size in bytes. */
  readonly size: number;
  constructor(piece: string, size: number, reason: string) {
    super("KBOOT_LAYOUT", `${piece} (${size} bytes): ${reason}`);
    this.piece = piece;
    this.size = size;
  }
}

/** A kernel environment entry that cannot be encoded (a '=' in a name, a NUL anywhere). */
export class KenvError extends KbootError {
  /** The variable's name. */
  readonly variable: string;
  constructor(variable: string, reason: string) {
    super("KBOOT_KENV", `kenv ${JSON.stringify(variable)}: ${reason}`);
    this.variable = variable;
  }
}
