// A module's (or the kernel's) modmetadata_set, read as load_elf.c's
// parse_modmetadata and load_elf_obj.c's obj_parse_modmetadata do: an array of
// pointers to struct mod_metadata { int md_version; int md_type; void
// *md_data; const char *md_cval; } (sys/sys/module.h). MDT_DEPEND entries name
// a module this one needs (md_data -> struct mod_depend { int min, preferred,
// max; }); MDT_VERSION entries name a module this file provides (md_data ->
// struct mod_version { int mv_version; }).
import { latin1 } from "@pxe/core";
import { ElfFile, type ElfRelocation, type ElfSectionHeader } from "../wire/elf.js";
import { ET_REL, PT_LOAD, R_386_32, R_X86_64_64, SHN_LORESERVE, SHT_NOBITS, SHT_REL, SHT_RELA } from "../wire/elf-constants.js";
import { MDT } from "./constants.js";
import { planObj } from "./obj-layout.js";

/** A module this file needs (MODULE_DEPEND). */
export interface ModuleDependency {
  /** Module name, e.g. "g_part"; FreeBSD's loader looks for "<name>.ko" when no linker.hints says otherwise. */
  readonly name: string;
  /** Lowest acceptable version. */
  readonly min: number;
  /** Preferred version. */
  readonly preferred: number;
  /** Highest acceptable version. */
  readonly max: number;
}

/** A module this file provides (MODULE_VERSION). */
export interface ModuleVersion {
  /** Module name. */
  readonly name: string;
  /** Its version. */
  readonly version: number;
}

/** What a file's modmetadata_set says. */
export interface ModuleMetadata {
  /** Modules it needs. */
  readonly depends: readonly ModuleDependency[];
  /** Modules it provides. */
  readonly provides: readonly ModuleVersion[];
}

const MAX_NAME = 1024;

/** A file's link-time address space: bytes and relocated pointers at addresses. */
interface AddressSpace {
  readonly ptrSize: number;
  bytes(addr: number, n: number): Uint8Array;
  ptr(addr: number): number;
  sectionAddr(index: number): number;
}

/** Reads the modmetadata_set of `elf` (empty when it has none). ElfFormatError when a pointer leads outside the file. */
export function readModuleMetadata(elf: ElfFile, name = elf.file): ModuleMetadata {
  const set = elf.sectionByName("set_modmetadata_set");
  if (!set) return { depends: [], provides: [] };
  const space = elf.header.type === ET_REL ? objSpace(elf, name) : execSpace(elf);
  const start = space.sectionAddr(set.index);
  const depends: ModuleDependency[] = [];
  const provides: ModuleVersion[] = [];
  const ps = space.ptrSize;
  const le = elf.header.littleEndian;
  const i32 = (addr: number) => {
    const b = space.bytes(addr, 4);
    const v = new DataView(b.buffer, b.byteOffset, 4);
    return v.getInt32(0, le);
  };
  for (let p = start; p + ps <= start + set.size; p += ps) {
    const md = space.ptr(p);
    const type = i32(md + 4);
    const data = space.ptr(md + 8);
    const cval = space.ptr(md + 8 + ps);
    if (type === MDT.DEPEND) {
      depends.push({ name: cString(space, cval, elf), min: i32(data), preferred: i32(data + 4), max: i32(data + 8) });
    } else if (type === MDT.VERSION) {
      provides.push({ name: cString(space, cval, elf), version: i32(data) });
    }
  }
  return { depends, provides };
}

function cString(space: AddressSpace, addr: number, elf: ElfFile): string {
  let s = "";
  for (let i = 0; i < MAX_NAME; i++) {
    const c = space.bytes(addr + i, 1)[0];
    if (c === 0) return s;
    s += latin1(Uint8Array.of(c));
  }
  return elf.fail("modmetadata", 0, `module name at 0x${addr.toString(16)} is longer than ${MAX_NAME} bytes`);
}

