// MODINFOMD_SMAP: the E820 map as packed struct bios_smap { u64 base; u64
// length; u32 type; } (machine/pc/bios.h, stand/i386/libi386/biossmap.c).
// No MODINFOMD_SMAP_XATTR: the kernel then skips every entry whose
// attributes lack the "enabled" bit, and a platform that reports 0 for a
// BIOS that gave none would hide all memory.
import { SMAP_ENTRY_SIZE } from "../freebsd/constants.js";
import type { E820Entry } from "../image.js";
import { putU32, putU64 } from "./le.js";

/** The SMAP record's bytes for `map`. */
export function encodeSmap(map: readonly E820Entry[]): Uint8Array {
  const out = new Uint8Array(map.length * SMAP_ENTRY_SIZE);
  map.forEach((e, i) => {
    const o = i * SMAP_ENTRY_SIZE;
    putU64(out, o, e.base);
    putU64(out, o + 8, e.length);
    putU32(out, o + 16, e.type);
  });
  return out;
}

