// Finds and checks the Multiboot header: magic, flags and checksum 4-byte
// aligned in the first 8192 bytes, and with flag 16 the a.out kludge's
// addresses, checked against the file's real length.
import { getU32 } from "../wire/le.js";
import { AOUT_KLUDGE, HEADER_MAGIC, KNOWN_REQUIRED, SEARCH, VIDEO_MODE } from "./constants.js";
import { MultibootFormatError, MultibootUnsupportedError } from "./errors.js";

/** Where the a.out kludge says the image goes. */
export interface AoutLayout {
  /** File offset of the first byte loaded. */
  readonly fileOffset: number;
  /** Physical address it goes to (load_addr). */
  readonly loadAddr: number;
  /** Bytes loaded from the file. */
  readonly loadSize: number;
  /** Zero bytes after them (up to bss_end_addr). */
  readonly bssSize: number;
  /** entry_addr. */
  readonly entry: number;
}

/** A Multiboot header. */
export interface MultibootHeader {
  /** File offset of the magic. */
  readonly offset: number;
  /** The flags field. */
  readonly flags: number;
  /** The a.out kludge layout when flag 16 is set. */
  readonly aout?: AoutLayout;
}

/** File offset of the first 4-byte aligned magic whose checksum holds in the first 8 KiB, or -1. */
export function findMultibootHeader(data: Uint8Array): number {
  for (let o = 0; o + 12 <= data.length && o + 12 <= SEARCH; o += 4) {
    if (getU32(data, o) !== HEADER_MAGIC) continue;
    if (((getU32(data, o) + getU32(data, o + 4) + getU32(data, o + 8)) >>> 0) === 0) return o;
  }
  return -1;
}

/** Reads the Multiboot header of `data`; MultibootFormatError or MultibootUnsupportedError when it cannot be used. */
export function readMultibootHeader(data: Uint8Array, file = "kernel"): MultibootHeader {
  const offset = findMultibootHeader(data);
  if (offset < 0) throw new MultibootFormatError(file, -1, "no Multiboot header (magic 0x1BADB002 with a valid checksum) in the first 8192 bytes");
  const flags = getU32(data, offset + 4);
  if (flags & VIDEO_MODE) throw new MultibootUnsupportedError(file, flags, "asks for a video mode (flag 2), which this loader does not set");
  const unknown = flags & 0xffff & ~KNOWN_REQUIRED;
  if (unknown) throw new MultibootUnsupportedError(file, flags, `requires features this loader does not know (flags 0x${unknown.toString(16)})`);
  if (!(flags & AOUT_KLUDGE)) return { offset, flags };

  if (offset + 32 > data.length) throw new MultibootFormatError(file, offset, "flag 16 is set but the file ends inside the address fields");
  const fail = (field: number, reason: string): never => {
    throw new MultibootFormatError(file, offset + field, reason);
  };
  const headerAddr = getU32(data, offset + 12);
  const loadAddr = getU32(data, offset + 16);
  const loadEndAddr = getU32(data, offset + 20);
  const bssEndAddr = getU32(data, offset + 24);
  const entry = getU32(data, offset + 28);
  if (loadAddr > headerAddr) fail(16, `load_addr 0x${loadAddr.toString(16)} is above header_addr 0x${headerAddr.toString(16)}`);
  const fileOffset = offset - (headerAddr - loadAddr);
  if (fileOffset < 0) fail(12, `header_addr - load_addr = ${headerAddr - loadAddr} reaches before the file's start`);
  let loadSize = data.length - fileOffset;
  if (loadEndAddr !== 0) {
    if (loadEndAddr <= loadAddr) fail(20, `load_end_addr 0x${loadEndAddr.toString(16)} is not above load_addr`);
    loadSize = loadEndAddr - loadAddr;
    if (fileOffset + loadSize > data.length) fail(20, `load_end_addr asks for ${loadSize} bytes from byte ${fileOffset}, but the file has ${data.length}`);
  }
  let bssSize = 0;
  if (bssEndAddr !== 0) {
    if (bssEndAddr < loadAddr + loadSize) fail(24, `bss_end_addr 0x${bssEndAddr.toString(16)} is below the end of the loaded image`);
    bssSize = bssEndAddr - (loadAddr + loadSize);
  }
  if (loadAddr + loadSize + bssSize > 0x100000000) fail(16, "the image reaches past 4 GiB");
  if (entry < loadAddr || entry >= loadAddr + loadSize + bssSize) fail(28, `entry_addr 0x${entry.toString(16)} lies outside the loaded image`);
  return { offset, flags, aout: { fileOffset, loadAddr, loadSize, bssSize, entry } };
}
