// Checked views of ELF32/ELF64 files (either byte order). Every offset and
// length read from the file is checked against the bytes that are really
// there; anything wrong is an ElfFormatError naming the file and the field.
import { latin1, view } from "@pxe/core";
import { ElfFormatError } from "../errors.js";
import { ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, EV_CURRENT, PT_LOAD, SHT_NOBITS, SHT_NULL } from "./elf-constants.js";

/** The ELF file header (Elf32_Ehdr / Elf64_Ehdr), widths unified. */
export interface ElfHeader {
  /** 32 or 64 (e_ident[EI_CLASS]). */
  readonly bits: 32 | 64;
  /** e_ident[EI_DATA] is ELFDATA2LSB. */
  readonly littleEndian: boolean;
  /** e_ident[EI_OSABI] (9 = FreeBSD). */
  readonly osabi: number;
  /** e_type: ET_REL, ET_EXEC, ET_DYN ... */
  readonly type: number;
  /** e_machine: EM_386, EM_X86_64 ... */
  readonly machine: number;
  /** e_version. */
  readonly version: number;
  /** e_entry (a virtual address). */
  readonly entry: bigint;
  /** e_phoff. */
  readonly phoff: number;
  /** e_shoff. */
  readonly shoff: number;
  /** e_flags. */
  readonly flags: number;
  /** e_ehsize. */
  readonly ehsize: number;
  /** e_phentsize. */
  readonly phentsize: number;
  /** e_phnum. */
  readonly phnum: number;
  /** e_shentsize. */
  readonly shentsize: number;
  /** e_shnum. */
  readonly shnum: number;
  /** e_shstrndx. */
  readonly shstrndx: number;
}

/** A program header (Elf32_Phdr / Elf64_Phdr). */
export interface ElfProgramHeader {
  /** Its index in the table. */
  readonly index: number;
  /** p_type. */
  readonly type: number;
  /** p_flags (PF_X | PF_W | PF_R). */
  readonly flags: number;
  /** p_offset. */
  readonly offset: number;
  /** p_vaddr. */
  readonly vaddr: bigint;
  /** p_paddr. */
  readonly paddr: bigint;
  /** p_filesz. */
  readonly filesz: number;
  /** p_memsz. */
  readonly memsz: number;
  /** p_align. */
  readonly align: bigint;
}

/** A section header (Elf32_Shdr / Elf64_Shdr). */
export interface ElfSectionHeader {
  /** Its index in the table. */
  readonly index: number;
  /** sh_name (offset in the section name table). */
  readonly name: number;
  /** sh_type. */
  readonly type: number;
  /** sh_flags. */
  readonly flags: bigint;
  /** sh_addr. */
  readonly addr: bigint;
  /** sh_offset. */
  readonly offset: number;
  /** sh_size. */
  readonly size: number;
  /** sh_link. */
  readonly link: number;
  /** sh_info. */
  readonly info: number;
  /** sh_addralign. */
  readonly addralign: number;
  /** sh_entsize. */
  readonly entsize: number;
}

/** A symbol table entry (Elf32_Sym / Elf64_Sym). */
export interface ElfSymbol {
  /** st_name (offset in the linked string table). */
  readonly name: number;
  /** st_value. */
  readonly value: bigint;
  /** st_size. */
  readonly size: bigint;
  /** st_info (binding << 4 | type). */
  readonly info: number;
  /** st_other. */
  readonly other: number;
  /** st_shndx. */
  readonly shndx: number;
}

/** A relocation (Elf*_Rel or Elf*_Rela; addend 0n for Rel). */
export interface ElfRelocation {
  /** r_offset. */
  readonly offset: bigint;
  /** Symbol index from r_info. */
  readonly sym: number;
  /** Relocation type from r_info. */
  readonly type: number;
  /** r_addend (Rela) or 0n (Rel). */
  readonly addend: bigint;
}

const LIMIT32 = 0x100000000;

/** A parsed ELF file: header and tables checked on parse, the rest on access. */
export class ElfFile {
  /** The file's name as given to parse (used in errors). */
  readonly file: string;
  /** The whole file. */
  readonly bytes: Uint8Array;
  /** The file header. */
  readonly header: ElfHeader;
  /** Program headers, each PT_LOAD checked to lie in the file with memsz >= filesz. */
  readonly programHeaders: readonly ElfProgramHeader[];
  /** Section headers (index 0 included), each with file data checked to lie in the file. */
  readonly sectionHeaders: readonly ElfSectionHeader[];
  private readonly dv: DataView;

