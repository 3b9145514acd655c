// The relocations the FreeBSD kernel applies to a preloaded "elf obj module"
// (sys/kern/link_elf_obj.c relocates every REL/RELA section whose target
// section was loaded, through elf_reloc in sys/<arch>/<arch>/elf_machdep.c).
// A type that function does not know makes the kernel print "kldload:
// unexpected relocation type N" and drop the whole module, long after the
// loader is gone (typically the root then fails to mount). Checking at load
// time turns that into an error at the prompt, naming the place.
import { RelocationError } from "../errors.js";
import type { ElfFile } from "../wire/elf.js";
import { SHT_REL, SHT_RELA } from "../wire/elf-constants.js";
import type { ObjPlan } from "./obj-layout.js";

/**
 * Relocation types elf_reloc_internal applies, per kernel (FreeBSD 13/14
 * amd64: NONE, 64, PC32, PLT32, GLOB_DAT, JUMP_SLOT, RELATIVE, 32S,
 * IRELATIVE; i386: NONE, 32, PC32, GLOB_DAT, JMP_SLOT, RELATIVE, IRELATIVE).
 */
const KERNEL_RELOCATIONS = {
  amd64: [0, 1, 2, 4, 6, 7, 8, 11, 37] as readonly number[],
  i386: [0, 1, 2, 6, 7, 8, 42] as readonly number[],
} as const;

/** The kernels {@link KERNEL_RELOCATIONS} knows (FreeBsdArch). */
type KernelArch = keyof typeof KERNEL_RELOCATIONS;

/** Names of the amd64 relocation types a module may wrongly carry (for messages). */
const AMD64_NAMES: Readonly<Record<number, string>> = {
  3: "R_X86_64_GOT32",
  5: "R_X86_64_COPY",
  9: "R_X86_64_GOTPCREL",
  10: "R_X86_64_32",
  41: "R_X86_64_GOTPCRELX",
  42: "R_X86_64_REX_GOTPCRELX",
};
const GOT_TYPES = [3, 9, 41, 42];

/**
 * Throws RelocationError for the first relocation of a loaded section that
 * the `arch` kernel cannot apply. `plan` says which sections are loaded.
 */
export function checkObjRelocations(elf: ElfFile, plan: ObjPlan, arch: KernelArch, name: string): void {
  const known = KERNEL_RELOCATIONS[arch];
  const is64 = elf.header.bits === 64;
  const shdr = elf.sectionHeaders;
  for (const sh of shdr) {
    if ((sh.type !== SHT_REL && sh.type !== SHT_RELA) || plan.offsets[sh.index] < 0) continue;
    const ent = (is64 ? 16 : 8) + (sh.type === SHT_RELA ? (is64 ? 8 : 4) : 0);
    for (let o = sh.offset; o + ent <= sh.offset + sh.size; o += ent) {
      // r_info's type: the low 32 bits (ELF64) or the low byte (ELF32).
      const type = is64 ? elf.u32(o + (elf.header.littleEndian ? 8 : 12)) : elf.u32(o + 4) & 0xff;
      if (known.indexOf(type) >= 0) continue;
      const r = elf.relocations({ ...sh, offset: o, size: ent }, sh.type === SHT_RELA)[0];
      throw new RelocationError(name, elf.sectionName(shdr[sh.info]), Number(r.offset), type, typeName(arch, type), symbolName(elf, plan, r.sym), hint(arch, type));
    }
  }
}

function typeName(arch: KernelArch, type: number): string {
  const n = arch === "amd64" ? AMD64_NAMES[type] : undefined;
  return n === undefined ? `type ${type}` : `${n} (type ${type})`;
}

function hint(arch: KernelArch, type: number): string {
  if (arch !== "amd64" || GOT_TYPES.indexOf(type) < 0) return "";
  return "; upstream clang before 19 reaches __stack_chk_guard through the GOT like this (-fstack-protector): build the module with FreeBSD's own clang, or without -fstack-protector";
}

function symbolName(elf: ElfFile, plan: ObjPlan, index: number): string {
  const symtab = elf.sectionHeaders[plan.symtab];
  if (index <= 0 || index >= elf.symbolCount(symtab)) return "";
  return elf.string(elf.sectionHeaders[symtab.link], elf.symbol(symtab, index).name);
}
