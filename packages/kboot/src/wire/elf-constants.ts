// ELF numbers (System V gABI, and the x86 psABIs for the machine-specific ones).

/** e_ident[EI_CLASS]: 32-bit objects. */
export const ELFCLASS32 = 1;
/** e_ident[EI_CLASS]: 64-bit objects. */
export const ELFCLASS64 = 2;
/** e_ident[EI_DATA]: little endian. */
export const ELFDATA2LSB = 1;
/** e_ident[EI_DATA]: big endian. */
export const ELFDATA2MSB = 2;
/** e_version / e_ident[EI_VERSION]: the only version. */
export const EV_CURRENT = 1;
/** e_ident[EI_OSABI]: FreeBSD. */
export const ELFOSABI_FREEBSD = 9;

/** e_type: relocatable object (amd64 FreeBSD .ko). */
export const ET_REL = 1;
/** e_type: executable (kernels). */
export const ET_EXEC = 2;
/** e_type: shared object (i386 FreeBSD .ko). */
export const ET_DYN = 3;

/** e_machine: Intel 80386. */
export const EM_386 = 3;
/** e_machine: AMD x86-64. */
export const EM_X86_64 = 62;

/** p_type: loadable segment. */
export const PT_LOAD = 1;
/** p_type: dynamic linking information. */
export const PT_DYNAMIC = 2;
/** p_flags: executable. */
export const PF_X = 1;
/** p_flags: writable. */
export const PF_W = 2;
/** p_flags: readable. */
export const PF_R = 4;

/** sh_type: unused. */
export const SHT_NULL = 0;
/** sh_type: program data. */
export const SHT_PROGBITS = 1;
/** sh_type: symbol table. */
export const SHT_SYMTAB = 2;
/** sh_type: string table. */
export const SHT_STRTAB = 3;
/** sh_type: relocations with addends. */
export const SHT_RELA = 4;
/** sh_type: symbol hash table. */
export const SHT_HASH = 5;
/** sh_type: dynamic linking information. */
export const SHT_DYNAMIC = 6;
/** sh_type: occupies no file space (BSS). */
export const SHT_NOBITS = 8;
/** sh_type: relocations without addends. */
export const SHT_REL = 9;
/** sh_type: dynamic symbol table. */
export const SHT_DYNSYM = 11;
/** sh_type (x86-64 psABI): unwind tables. */
export const SHT_X86_64_UNWIND = 0x70000001;

/** sh_flags: writable. */
export const SHF_WRITE = 1;
/** sh_flags: occupies memory at run time. */
export const SHF_ALLOC = 2;
/** sh_flags: executable. */
export const SHF_EXECINSTR = 4;

/** st_shndx: undefined symbol. */
export const SHN_UNDEF = 0;
/** st_shndx: first reserved index (SHN_LORESERVE). */
export const SHN_LORESERVE = 0xff00;
/** st_shndx: absolute value. */
export const SHN_ABS = 0xfff1;

/** x86-64 relocation: S + A, 64 bits. */
export const R_X86_64_64 = 1;
/** i386 relocation: S + A, 32 bits. */
export const R_386_32 = 1;
/** i386 relocation: B + A. */
export const R_386_RELATIVE = 8;
