// The files FreeBsdBoot holds: the kernel (at its fixed physical addresses),
// ELF modules (ET_DYN "elf module", ET_REL "elf obj module") and raw files,
// each able to say how much room it needs and to lay itself out at a base.
import { LoadError } from "../errors.js";
import { ElfFile } from "../wire/elf.js";
import { EM_386, EM_X86_64, ET_DYN, ET_EXEC, ET_REL } from "../wire/elf-constants.js";
import { FILE_TYPE, KERNBASE_MASK, PAGE_SIZE } from "./constants.js";
import { type FileLayout, layoutExec } from "./exec-layout.js";
import { type ModuleMetadata, readModuleMetadata } from "./modmetadata.js";
import { layoutObj, planObj, type ObjPlan } from "./obj-layout.js";
import { checkObjRelocations } from "./obj-relocs.js";

/** The two kernels FreeBsdBoot starts. */
export type FreeBsdArch = "amd64" | "i386";

/** A file to preload. */
export interface BootFile {
  /** MODINFO_NAME. */
  readonly name: string;
  /** MODINFO_TYPE. */
  readonly type: string;
  /** MODINFO_ARGS (undefined: none). */
  readonly args: string | undefined;
  /** Bytes from its base to the end of what it occupies. */
  readonly span: number;
  /** Alignment of its base. */
  readonly align: number;
  /** Its modmetadata (empty for raw files). */
  readonly modules: ModuleMetadata;
  /** Lays it out at `base`. */
  layout(base: number): FileLayout;
}

/** The kernel: fixed addresses, entry point and arch. */
export interface KernelFile extends BootFile {
  /** amd64 or i386. */
  readonly arch: FreeBsdArch;
  /** Where it must go (its MODINFO_ADDR). */
  readonly base: number;
  /** e_entry. */
  readonly entry: bigint;
  /** Its layout (fixed). */
  readonly fixed: FileLayout;
}

const NONE: ModuleMetadata = { depends: [], provides: [] };

function archOf(elf: ElfFile): FreeBsdArch | undefined {
  const h = elf.header;
  if (!h.littleEndian) return undefined;
  if (h.bits === 64 && h.machine === EM_X86_64) return "amd64";
  if (h.bits === 32 && h.machine === EM_386) return "i386";
  return undefined;
}

/** Reads a kernel as load_elf.c does: ET_EXEC, loaded at p_vaddr - (e_entry & KERNBASE mask). */
export function kernelFile(name: string, bytes: Uint8Array, args: string | undefined): KernelFile {
  const elf = ElfFile.parse(bytes, name);
  const arch = archOf(elf);
  if (!arch) throw new LoadError(name, `not an amd64 or i386 kernel (ELF${elf.header.bits}, machine ${elf.header.machine}, ${elf.header.littleEndian ? "little" : "big"} endian)`);
  if (elf.header.type !== ET_EXEC) throw new LoadError(name, `is ELF type ${elf.header.type}, a kernel is ET_EXEC (2)`);
  const entry = elf.header.entry;
  if ((entry & ~BigInt(PAGE_SIZE - 1)) === 0n) throw new LoadError(name, "not a kernel (entry point in the first page; maybe a static binary?)");
  const off = BigInt.asUintN(64, -(entry & KERNBASE_MASK[arch]));
  const fixed = layoutExec(elf, off, name);
  return {
    name,
    type: arch === "amd64" ? FILE_TYPE.KERNEL_AMD64 : FILE_TYPE.KERNEL_I386,
    args,
    arch,
    base: fixed.addr,
    entry,
    fixed,
    span: fixed.size,
    align: 1,
    modules: readModuleMetadata(elf, name),
    layout: () => fixed,
  };
}

/**
 * Reads a .ko for a kernel of `arch`: i386 ET_DYN "elf module", amd64 (or
 * i386) ET_REL "elf obj module" (RelocationError when it holds a relocation
 * that kernel's linker cannot apply).
 */
export function moduleFile(name: string, bytes: Uint8Array, args: string | undefined, arch: FreeBsdArch): BootFile {
  const elf = ElfFile.parse(bytes, name);
  const a = archOf(elf);
  if (a !== arch) {
    throw new LoadError(name, `is an ${a ?? `ELF${elf.header.bits} machine ${elf.header.machine}`} file; the ${arch} kernel needs ${arch === "amd64" ? "ELF64 x86-64" : "ELF32 i386"} modules`);
  }
  const modules = readModuleMetadata(elf, name);
  if (elf.header.type === ET_REL) {
    const plan: ObjPlan = planObj(elf, name);
    checkObjRelocations(elf, plan, arch, name);
    const maxAlign = Math.max(PAGE_SIZE, ...elf.sectionHeaders.map((s) => (plan.offsets[s.index] >= 0 ? s.addralign : 1)));
    return { name, type: FILE_TYPE.OBJ_MODULE, args, span: plan.span, align: maxAlign, modules, layout: (base) => layoutObj(elf, plan, base, name) };
  }
  if (elf.header.type === ET_DYN && arch === "i386") {
    const probe = layoutExec(elf, 0n, name);
    const span = probe.addr + probe.size;
    return { name, type: FILE_TYPE.MODULE, args, span, align: PAGE_SIZE, modules, layout: (base) => layoutExec(elf, BigInt(base), name) };
  }
  throw new LoadError(name, `ELF type ${elf.header.type} is not a module for the ${arch} kernel (${arch === "amd64" ? "ET_REL" : "ET_DYN or ET_REL"})`);
}

/** A file loaded as bytes with a type (md_image, mfs_root, ...). */
export function rawFile(name: string, type: string, bytes: Uint8Array, args: string | undefined): BootFile {
  return {
    name,
    type,
    args,
    span: bytes.length,
    align: PAGE_SIZE,
    modules: NONE,
    layout: (base) => ({ addr: base, size: bytes.length, chunks: [{ label: name, dest: base, data: bytes, zero: 0 }], metadata: [] }),
  };
}
