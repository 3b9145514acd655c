// Numbers of the Linux x86 boot protocol (Documentation/x86/boot.rst) and of
// struct boot_params (arch/x86/include/uapi/asm/bootparam.h): offsets are
// from the start of the bzImage file, which are also offsets in boot_params
// for the setup header it embeds at 0x1f1.

/** Sector size of the real-mode part. */
export const SECTOR = 512;
/** setup_sects: sectors of real-mode code after the boot sector (0 means 4). */
export const OFF_SETUP_SECTS = 0x1f1;
/** vid_mode (u16). */
export const OFF_VID_MODE = 0x1fa;
/** boot_flag (u16) = 0xAA55. */
export const OFF_BOOT_FLAG = 0x1fe;
/** The two-byte jump whose second byte gives the header's end (0x202 + byte). */
export const OFF_JUMP = 0x200;
/** header (u32) = "HdrS". */
export const OFF_HEADER = 0x202;
/** version (u16): protocol, major.minor. */
export const OFF_VERSION = 0x206;
/** type_of_loader (u8). */
export const OFF_TYPE_OF_LOADER = 0x210;
/** loadflags (u8). */
export const OFF_LOADFLAGS = 0x211;
/** code32_start (u32). */
export const OFF_CODE32_START = 0x214;
/** ramdisk_image (u32). */
export const OFF_RAMDISK_IMAGE = 0x218;
/** ramdisk_size (u32). */
export const OFF_RAMDISK_SIZE = 0x21c;
/** heap_end_ptr (u16). */
export const OFF_HEAP_END_PTR = 0x224;
/** ext_loader_ver (u8). */
export const OFF_EXT_LOADER_VER = 0x226;
/** ext_loader_type (u8). */
export const OFF_EXT_LOADER_TYPE = 0x227;
/** cmd_line_ptr (u32). */
export const OFF_CMD_LINE_PTR = 0x228;
/** initrd_addr_max (u32), protocol 2.03+. */
export const OFF_INITRD_ADDR_MAX = 0x22c;
/** kernel_alignment (u32), 2.05+. */
export const OFF_KERNEL_ALIGNMENT = 0x230;
/** relocatable_kernel (u8), 2.05+. */
export const OFF_RELOCATABLE = 0x234;
/** min_alignment (u8, log2), 2.10+. */
export const OFF_MIN_ALIGNMENT = 0x235;
/** xloadflags (u16), 2.12+. */
export const OFF_XLOADFLAGS = 0x236;
/** cmdline_size (u32), 2.06+. */
export const OFF_CMDLINE_SIZE = 0x238;
/** pref_address (u64), 2.10+. */
export const OFF_PREF_ADDRESS = 0x258;
/** init_size (u32), 2.10+. */
export const OFF_INIT_SIZE = 0x260;

/** "HdrS" read as a little-endian u32. */
export const HDRS_MAGIC = 0x53726448;
/** The boot sector's signature at 0x1fe. */
export const BOOT_FLAG = 0xaa55;
/** Oldest protocol accepted: 2.06 (cmdline_size, Linux 2.6.22). */
export const MIN_PROTOCOL = 0x0206;
/** Protocol 2.10: pref_address, init_size, min_alignment. */
export const PROTOCOL_2_10 = 0x020a;
/** Protocol 2.12: xloadflags. */
export const PROTOCOL_2_12 = 0x020c;

/** loadflags bit 0: the protected-mode code is loaded at 0x100000 (a bzImage). */
export const LOADED_HIGH = 0x01;
/** loadflags bit 5: suppress early messages. */
export const QUIET_FLAG = 0x20;
/** loadflags bit 6: do not reload segment registers at the 32-bit entry. */
export const KEEP_SEGMENTS = 0x40;
/** loadflags bit 7: heap_end_ptr is valid. */
export const CAN_USE_HEAP = 0x80;

/** type_of_loader for a boot loader without an assigned ID. */
export const LOADER_UNDEFINED = 0xff;
/** vid_mode "normal" (80x25, no prompt). */
export const VID_MODE_NORMAL = 0xffff;

/** Size of struct boot_params, the zero page. */
export const BOOT_PARAMS_SIZE = 0x1000;
/** boot_params.alt_mem_k (u32): KiB of memory above 1 MiB (fallback for E820). */
export const BP_ALT_MEM_K = 0x1e0;
/** boot_params.scratch (u32): the kernel's own first stack is just above it. */
export const BP_SCRATCH = 0x1e4;
/** boot_params.e820_entries (u8). */
export const BP_E820_ENTRIES = 0x1e8;
/** boot_params.ext_ramdisk_image (u32): bits 32-63 of ramdisk_image. */
export const BP_EXT_RAMDISK_IMAGE = 0x0c0;
/** boot_params.ext_ramdisk_size (u32). */
export const BP_EXT_RAMDISK_SIZE = 0x0c4;
/** boot_params.ext_cmd_line_ptr (u32). */
export const BP_EXT_CMD_LINE_PTR = 0x0c8;
/** boot_params.e820_table: E820_MAX_ENTRIES_ZEROPAGE entries of 20 bytes. */
export const BP_E820_TABLE = 0x2d0;
/** Entries the zero page holds. */
export const E820_MAX_ENTRIES_ZEROPAGE = 128;
/** struct boot_e820_entry: u64 addr, u64 size, u32 type (packed). */
export const E820_ENTRY_SIZE = 20;

/** Before 2.03 the initrd had to end below this (initrd_addr_max's default). */
export const DEFAULT_INITRD_ADDR_MAX = 0x37ffffff;
/** Page size: initrds and the zero page are page-aligned. */
export const PAGE = 0x1000;