  private constructor(file: string, bytes: Uint8Array) {
    this.file = file;
    this.bytes = bytes;
    this.dv = view(bytes);
    this.header = this.readHeader();
    this.programHeaders = this.readProgramHeaders();
    this.sectionHeaders = this.readSectionHeaders();
  }

  /** Parses `bytes`; throws ElfFormatError (and nothing else) when they are not a sound ELF file. */
  static parse(bytes: Uint8Array, file = "ELF file"): ElfFile {
    return new ElfFile(file, bytes);
  }

  /** True when `bytes` start with the ELF magic (no other check). */
  static isElf(bytes: Uint8Array): boolean {
    return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
  }

  /** The file header's own bytes (52 or 64), as FreeBSD's MODINFOMD_ELFHDR carries them. */
  headerBytes(): Uint8Array {
    return this.bytes.subarray(0, this.header.bits === 64 ? 64 : 52);
  }

  /** The section header table's bytes (e_shnum * e_shentsize), as MODINFOMD_SHDR carries them. */
  sectionHeaderBytes(): Uint8Array {
    const h = this.header;
    return this.bytes.subarray(h.shoff, h.shoff + h.shnum * h.shentsize);
  }

  /** The section's file bytes (empty for SHT_NOBITS and SHT_NULL). */
  sectionData(sh: ElfSectionHeader): Uint8Array {
    if (sh.type === SHT_NOBITS || sh.type === SHT_NULL) return new Uint8Array(0);
    return this.bytes.subarray(sh.offset, sh.offset + sh.size);
  }

  /** The section at `index`; ElfFormatError when there is none. */
  section(index: number, what = "section index"): ElfSectionHeader {
    const sh = this.sectionHeaders[index];
    if (index <= 0 || sh === undefined) this.fail(what, this.header.shoff, `no section ${index} (file has ${this.sectionHeaders.length})`);
    return sh;
  }

  /** The section's name from the section name table ("" when the file has none). */
  sectionName(sh: ElfSectionHeader): string {
    const idx = this.header.shstrndx;
    if (idx === 0 || idx >= this.sectionHeaders.length) return "";
    return this.string(this.sectionHeaders[idx], sh.name);
  }

  /** The first section called `name`, if any. */
  sectionByName(name: string): ElfSectionHeader | undefined {
    for (const sh of this.sectionHeaders) if (sh.index > 0 && this.sectionName(sh) === name) return sh;
    return undefined;
  }

  /** The NUL-terminated string at `offset` of string table `strtab`. */
  string(strtab: ElfSectionHeader, offset: number): string {
    const data = this.sectionData(strtab);
    if (offset >= data.length) this.fail(`string table ${strtab.index}`, strtab.offset + offset, `string offset ${offset} past its ${data.length} bytes`);
    let end = offset;
    while (end < data.length && data[end] !== 0) end++;
    if (end === data.length) this.fail(`string table ${strtab.index}`, strtab.offset + offset, "string not NUL-terminated");
    return latin1(data, offset, end);
  }

  /** Size of one symbol entry for this class. */
  get symbolSize(): number {
    return this.header.bits === 64 ? 24 : 16;
  }

  /** Number of entries in symbol table `symtab`. */
  symbolCount(symtab: ElfSectionHeader): number {
    return Math.floor(symtab.size / this.symbolSize);
  }

  /** Entry `index` of symbol table `symtab`. */
  symbol(symtab: ElfSectionHeader, index: number): ElfSymbol {
    if (index < 0 || index >= this.symbolCount(symtab)) {
      this.fail(`symbol table ${symtab.index}`, symtab.offset, `no symbol ${index} (table has ${this.symbolCount(symtab)})`);
    }
    const o = symtab.offset + index * this.symbolSize;
    if (this.header.bits === 64) {
      return { name: this.u32(o), info: this.u8(o + 4), other: this.u8(o + 5), shndx: this.u16(o + 6), value: this.u64(o + 8), size: this.u64(o + 16) };
    }
    return { name: this.u32(o), value: BigInt(this.u32(o + 4)), size: BigInt(this.u32(o + 8)), info: this.u8(o + 12), other: this.u8(o + 13), shndx: this.u16(o + 14) };
  }

