// FreeBSD's numbers for the kernel hand-off, as facts from its headers:
// sys/sys/linker.h (MODINFO_*, MODINFOMD_*), sys/x86/include/metadata.h (x86
// MODINFOMD_*), sys/sys/reboot.h (RB_*), sys/sys/module.h (MDT_*),
// sys/i386/include/bootinfo.h (struct bootinfo) and stand/ (type strings,
// KERNBASE masks, page table bits). test/constants.test.ts checks them
// against shared/DESIGN.md §5.

/** Module information record types (sys/sys/linker.h). */
export const MODINFO = {
  END: 0x0000,
  NAME: 0x0001,
  TYPE: 0x0002,
  ADDR: 0x0003,
  SIZE: 0x0004,
  EMPTY: 0x0005,
  ARGS: 0x0006,
  METADATA: 0x8000,
} as const;

/** Metadata subtypes, or-ed with MODINFO.METADATA (sys/sys/linker.h, sys/x86/include/metadata.h). */
export const MODINFOMD = {
  AOUTEXEC: 0x0001,
  ELFHDR: 0x0002,
  SSYM: 0x0003,
  ESYM: 0x0004,
  DYNAMIC: 0x0005,
  ENVP: 0x0006,
  HOWTO: 0x0007,
  KERNEND: 0x0008,
  SHDR: 0x0009,
  CTORS_ADDR: 0x000a,
  CTORS_SIZE: 0x000b,
  FW_HANDLE: 0x000c,
  KEYBUF: 0x000d,
  FONT: 0x000e,
  SPLASH: 0x000f,
  NOCOPY: 0x8000,
  /** x86 */
  SMAP: 0x1001,
  SMAP_XATTR: 0x1002,
  DTBP: 0x1003,
  EFI_MAP: 0x1004,
  EFI_FB: 0x1005,
  MODULEP: 0x1006,
  VBE_FB: 0x1007,
} as const;

/** Boot flags, the kernel's boothowto (sys/sys/reboot.h). */
export const RB = {
  AUTOBOOT: 0,
  ASKNAME: 0x001,
  SINGLE: 0x002,
  NOSYNC: 0x004,
  HALT: 0x008,
  INITNAME: 0x010,
  DFLTROOT: 0x020,
  KDB: 0x040,
  RDONLY: 0x080,
  DUMP: 0x100,
  MINIROOT: 0x200,
  VERBOSE: 0x800,
  SERIAL: 0x1000,
  CDROM: 0x2000,
  POWEROFF: 0x4000,
  GDB: 0x8000,
  MUTE: 0x10000,
  SELFTEST: 0x20000,
  PAUSE: 0x100000,
  MULTIPLE: 0x20000000,
  BOOTINFO: 0x80000000,
} as const;

/** Module metadata entry types in a module's modmetadata_set (sys/sys/module.h). */
export const MDT = {
  DEPEND: 1,
  MODULE: 2,
  VERSION: 3,
  PNP_INFO: 4,
} as const;

/** File type strings the kernel searches for (stand/common/load_elf*.c, DESIGN.md §5). */
export const FILE_TYPE = {
  /** i386 kernel. */
  KERNEL_I386: "elf kernel",
  /** amd64 kernel (the kernel also accepts "elf kernel"). */
  KERNEL_AMD64: "elf64 kernel",
  /** amd64 .ko (ET_REL). */
  OBJ_MODULE: "elf obj module",
  /** i386 .ko (ET_DYN). */
  MODULE: "elf module",
  /** Memory-disk image. */
  MD_IMAGE: "md_image",
  /** Memory-disk root (older name). */
  MFS_ROOT: "mfs_root",
} as const;

/** struct bootinfo's version (sys/i386/include/bootinfo.h BOOTINFO_VERSION). */
export const BOOTINFO_VERSION = 1;
/** struct bootinfo's bi_bios_geom entries (N_BIOS_GEOM). */
export const N_BIOS_GEOM = 8;
/** sizeof(struct bootinfo) on i386: 3 + 1 + 8 + 1 u32, 4 bytes of u8, 4 + 3 u32 = 84. */
export const BOOTINFO_SIZE = 84;

/** The loader's page size. */
export const PAGE_SIZE = 4096;

/**
 * The bits load_elf.c masks off the entry point to find the kernel's
 * virtual base: physical = virtual - (entry & mask).
 */
export const KERNBASE_MASK = {
  amd64: 0xffffffffff000000n,
  i386: 0xff000000n,
} as const;

/** Page table entry bits used by the amd64 trampoline (stand/i386/libi386/elf64_freebsd.c). */
export const PG = {
  V: 0x001,
  RW: 0x002,
  PS: 0x080,
} as const;

/** struct bios_smap: base u64, length u64, type u32, packed (sys/x86/include/bios.h... machine/pc/bios.h). */
export const SMAP_ENTRY_SIZE = 20;
