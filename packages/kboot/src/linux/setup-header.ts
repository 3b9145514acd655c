// Reads and checks the setup header of a Linux bzImage (Documentation/x86/
// boot.rst, "THE REAL-MODE KERNEL HEADER"). Every field is read only where
// the file really holds it; anything a 32-bit boot loader cannot use is a
// BzImageFormatError or BzImageTooOldError, nothing else.
import { BzImageFormatError, BzImageTooOldError } from "./errors.js";
import {
  BOOT_FLAG, HDRS_MAGIC, LOADED_HIGH, MIN_PROTOCOL, OFF_BOOT_FLAG, OFF_CMDLINE_SIZE, OFF_CODE32_START, OFF_HEADER,
  OFF_INIT_SIZE, OFF_INITRD_ADDR_MAX, OFF_JUMP, OFF_KERNEL_ALIGNMENT, OFF_LOADFLAGS, OFF_MIN_ALIGNMENT, OFF_PREF_ADDRESS,
  OFF_RELOCATABLE, OFF_SETUP_SECTS, OFF_VERSION, OFF_XLOADFLAGS, PROTOCOL_2_10, PROTOCOL_2_12, SECTOR,
} from "./constants.js";
import { readU16le } from "@pxe/core";
import { getU32 } from "../wire/le.js";

/** What a 32-bit boot loader needs from a bzImage's setup header. */
export interface SetupHeader {
  /** Real-mode sectors after the boot sector (a 0 in the file reads as 4). */
  readonly setupSects: number;
  /** File offset of the protected-mode kernel: (setupSects + 1) * 512. */
  readonly kernelOffset: number;
  /** Bytes of protected-mode kernel (the rest of the file). */
  readonly kernelSize: number;
  /** First byte past the setup header (0x202 + the jump's offset byte): boot_params takes [0x1f1, headerEnd). */
  readonly headerEnd: number;
  /** Boot protocol version, e.g. 0x020f for 2.15. */
  readonly version: number;
  /** loadflags. */
  readonly loadflags: number;
  /** code32_start: the default 32-bit entry and load address. */
  readonly code32Start: number;
  /** initrd_addr_max: the highest address any initrd byte may occupy. */
  readonly initrdAddrMax: number;
  /** kernel_alignment: the alignment a relocated kernel wants. */
  readonly kernelAlignment: number;
  /** relocatable_kernel: it may be loaded at any kernelAlignment-aligned address. */
  readonly relocatable: boolean;
  /** min_alignment as log2 (2.10+; 0 before). */
  readonly minAlignment: number;
  /** xloadflags (2.12+; 0 before). */
  readonly xloadflags: number;
  /** cmdline_size: the longest command line without its NUL. */
  readonly cmdlineSize: number;
  /** pref_address (2.10+; undefined before, or when it is not below 4 GiB). */
  readonly prefAddress?: number;
  /** init_size: memory from the load address the kernel needs while it starts (2.10+; 0 before). */
  readonly initSize: number;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** True when `n` is a power of two. */
function pow2(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** Reads and checks the setup header of `data` (a whole bzImage file named `file`). */
export function readSetupHeader(data: Uint8Array, file = "bzImage"): SetupHeader {
  const fail = (field: string, offset: number, reason: string): never => {
    throw new BzImageFormatError(file, field, offset, reason);
  };
  const u16 = (o: number, field: string): number => {
    if (o + 2 > data.length) fail(field, o, `the file ends at byte ${data.length}`);
    return readU16le(data, o);
  };
  const u32 = (o: number, field: string): number => {
    if (o + 4 > data.length) fail(field, o, `the file ends at byte ${data.length}`);
    return getU32(data, o);
  };

  if (u16(OFF_BOOT_FLAG, "boot_flag") !== BOOT_FLAG) fail("boot_flag", OFF_BOOT_FLAG, "is not 0xAA55");
  if (u32(OFF_HEADER, "header") !== HDRS_MAGIC) fail("header", OFF_HEADER, 'is not "HdrS" (a kernel older than protocol 2.00, or not Linux)');
  const version = u16(OFF_VERSION, "version");
  if (version < MIN_PROTOCOL) throw new BzImageTooOldError(file, version, MIN_PROTOCOL);

  const headerEnd = 0x202 + data[OFF_JUMP + 1];
  const needEnd = version >= PROTOCOL_2_10 ? OFF_INIT_SIZE + 4 : OFF_CMDLINE_SIZE + 4;
  if (headerEnd < needEnd) fail("jump", OFF_JUMP, `the header ends at ${hex(headerEnd)}, before the fields protocol ${hex(version)} has (to ${hex(needEnd)})`);

  const setupSects = data[OFF_SETUP_SECTS] === 0 ? 4 : data[OFF_SETUP_SECTS];
  const kernelOffset = (setupSects + 1) * SECTOR;
  if (kernelOffset >= data.length) fail("setup_sects", OFF_SETUP_SECTS, `the protected-mode kernel would start at byte ${kernelOffset}, but the file has ${data.length}`);

  const loadflags = data[OFF_LOADFLAGS];
  if ((loadflags & LOADED_HIGH) === 0) fail("loadflags", OFF_LOADFLAGS, "LOADED_HIGH is clear: a zImage loaded at 0x10000, which is not supported");

  const code32Start = u32(OFF_CODE32_START, "code32_start");
  if (code32Start < 0x100000) fail("code32_start", OFF_CODE32_START, `${hex(code32Start)} is below 1 MiB`);
  const initrdAddrMax = u32(OFF_INITRD_ADDR_MAX, "initrd_addr_max");
  if (initrdAddrMax < 0x100000) fail("initrd_addr_max", OFF_INITRD_ADDR_MAX, `${hex(initrdAddrMax)} is below 1 MiB`);
  const relocatable = data[OFF_RELOCATABLE] !== 0;
  const kernelAlignment = u32(OFF_KERNEL_ALIGNMENT, "kernel_alignment");
  if (relocatable && !(pow2(kernelAlignment) && kernelAlignment >= 0x1000)) {
    fail("kernel_alignment", OFF_KERNEL_ALIGNMENT, `${hex(kernelAlignment)} is not a power of two of at least 4 KiB`);
  }
  const cmdlineSize = u32(OFF_CMDLINE_SIZE, "cmdline_size");
  if (cmdlineSize === 0) fail("cmdline_size", OFF_CMDLINE_SIZE, "is 0");

  let minAlignment = 0;
  let prefAddress: number | undefined;
  let initSize = 0;
  if (version >= PROTOCOL_2_10) {
    minAlignment = data[OFF_MIN_ALIGNMENT];
    if (minAlignment > 31) fail("min_alignment", OFF_MIN_ALIGNMENT, `2^${minAlignment} is not a 32-bit alignment`);
    const prefHigh = u32(OFF_PREF_ADDRESS + 4, "pref_address");
    const prefLow = u32(OFF_PREF_ADDRESS, "pref_address");
    if (prefHigh === 0 && prefLow >= 0x100000) prefAddress = prefLow;
    initSize = u32(OFF_INIT_SIZE, "init_size");
  }
  const xloadflags = version >= PROTOCOL_2_12 ? u16(OFF_XLOADFLAGS, "xloadflags") : 0;

  return {
    setupSects, kernelOffset, kernelSize: data.length - kernelOffset, headerEnd, version, loadflags, code32Start,
    initrdAddrMax, kernelAlignment, relocatable, minAlignment, xloadflags, cmdlineSize, prefAddress, initSize,
  };
}
