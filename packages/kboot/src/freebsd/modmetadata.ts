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
  /** The u32 at addr in the file's byte order. */
  u32(addr: number): number;
  /** The file bytes from addr to the end of what holds it, and whether zero fill follows them. */
  rest(addr: number): { data: Uint8Array; zeroAfter: boolean };
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
  const i32 = (addr: number) => space.u32(addr) | 0;
  for (let p = start; p + ps <= start + set.size; p += ps) {
    const md = space.ptr(p);
    const type = i32(md + 4);
    if (type !== MDT.DEPEND && type !== MDT.VERSION) continue;
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
  const { data, zeroAfter } = space.rest(addr);
  const n = Math.min(data.length, MAX_NAME);
  for (let i = 0; i < n; i++) if (data[i] === 0) return latin1(data, 0, i);
  if (zeroAfter && data.length < MAX_NAME) return latin1(data);
  return elf.fail("modmetadata", 0, `module name at 0x${addr.toString(16)} is not NUL-terminated within ${Math.min(data.length, MAX_NAME)} bytes`);
}

/**
 * ET_EXEC / ET_DYN: addresses are p_vaddr, kept as numbers relative to
 * `base` (64-bit kernels link at KERNBASE: base is e_entry with the low 32
 * bits cleared, so an address is its low 32 bits); pointers are stored
 * linked (ET_DYN: relative to 0, R_386_RELATIVE leaves them in place).
 */
function execSpace(elf: ElfFile): AddressSpace {
  const ptrSize = elf.header.bits === 64 ? 8 : 4;
  const base = elf.header.bits === 64 ? elf.header.entry & ~0xffffffffn : 0n;
  const segs = elf.programHeaders
    .filter((p) => p.type === PT_LOAD)
    .map((p) => ({ start: Number(BigInt.asIntN(64, p.vaddr - base)), memsz: p.memsz, filesz: p.filesz, offset: p.offset }));
  const find = (addr: number, n: number) => {
    for (let i = 0; i < segs.length; i++) {
      const sg = segs[i];
      if (addr >= sg.start && addr + n <= sg.start + sg.memsz) return sg;
    }
    return elf.fail("modmetadata", 0, `address 0x${(BigInt(addr) + base).toString(16)} (+${n}) is in no PT_LOAD segment`);
  };
  const bytes = (addr: number, n: number): Uint8Array => {
    const sg = find(addr, n);
    const off = addr - sg.start;
    if (off + n <= sg.filesz) return elf.bytes.subarray(sg.offset + off, sg.offset + off + n);
    const out = new Uint8Array(n);
    if (off < sg.filesz) out.set(elf.bytes.subarray(sg.offset + off, sg.offset + sg.filesz));
    return out;
  };
  const low = elf.header.littleEndian || ptrSize === 4 ? 0 : 4;
  const u32 = (addr: number): number => {
    const sg = find(addr, 4);
    const off = addr - sg.start;
    if (off + 4 <= sg.filesz) return elf.u32(sg.offset + off);
    return readU32(elf, bytes(addr, 4));
  };
  return {
    ptrSize,
    bytes,
    u32,
    rest: (addr) => {
      const sg = find(addr, 1);
      const off = addr - sg.start;
      return { data: elf.bytes.subarray(sg.offset + Math.min(off, sg.filesz), sg.offset + sg.filesz), zeroAfter: sg.memsz > sg.filesz };
    },
    sectionAddr: (index) => Number(BigInt.asUintN(32, elf.sectionHeaders[index].addr - base)),
    // The low 32 bits of the stored pointer are its address relative to base.
    ptr: (addr) => u32(addr + low),
  };
}

function readU32(elf: ElfFile, b: Uint8Array): number {
  return Number(readWord(elf, b));
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
  const rest = (addr: number) => {
    const sh = find(addr, 1);
    if (sh.type === SHT_NOBITS) return { data: new Uint8Array(0), zeroAfter: true };
    const o = sh.offset + addr - plan.offsets[sh.index];
    return { data: elf.bytes.subarray(o, sh.offset + sh.size), zeroAfter: false };
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
    u32: (addr) => readU32(elf, bytes(addr, 4)),
    rest,
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
