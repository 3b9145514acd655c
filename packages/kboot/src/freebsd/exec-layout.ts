// An ET_EXEC kernel or ET_DYN module in memory as stand/common/load_elf.c
// (loadimage) puts it: every PT_LOAD at p_vaddr + off, the end rounded to 4
// (the 32-bit loader's sizeof(long)), then, when a SHT_SYMTAB lies outside
// every PT_LOAD, the symbol table and its strings, each preceded by its size
// as an Elf_Size and padded to one: [size][symtab][size][strtab] from SSYM
// to ESYM.
import type { ElfFile, ElfSectionHeader } from "../wire/elf.js";
import { PT_DYNAMIC, PT_LOAD, SHT_SYMTAB } from "../wire/elf-constants.js";
import { putU32, putU64, u32le, u64le } from "../wire/le.js";
import type { MetadataRecord } from "../wire/modinfo.js";
import { LoadError } from "../errors.js";
import { MODINFOMD } from "./constants.js";

/** Bytes to copy to a physical address, then zero fill. */
export interface Chunk {
  /** Piece name. */
  readonly label: string;
  /** Physical address. */
  readonly dest: number;
  /** Bytes. */
  readonly data: Uint8Array;
  /** Zero bytes after data. */
  readonly zero: number;
}

/** Where an ELF file went and what FreeBSD's loader records about it. */
export interface FileLayout {
  /** MODINFO_ADDR (f_addr). */
  readonly addr: number;
  /** MODINFO_SIZE (f_size). */
  readonly size: number;
  /** Memory contents. */
  readonly chunks: readonly Chunk[];
  /** Metadata records in the order the loader adds them (the kernel gets them reversed). */
  readonly metadata: readonly MetadataRecord[];
  /** SSYM, when symbols were loaded. */
  readonly ssym?: number;
  /** ESYM, when symbols were loaded. */
  readonly esym?: number;
}

const LIMIT = 0x100000000n;

/** Lays out an ET_EXEC/ET_DYN file with load offset `off` (physical = p_vaddr + off, modulo 2^64). */
export function layoutExec(elf: ElfFile, off: bigint, name: string): FileLayout {
  const is64 = elf.header.bits === 64;
  const word = (v: number | bigint) => (is64 ? u64le(v) : u32le(Number(v)));
  const loads = elf.programHeaders.filter((p) => p.type === PT_LOAD);
  if (loads.length === 0) throw new LoadError(name, "no PT_LOAD segment");
  const chunks: Chunk[] = [];
  let first = -1;
  let last = 0;
  loads.forEach((ph, i) => {
    const phys = BigInt.asUintN(64, ph.vaddr + off);
    if (phys + BigInt(ph.memsz) > LIMIT) {
      throw new LoadError(name, `segment ${ph.index} (vaddr 0x${ph.vaddr.toString(16)}) would load at 0x${phys.toString(16)}, beyond 4 GiB`);
    }
    const dest = Number(phys);
    chunks.push({ label: loads.length === 1 ? name : `${name} segment ${i}`, dest, data: elf.bytes.subarray(ph.offset, ph.offset + ph.filesz), zero: ph.memsz - ph.filesz });
    if (first < 0 || dest < first) first = dest;
    if (dest + ph.memsz > last) last = dest + ph.memsz;
  });
  last = roundup(last, 4);

  const metadata: MetadataRecord[] = [];
  const h = elf.header;
  let ssym: number | undefined;
  let esym: number | undefined;
  if (h.shnum > 0 && h.shoff !== 0) {
    metadata.push({ type: MODINFOMD.SHDR, data: elf.sectionHeaderBytes() });
    const ctors = elf.sectionByName(".ctors");
    if (ctors) {
      metadata.push({ type: MODINFOMD.CTORS_ADDR, data: word(ctors.addr) });
      metadata.push({ type: MODINFOMD.CTORS_SIZE, data: word(ctors.size) });
    }
    const symtab = findSymtab(elf);
    if (symtab) {
      const strtab = elf.section(symtab.link, `sh_link of symbol table ${symtab.index}`);
      const sz = is64 ? 8 : 4;
      ssym = last;
      // Offsets are rounded as absolute addresses, as the loader does.
      let end = ssym;
      for (const s of [symtab, strtab]) end = roundup(end + sz + s.size, sz);
      const n = end - ssym;
      const blob = new Uint8Array(n);
      let at = ssym;
      for (const s of [symtab, strtab]) {
        if (is64) putU64(blob, at - ssym, s.size);
        else putU32(blob, at - ssym, s.size);
        blob.set(elf.sectionData(s), at - ssym + sz);
        at = roundup(at + sz + s.size, sz);
      }
      if (BigInt(ssym + n) > LIMIT) throw new LoadError(name, "symbol table would lie beyond 4 GiB");
      chunks.push({ label: `${name} symbols`, dest: ssym, data: blob, zero: 0 });
      last = esym = ssym + n;
      metadata.push({ type: MODINFOMD.SSYM, data: word(ssym) });
      metadata.push({ type: MODINFOMD.ESYM, data: word(esym) });
    }
  }
  const dyn = elf.programHeaders.find((p) => p.type === PT_DYNAMIC);
  if (dyn) metadata.push({ type: MODINFOMD.DYNAMIC, data: word(dyn.vaddr) });
  metadata.push({ type: MODINFOMD.ELFHDR, data: elf.headerBytes() });
  return { addr: first, size: last - first, chunks, metadata, ...(ssym !== undefined ? { ssym, esym } : {}) };
}

/** The last SHT_SYMTAB whose bytes are not inside a PT_LOAD's file range (load_elf.c's choice). */
function findSymtab(elf: ElfFile): ElfSectionHeader | undefined {
  let found: ElfSectionHeader | undefined;
  for (const sh of elf.sectionHeaders) {
    if (sh.type !== SHT_SYMTAB) continue;
    const loaded = elf.programHeaders.some((p) => p.type === PT_LOAD && sh.offset >= p.offset && sh.offset + sh.size <= p.offset + p.filesz);
    if (loaded || sh.offset === 0 || sh.size === 0) continue;
    if (sh.link === sh.index) elf.fail(`section header ${sh.index}`, elf.header.shoff, "symbol table links to itself as its string table");
    found = sh;
  }
  return found;
}

/** Rounds n up to a multiple of a (a >= 1). */
export function roundup(n: number, a: number): number {
  return a <= 1 ? n : Math.ceil(n / a) * a;
}
