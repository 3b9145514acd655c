// struct boot_params, "the zero page" (arch/x86/include/uapi/asm/bootparam.h,
// Documentation/x86/zero-page.rst), as a 32-bit boot loader fills it: the
// kernel's own setup header copied in at 0x1f1, then the loader's fields, and
// the E820 map.
import type { E820Entry } from "../image.js";
import { encodeSmap } from "../wire/smap.js";
import { putU32 } from "../wire/le.js";
import {
  BOOT_PARAMS_SIZE, BP_ALT_MEM_K, BP_E820_ENTRIES, BP_E820_TABLE, BP_EXT_CMD_LINE_PTR, BP_EXT_RAMDISK_IMAGE,
  BP_EXT_RAMDISK_SIZE, CAN_USE_HEAP, E820_MAX_ENTRIES_ZEROPAGE, KEEP_SEGMENTS, LOADER_UNDEFINED, OFF_CMD_LINE_PTR,
  OFF_CODE32_START, OFF_EXT_LOADER_TYPE, OFF_EXT_LOADER_VER, OFF_HEAP_END_PTR, OFF_LOADFLAGS, OFF_RAMDISK_IMAGE,
  OFF_RAMDISK_SIZE, OFF_SETUP_SECTS, OFF_TYPE_OF_LOADER, OFF_VID_MODE, QUIET_FLAG, VID_MODE_NORMAL,
} from "./constants.js";

/** What the loader writes into the zero page. */
export interface BootParamsInput {
  /** The whole bzImage file (its setup header is copied in). */
  readonly kernel: Uint8Array;
  /** First byte past the setup header (SetupHeader.headerEnd). */
  readonly headerEnd: number;
  /** Where the protected-mode kernel was loaded (written to code32_start). */
  readonly code32Start: number;
  /** Physical address of the NUL-terminated command line. */
  readonly cmdLinePtr: number;
  /** Physical address of the (concatenated) initrd, 0 for none. */
  readonly ramdiskImage: number;
  /** Its size in bytes, 0 for none. */
  readonly ramdiskSize: number;
  /** The E820 map (at most 128 entries fit; the rest are dropped). */
  readonly e820: readonly E820Entry[];
  /** KiB of memory above 1 MiB (alt_mem_k). */
  readonly altMemK: number;
}

/** The 4096 bytes of boot_params. */
export function encodeBootParams(p: BootParamsInput): Uint8Array {
  const bp = new Uint8Array(BOOT_PARAMS_SIZE);
  bp.set(p.kernel.subarray(OFF_SETUP_SECTS, p.headerEnd), OFF_SETUP_SECTS);

  bp[OFF_VID_MODE] = VID_MODE_NORMAL & 0xff;
  bp[OFF_VID_MODE + 1] = VID_MODE_NORMAL >> 8;
  // No assigned boot loader ID: 0xFF ("undefined"), no extended type or version.
  bp[OFF_TYPE_OF_LOADER] = LOADER_UNDEFINED;
  bp[OFF_EXT_LOADER_VER] = 0;
  bp[OFF_EXT_LOADER_TYPE] = 0;
  // Entered at the 32-bit entry with __BOOT_CS/__BOOT_DS loaded: segments may
  // be reloaded, there is no real-mode heap, messages are not suppressed.
  bp[OFF_LOADFLAGS] &= ~(QUIET_FLAG | KEEP_SEGMENTS | CAN_USE_HEAP) & 0xff;
  bp[OFF_HEAP_END_PTR] = 0;
  bp[OFF_HEAP_END_PTR + 1] = 0;
  putU32(bp, OFF_CODE32_START, p.code32Start);
  putU32(bp, OFF_RAMDISK_IMAGE, p.ramdiskImage);
  putU32(bp, OFF_RAMDISK_SIZE, p.ramdiskSize);
  putU32(bp, OFF_CMD_LINE_PTR, p.cmdLinePtr);
  // Everything lies below 4 GiB: the high halves are 0.
  putU32(bp, BP_EXT_RAMDISK_IMAGE, 0);
  putU32(bp, BP_EXT_RAMDISK_SIZE, 0);
  putU32(bp, BP_EXT_CMD_LINE_PTR, 0);

  putU32(bp, BP_ALT_MEM_K, p.altMemK);
  const map = p.e820.slice(0, E820_MAX_ENTRIES_ZEROPAGE);
  bp[BP_E820_ENTRIES] = map.length;
  bp.set(encodeSmap(map), BP_E820_TABLE);
  return bp;
}