/** ET_EXEC / ET_DYN: addresses are p_vaddr; pointers are stored linked (ET_DYN: relative to 0). */
function execSpace(elf: ElfFile): AddressSpace {
  const loads = elf.programHeaders.filter((p) => p.type === PT_LOAD);
  const ptrSize = elf.header.bits === 64 ? 8 : 4;
  const base = elf.header.bits === 64 ? elf.header.entry & ~0xffffffffn : 0n;
  const bytes = (addr: number, n: number): Uint8Array => {
    const a = BigInt(addr) + base;
    for (const ph of loads) {
      if (a >= ph.vaddr && a + BigInt(n) <= ph.vaddr + BigInt(ph.memsz)) {
        const off = Number(a - ph.vaddr);
        if (off + n <= ph.filesz) return elf.bytes.subarray(ph.offset + off, ph.offset + off + n);
        const out = new Uint8Array(n);
        if (off < ph.filesz) out.set(elf.bytes.subarray(ph.offset + off, ph.offset + ph.filesz));
        return out;
      }
    }
    return elf.fail("modmetadata", 0, `address 0x${a.toString(16)} (+${n}) is in no PT_LOAD segment`);
  };
  return {
    ptrSize,
    bytes,
    sectionAddr: (index) => Number(BigInt.asUintN(32, elf.sectionHeaders[index].addr - base)),
    ptr: (addr) => {
      const v = readWord(elf, bytes(addr, ptrSize));
      // 64-bit kernels link at KERNBASE: keep the low 32 bits, the high ones are `base`.
      return Number(BigInt.asUintN(32, v - base));
    },
  };
}

function readWord(elf: ElfFile, b: Uint8Array): bigint {
  let v = 0n;
  const le = elf.header.littleEndian;
  for (let i = 0; i < b.length; i++) v = (v << 8n) | BigInt(b[le ? b.length - 1 - i : i]);
  return v;
}

/** ET_REL: addresses are the loader's section layout from 0; pointers come from the REL/RELA entries over them. */
function objSpace(elf: ElfFile, name: string): AddressSpace {
  const plan = planObj(elf, name);
  const shdr = elf.sectionHeaders;
  const ptrSize = elf.header.bits === 64 ? 8 : 4;
  const symtab = shdr[plan.symtab];
  const relocs = new Map<number, Map<number, { r: ElfRelocation; rela: boolean }>>();
  const relocsOf = (index: number) => {
    let m = relocs.get(index);
    if (!m) {
      m = new Map();
      for (const sh of shdr) {
        if ((sh.type !== SHT_REL && sh.type !== SHT_RELA) || sh.info !== index) continue;
        for (const r of elf.relocations(sh, sh.type === SHT_RELA)) m.set(Number(r.offset), { r, rela: sh.type === SHT_RELA });
      }
      relocs.set(index, m);
    }
    return m;
  };
  const find = (addr: number, n: number): ElfSectionHeader => {
    for (const sh of shdr) {
      const off = plan.offsets[sh.index];
      if (off >= 0 && addr >= off && addr + n <= off + sh.size) return sh;
    }
    return elf.fail("modmetadata", 0, `address 0x${addr.toString(16)} (+${n}) is in no loaded section`);
  };
  const bytes = (addr: number, n: number): Uint8Array => {
    const sh = find(addr, n);
    if (sh.type === SHT_NOBITS) return new Uint8Array(n);
    const o = sh.offset + addr - plan.offsets[sh.index];
    return elf.bytes.subarray(o, o + n);
  };
  const symAddr = (i: number): number => {
    const sym = elf.symbol(symtab, i);
    if (sym.shndx === 0 || sym.shndx >= SHN_LORESERVE || sym.shndx >= shdr.length || plan.offsets[sym.shndx] < 0) return 0;
    return plan.offsets[sym.shndx] + Number(BigInt.asUintN(32, sym.value));
  };
  const abs = elf.header.bits === 64 ? R_X86_64_64 : R_386_32;
  return {
    ptrSize,
    bytes,
    sectionAddr: (index) => plan.offsets[index],
    ptr: (addr) => {
      const sh = find(addr, ptrSize);
      const raw = readWord(elf, bytes(addr, ptrSize));
      const hit = relocsOf(sh.index).get(addr - plan.offsets[sh.index]);
      if (!hit || hit.r.type !== abs) return Number(BigInt.asUintN(32, raw));
      const a = hit.rela ? hit.r.addend : raw;
      return Number(BigInt.asUintN(32, BigInt(symAddr(hit.r.sym)) + a));
    },
  };
}

/**
 * The modules a .ko (or kernel) file needs, from its MODULE_DEPEND records.
 * Parses the ELF file; ElfFormatError when it is not sound.
 */
export function moduleDependencies(bytes: Uint8Array, name = "module"): ModuleDependency[] {
  return [...readModuleMetadata(ElfFile.parse(bytes, name), name).depends];
}
