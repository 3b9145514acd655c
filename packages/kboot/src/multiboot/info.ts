// struct multiboot_info and what it points at, encoded as one block for a
// known address: the 88-byte structure, the memory map, the module list,
// then the strings (command line, loader name, each module's string).
import { utf8Bytes } from "@pxe/core";
import type { E820Entry } from "../image.js";
import { putU32, putU64 } from "../wire/le.js";
import {
  INFO_BOOT_LOADER_NAME, INFO_CMDLINE, INFO_CMDLINE_PTR, INFO_FLAGS, INFO_LOADER_NAME, INFO_MEM_LOWER, INFO_MEM_MAP,
  INFO_MEM_UPPER, INFO_MEMORY, INFO_MMAP_ADDR, INFO_MMAP_LENGTH, INFO_MODS, INFO_MODS_ADDR, INFO_MODS_COUNT, INFO_SIZE,
  MMAP_ENTRY_SIZE, MOD_SIZE,
} from "./constants.js";

/** A module as the kernel sees it. */
export interface MultibootModule {
  /** Physical address of its first byte. */
  readonly start: number;
  /** Physical address past its last byte. */
  readonly end: number;
  /** Its string (usually its name and arguments). */
  readonly string: string;
}

/** What goes into the info block. */
export interface MultibootInfoInput {
  /** KiB of lower memory. */
  readonly memLower: number;
  /** KiB of memory from 1 MiB to the first hole. */
  readonly memUpper: number;
  /** The kernel's command line. */
  readonly cmdline: string;
  /** The modules, in load order. */
  readonly modules: readonly MultibootModule[];
  /** The BIOS memory map. */
  readonly e820: readonly E820Entry[];
  /** boot_loader_name. */
  readonly loaderName: string;
}

function cstring(s: string): Uint8Array {
  const b = utf8Bytes(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

/** Bytes the block for `input` takes (independent of where it goes). */
export function multibootInfoSize(input: MultibootInfoInput): number {
  return encodeMultibootInfo(0, input).length;
}

/** The info block for address `base`: struct multiboot_info at its first byte. */
export function encodeMultibootInfo(base: number, input: MultibootInfoInput): Uint8Array {
  const mmapOff = INFO_SIZE;
  const modsOff = mmapOff + input.e820.length * MMAP_ENTRY_SIZE;
  const stringsOff = modsOff + input.modules.length * MOD_SIZE;
  const strings = [cstring(input.cmdline), cstring(input.loaderName), ...input.modules.map((m) => cstring(m.string))];
  let size = stringsOff;
  const stringAt: number[] = [];
  for (const s of strings) {
    stringAt.push(size);
    size += s.length;
  }
  const out = new Uint8Array(Math.ceil(size / 4) * 4);
  strings.forEach((s, i) => out.set(s, stringAt[i]));

  putU32(out, INFO_FLAGS, INFO_MEMORY | INFO_CMDLINE | INFO_MODS | INFO_MEM_MAP | INFO_BOOT_LOADER_NAME);
  putU32(out, INFO_MEM_LOWER, input.memLower);
  putU32(out, INFO_MEM_UPPER, input.memUpper);
  putU32(out, INFO_CMDLINE_PTR, base + stringAt[0]);
  putU32(out, INFO_MODS_COUNT, input.modules.length);
  putU32(out, INFO_MODS_ADDR, input.modules.length > 0 ? base + modsOff : 0);
  putU32(out, INFO_MMAP_LENGTH, input.e820.length * MMAP_ENTRY_SIZE);
  putU32(out, INFO_MMAP_ADDR, base + mmapOff);
  putU32(out, INFO_LOADER_NAME, base + stringAt[1]);

  input.e820.forEach((e, i) => {
    const o = mmapOff + i * MMAP_ENTRY_SIZE;
    putU32(out, o, MMAP_ENTRY_SIZE - 4);
    putU64(out, o + 4, e.base);
    putU64(out, o + 12, e.length);
    putU32(out, o + 20, e.type);
  });
  input.modules.forEach((m, i) => {
    const o = modsOff + i * MOD_SIZE;
    putU32(out, o, m.start);
    putU32(out, o + 4, m.end);
    putU32(out, o + 8, base + stringAt[2 + i]);
    putU32(out, o + 12, 0);
  });
  return out;
}