  /** The relocations of a SHT_REL or SHT_RELA section. */
  relocations(sh: ElfSectionHeader, rela: boolean): ElfRelocation[] {
    const is64 = this.header.bits === 64;
    const ent = (is64 ? 16 : 8) + (rela ? (is64 ? 8 : 4) : 0);
    const out: ElfRelocation[] = [];
    for (let o = sh.offset; o + ent <= sh.offset + sh.size; o += ent) {
      if (is64) {
        const info = this.u64(o + 8);
        out.push({ offset: this.u64(o), sym: Number(info >> 32n), type: Number(info & 0xffffffffn), addend: rela ? BigInt.asIntN(64, this.u64(o + 16)) : 0n });
      } else {
        const info = this.u32(o + 4);
        out.push({ offset: BigInt(this.u32(o)), sym: info >>> 8, type: info & 0xff, addend: rela ? BigInt(this.dv.getInt32(o + 8, this.header.littleEndian)) : 0n });
      }
    }
    return out;
  }

  /** Reads a u8 at file offset `o` (checked). */
  u8(o: number): number {
    this.need(o, 1);
    return this.bytes[o];
  }

  /** Reads a u16 at file offset `o` in the file's byte order (checked). */
  u16(o: number): number {
    this.need(o, 2);
    return this.dv.getUint16(o, this.le());
  }

  /** Reads a u32 at file offset `o` in the file's byte order (checked). */
  u32(o: number): number {
    this.need(o, 4);
    return this.dv.getUint32(o, this.le());
  }

  /** Reads a u64 at file offset `o` in the file's byte order (checked). */
  u64(o: number): bigint {
    this.need(o, 8);
    const le = this.le();
    const a = BigInt(this.dv.getUint32(o, le));
    const b = BigInt(this.dv.getUint32(o + 4, le));
    return le ? (b << 32n) | a : (a << 32n) | b;
  }

  /** Reads an address-sized word (4 or 8 bytes) at file offset `o`. */
  word(o: number): bigint {
    return this.header.bits === 64 ? this.u64(o) : BigInt(this.u32(o));
  }

  /** Byte order (from e_ident while the header is being read). */
  private le(): boolean {
    return this.bytes[5] !== ELFDATA2MSB;
  }

  /** Throws the ElfFormatError for this file. */
  fail(what: string, offset: number, reason: string): never {
    throw new ElfFormatError(this.file, what, offset, reason);
  }

  private need(o: number, n: number): void {
    if (!(o >= 0 && o + n <= this.bytes.length)) this.fail("read", o, `${n} bytes at ${o} lie outside the file's ${this.bytes.length} bytes`);
  }

  /** A file-sized number: a 64-bit field that must fit in 32 bits. */
  private small(v: bigint, what: string, at: number): number {
    if (v >= BigInt(LIMIT32)) this.fail(what, at, `value 0x${v.toString(16)} is too large`);
    return Number(v);
  }

  private inFile(what: string, at: number, offset: number, size: number): void {
    if (offset + size > this.bytes.length) this.fail(what, at, `${size} bytes at offset ${offset} lie outside the file's ${this.bytes.length} bytes`);
  }

  private readHeader(): ElfHeader {
    const b = this.bytes;
    if (b.length < 16) this.fail("ELF header", 0, `file is ${b.length} bytes, shorter than e_ident`);
    if (!ElfFile.isElf(b)) this.fail("ELF header", 0, "no ELF magic (\\x7fELF)");
    const cls = b[4];
    if (cls !== ELFCLASS32 && cls !== ELFCLASS64) this.fail("e_ident[EI_CLASS]", 4, `class ${cls} is neither ELFCLASS32 nor ELFCLASS64`);
    const data = b[5];
    if (data !== ELFDATA2LSB && data !== ELFDATA2MSB) this.fail("e_ident[EI_DATA]", 5, `byte order ${data} is neither LSB nor MSB`);
    if (b[6] !== EV_CURRENT) this.fail("e_ident[EI_VERSION]", 6, `version ${b[6]} is not EV_CURRENT`);
    const is64 = cls === ELFCLASS64;
    const size = is64 ? 64 : 52;
    if (b.length < size) this.fail("ELF header", 0, `file is ${b.length} bytes, shorter than the ${size}-byte header`);
    const le = data === ELFDATA2LSB;
    const u16 = (o: number) => this.u16(o);
    const u32 = (o: number) => this.u32(o);
    const u64 = (o: number) => this.u64(o);
    const h: ElfHeader = is64
      ? {
          bits: 64, littleEndian: le, osabi: b[7], type: u16(16), machine: u16(18), version: u32(20), entry: u64(24),
          phoff: this.smallHeader(u64(32), "e_phoff", 32), shoff: this.smallHeader(u64(40), "e_shoff", 40), flags: u32(48),
          ehsize: u16(52), phentsize: u16(54), phnum: u16(56), shentsize: u16(58), shnum: u16(60), shstrndx: u16(62),
        }
      : {
          bits: 32, littleEndian: le, osabi: b[7], type: u16(16), machine: u16(18), version: u32(20), entry: BigInt(u32(24)),
          phoff: u32(28), shoff: u32(32), flags: u32(36),
          ehsize: u16(40), phentsize: u16(42), phnum: u16(44), shentsize: u16(46), shnum: u16(48), shstrndx: u16(50),
        };
    if (h.version !== EV_CURRENT) this.fail("e_version", 20, `version ${h.version} is not EV_CURRENT`);
    const phent = is64 ? 56 : 32;
    const shent = is64 ? 64 : 40;
    if (h.phnum > 0) {
      if (h.phentsize !== phent) this.fail("e_phentsize", is64 ? 54 : 42, `${h.phentsize}, expected ${phent}`);
      this.inFile("program header table", is64 ? 32 : 28, h.phoff, h.phnum * phent);
    }
    if (h.shnum > 0) {
      if (h.shentsize !== shent) this.fail("e_shentsize", is64 ? 58 : 46, `${h.shentsize}, expected ${shent}`);
      if (h.shoff === 0) this.fail("e_shoff", is64 ? 40 : 32, `0 with ${h.shnum} sections`);
      this.inFile("section header table", is64 ? 40 : 32, h.shoff, h.shnum * shent);
      if (h.shstrndx >= h.shnum) this.fail("e_shstrndx", is64 ? 62 : 50, `${h.shstrndx} is not below e_shnum ${h.shnum}`);
    }
    return h;
  }

