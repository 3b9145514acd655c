// An ET_REL module (amd64 .ko) in memory as stand/common/load_elf_obj.c
// (obj_loadimage) puts it: from the base, each SHF_ALLOC PROGBITS, NOBITS and
// X86_64_UNWIND section at its alignment, then the symbol table, its strings,
// the section names, and the REL/RELA tables of allocated sections. The
// section header table goes to the kernel (MODINFOMD_SHDR) with every sh_addr
// rewritten to where the section now is (0 for sections not loaded).
import { LoadError } from "../errors.js";
import type { ElfFile } from "../wire/elf.js";
import { SHF_ALLOC, SHT_NOBITS, SHT_PROGBITS, SHT_REL, SHT_RELA, SHT_STRTAB, SHT_SYMTAB, SHT_X86_64_UNWIND } from "../wire/elf-constants.js";
import { putU32, putU64 } from "../wire/le.js";
import { MODINFOMD } from "./constants.js";
import { type FileLayout, roundup } from "./exec-layout.js";

/** Section placement relative to the module's base: offset per section index, or -1 when not loaded. */
export interface ObjPlan {
  /** Offset from the base of each section (index = section index), -1 = not loaded. */
  readonly offsets: readonly number[];
  /** Bytes from the base to the end of the last loaded section. */
  readonly span: number;
  /** Index of the symbol table. */
  readonly symtab: number;
}

const alloc = (flags: bigint) => (flags & BigInt(SHF_ALLOC)) !== 0n;

/**
 * Decides where each section goes, relative to a base that is aligned at
 * least to the largest sh_addralign (a page is enough for every real .ko).
 */
export function planObj(elf: ElfFile, name: string): ObjPlan {
  const h = elf.header;
  if (h.shnum === 0 || h.shoff === 0) throw new LoadError(name, "an ET_REL module needs section headers");
  const shdr = elf.sectionHeaders;
  const offsets = shdr.map(() => -1);
  let at = 0;
  const put = (i: number) => {
    at = roundup(at, shdr[i].addralign);
    offsets[i] = at;
    at += shdr[i].size;
  };
  for (const sh of shdr) {
    if (sh.size === 0) continue;
    if ((sh.type === SHT_PROGBITS || sh.type === SHT_NOBITS || sh.type === SHT_X86_64_UNWIND) && alloc(sh.flags)) put(sh.index);
  }
  const symtabs = shdr.filter((sh) => sh.type === SHT_SYMTAB);
  if (symtabs.length !== 1) throw new LoadError(name, `has ${symtabs.length} symbol tables; an ET_REL module needs exactly one`);
  const symtab = symtabs[0].index;
  put(symtab);
  const strtab = shdr[symtab].link;
  if (strtab === 0 || strtab >= shdr.length || shdr[strtab].type !== SHT_STRTAB) throw new LoadError(name, "its symbol table has no valid string table");
  put(strtab);
  const shstr = h.shstrndx;
  if (shstr === 0 || shdr[shstr].type !== SHT_STRTAB) throw new LoadError(name, "has no section name table");
  put(shstr);
  for (const sh of shdr) {
    if (sh.type !== SHT_REL && sh.type !== SHT_RELA) continue;
    const target = shdr[sh.info];
    if (target === undefined) elf.fail(`section header ${sh.index}`, h.shoff, `relocation target section ${sh.info} does not exist`);
    if (!alloc(target.flags)) continue;
    put(sh.index);
  }
  return { offsets, span: at, symtab };
}

/** Lays the module out at `base` (page-aligned): one chunk holding every loaded section, and the rewritten SHDR. */
export function layoutObj(elf: ElfFile, plan: ObjPlan, base: number, name: string): FileLayout {
  const shdr = elf.sectionHeaders;
  let dataEnd = 0;
  for (const sh of shdr) {
    const off = plan.offsets[sh.index];
    if (off >= 0 && sh.type !== SHT_NOBITS) dataEnd = Math.max(dataEnd, off + sh.size);
  }
  const image = new Uint8Array(dataEnd);
  for (const sh of shdr) {
    const off = plan.offsets[sh.index];
    if (off < 0 || sh.type === SHT_NOBITS) continue;
    image.set(elf.sectionData(sh), off);
  }
  const table = elf.sectionHeaderBytes().slice();
  const is64 = elf.header.bits === 64;
  const ent = elf.header.shentsize;
  const le = elf.header.littleEndian;
  for (const sh of shdr) {
    const off = plan.offsets[sh.index];
    const addr = off < 0 ? 0 : base + off;
    const at = sh.index * ent + (is64 ? 16 : 12);
    if (is64) putU64(table, at, addr);
    else putU32(table, at, addr);
    if (!le) table.subarray(at, at + (is64 ? 8 : 4)).reverse();
  }
  return {
    addr: base,
    size: plan.span,
    chunks: [{ label: name, dest: base, data: image, zero: plan.span - dataEnd }],
    metadata: [
      { type: MODINFOMD.SHDR, data: table },
      { type: MODINFOMD.ELFHDR, data: elf.headerBytes() },
    ],
  };
}
