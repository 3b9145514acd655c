export type { BootPiece, EntryRegs, BootEntry, BootImage, Booter, E820Entry, MemRange } from "./image.js";
export { KbootError, ElfFormatError, LoadError, LayoutError, KenvError, RelocationError } from "./errors.js";
export { ElfFile } from "./wire/elf.js";
export type { ElfHeader, ElfProgramHeader, ElfSectionHeader, ElfSymbol, ElfRelocation } from "./wire/elf.js";
export * as elf from "./wire/elf-constants.js";
export { encodeModinfo, decodeModinfo } from "./wire/modinfo.js";
export type { MetadataRecord, ModinfoFile, RawModinfoRecord, KernelWidth } from "./wire/modinfo.js";
export { encodeKenv } from "./wire/kenv.js";
export type { KenvEntries } from "./wire/kenv.js";
export { encodeSmap } from "./wire/smap.js";
export { encodeBootinfo } from "./wire/bootinfo.js";
export type { BootinfoFields } from "./wire/bootinfo.js";
export { MemoryPlanner, usableRanges, alignUp, E820_RAM, PLAN_MIN, PLAN_LIMIT } from "./plan.js";
export type { PlanOptions, Placement } from "./plan.js";
export { MODINFO, MODINFOMD, RB, MDT, FILE_TYPE, BOOTINFO_VERSION, BOOTINFO_SIZE, N_BIOS_GEOM, PAGE_SIZE, KERNBASE_MASK, PG, SMAP_ENTRY_SIZE } from "./freebsd/constants.js";
export { FreeBsdBoot } from "./freebsd/boot.js";
export type { LoadedModule, FreeBsdBuildOptions, FreeBsdBootImage } from "./freebsd/boot.js";
export type { FreeBsdArch } from "./freebsd/files.js";
export { readModuleMetadata, moduleDependencies } from "./freebsd/modmetadata.js";
export type { ModuleDependency, ModuleVersion, ModuleMetadata } from "./freebsd/modmetadata.js";
export { amd64PageTables, PAGE_TABLES_SIZE } from "./freebsd/pagetables.js";

// Linux (bzImage + initrds) and Multiboot kernels, and telling kernels apart
export * from "./other-kernels.js";

// The loader's front end: loader.conf, boot flags, gzip, integrity.
export * from "./conf/index.js";
export { HOWTO_LETTERS, HOWTO_ENV } from "./howto.js";
export { BootFlagError, parseBootArgs, flagBits, howtoFromEnv, howtoToEnv, howtoFromConsole } from "./flags.js";
export type { BootArgs } from "./flags.js";
export { kernelHandoff, COMCONSOLE_DEFAULTS } from "./boot-env.js";
export type { KernelHandoff } from "./boot-env.js";
export { GzipError, GzipMemoryError, isGzip, gunzipIfNeeded, stripGz, type GunzipOptions } from "./gzip.js";
export { BadDigestError, ChecksumError, parseDigest, checkSha256 } from "./integrity.js";