  private smallHeader(v: bigint, what: string, at: number): number {
    return this.small(v, what, at);
  }

  private readProgramHeaders(): ElfProgramHeader[] {
    const h = this.header;
    const out: ElfProgramHeader[] = [];
    for (let i = 0; i < h.phnum; i++) {
      const o = h.phoff + i * h.phentsize;
      const what = `program header ${i}`;
      const ph: ElfProgramHeader =
        h.bits === 64
          ? {
              index: i, type: this.u32(o), flags: this.u32(o + 4), offset: this.small(this.u64(o + 8), what, o + 8),
              vaddr: this.u64(o + 16), paddr: this.u64(o + 24), filesz: this.small(this.u64(o + 32), what, o + 32),
              memsz: this.small(this.u64(o + 40), what, o + 40), align: this.u64(o + 48),
            }
          : {
              index: i, type: this.u32(o), offset: this.u32(o + 4), vaddr: BigInt(this.u32(o + 8)), paddr: BigInt(this.u32(o + 12)),
              filesz: this.u32(o + 16), memsz: this.u32(o + 20), flags: this.u32(o + 24), align: BigInt(this.u32(o + 28)),
            };
      if (ph.type === PT_LOAD) {
        this.inFile(what, o, ph.offset, ph.filesz);
        if (ph.memsz < ph.filesz) this.fail(what, o, `p_memsz ${ph.memsz} is smaller than p_filesz ${ph.filesz}`);
      } else if (ph.filesz > 0) {
        this.inFile(what, o, ph.offset, ph.filesz);
      }
      out.push(ph);
    }
    return out;
  }

  private readSectionHeaders(): ElfSectionHeader[] {
    const h = this.header;
    const out: ElfSectionHeader[] = [];
    for (let i = 0; i < h.shnum; i++) {
      const o = h.shoff + i * h.shentsize;
      const what = `section header ${i}`;
      const sh: ElfSectionHeader =
        h.bits === 64
          ? {
              index: i, name: this.u32(o), type: this.u32(o + 4), flags: this.u64(o + 8), addr: this.u64(o + 16),
              offset: this.small(this.u64(o + 24), what, o + 24), size: this.small(this.u64(o + 32), what, o + 32),
              link: this.u32(o + 40), info: this.u32(o + 44), addralign: this.small(this.u64(o + 48), what, o + 48),
              entsize: this.small(this.u64(o + 56), what, o + 56),
            }
          : {
              index: i, name: this.u32(o), type: this.u32(o + 4), flags: BigInt(this.u32(o + 8)), addr: BigInt(this.u32(o + 12)),
              offset: this.u32(o + 16), size: this.u32(o + 20), link: this.u32(o + 24), info: this.u32(o + 28),
              addralign: this.u32(o + 32), entsize: this.u32(o + 36),
            };
      if (sh.type !== SHT_NOBITS && sh.type !== SHT_NULL) this.inFile(what, o, sh.offset, sh.size);
      out.push(sh);
    }
    return out;
  }
}
