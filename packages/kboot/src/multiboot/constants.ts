// Numbers of the Multiboot Specification, version 0.6.96 (multiboot.h).

/** The header's magic field. */
export const HEADER_MAGIC = 0x1badb002;
/** EAX at entry. */
export const BOOTLOADER_MAGIC = 0x2badb002;
/** The header lies 4-byte aligned within the file's first 8192 bytes. */
export const SEARCH = 8192;
/** Header flag 0: align modules on 4 KiB pages. */
export const PAGE_ALIGN = 0x1;
/** Header flag 1: mem_* (and the memory map) must be given. */
export const MEMORY_INFO = 0x2;
/** Header flag 2: video mode information must be given. */
export const VIDEO_MODE = 0x4;
/** Header flag 16: the a.out kludge address fields are valid. */
export const AOUT_KLUDGE = 0x10000;
/** Header flags 0-15 the loader understands (the spec makes any other low bit fatal). */
export const KNOWN_REQUIRED = PAGE_ALIGN | MEMORY_INFO;

/** Info flag 0: mem_lower and mem_upper. */
export const INFO_MEMORY = 0x1;
/** Info flag 2: cmdline. */
export const INFO_CMDLINE = 0x4;
/** Info flag 3: mods_count and mods_addr. */
export const INFO_MODS = 0x8;
/** Info flag 6: mmap_length and mmap_addr. */
export const INFO_MEM_MAP = 0x40;
/** Info flag 9: boot_loader_name. */
export const INFO_BOOT_LOADER_NAME = 0x200;

/** Bytes of struct multiboot_info up to and including the VBE fields (offset 88). */
export const INFO_SIZE = 88;
/** Field offsets in struct multiboot_info. */
export const INFO_FLAGS = 0;
/** mem_lower (KiB). */
export const INFO_MEM_LOWER = 4;
/** mem_upper (KiB). */
export const INFO_MEM_UPPER = 8;
/** cmdline (address of a C string). */
export const INFO_CMDLINE_PTR = 16;
/** mods_count. */
export const INFO_MODS_COUNT = 20;
/** mods_addr. */
export const INFO_MODS_ADDR = 24;
/** mmap_length. */
export const INFO_MMAP_LENGTH = 44;
/** mmap_addr. */
export const INFO_MMAP_ADDR = 48;
/** boot_loader_name. */
export const INFO_LOADER_NAME = 64;
/** struct multiboot_mod_list: mod_start, mod_end, cmdline, pad. */
export const MOD_SIZE = 16;
/** struct multiboot_mmap_entry: size (u32, not counting itself), addr (u64), len (u64), type (u32). */
export const MMAP_ENTRY_SIZE = 24;
