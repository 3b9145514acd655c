// FreeBSD's preloaded-file metadata ("modulep"): per file a list of records
// u32 type, u32 size, data padded to the kernel's alignment (8 on amd64, 4 on
// i386), closed by MODINFO_END (stand/common/metadata.c md_copymodules,
// stand/i386/libi386/bootinfo64.c bi_copymodules64).
import { utf8Bytes } from "@pxe/core";
import { MODINFO } from "../freebsd/constants.js";
import { getU32, putU32, u32le, u64le } from "./le.js";

/** One MODINFO_METADATA record of a file: subtype (MODINFOMD_*, no METADATA bit) and bytes. */
export interface MetadataRecord {
  /** MODINFOMD_* subtype. */
  readonly type: number;
  /** The record's bytes, unpadded. */
  readonly data: Uint8Array;
}

/** What the metadata says about one preloaded file. */
export interface ModinfoFile {
  /** MODINFO_NAME. */
  readonly name: string;
  /** MODINFO_TYPE ("elf kernel", "elf obj module", "md_image", ...). */
  readonly type: string;
  /** MODINFO_ARGS, when the file has arguments. */
  readonly args?: string;
  /** MODINFO_ADDR: physical load address. */
  readonly addr: number;
  /** MODINFO_SIZE. */
  readonly size: number;
  /** MODINFO_METADATA records in the order they are written. */
  readonly metadata: readonly MetadataRecord[];
}

/** Word size of the kernel the metadata is for. */
export type KernelWidth = 32 | 64;

function pad(n: number, align: number): number {
  return (n + align - 1) & ~(align - 1);
}

function cstr(s: string): Uint8Array {
  const b = utf8Bytes(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

/**
 * Encodes the metadata of `files` (the kernel first) for a 64-bit (amd64:
 * ADDR/SIZE 8 bytes, align 8) or 32-bit (i386: 4 bytes, align 4) kernel.
 */
export function encodeModinfo(files: readonly ModinfoFile[], width: KernelWidth): Uint8Array {
  const align = width === 64 ? 8 : 4;
  const recs: Array<[number, Uint8Array]> = [];
  for (const f of files) {
    recs.push([MODINFO.NAME, cstr(f.name)]);
    recs.push([MODINFO.TYPE, cstr(f.type)]);
    if (f.args !== undefined && f.args !== "") recs.push([MODINFO.ARGS, cstr(f.args)]);
    recs.push([MODINFO.ADDR, width === 64 ? u64le(f.addr) : u32le(f.addr)]);
    recs.push([MODINFO.SIZE, width === 64 ? u64le(f.size) : u32le(f.size)]);
    for (const m of f.metadata) recs.push([MODINFO.METADATA | m.type, m.data]);
  }
  let n = 8;
  for (const [, d] of recs) n += 8 + pad(d.length, align);
  const out = new Uint8Array(n);
  let o = 0;
  for (const [t, d] of recs) {
    putU32(out, o, t);
    putU32(out, o + 4, d.length);
    out.set(d, o + 8);
    o += 8 + pad(d.length, align);
  }
  // MODINFO_END, size 0: the zeros already there.
  return out;
}

/** One raw record as read back: type (with the METADATA bit when set) and data. */
export interface RawModinfoRecord {
  /** u32 type. */
  readonly type: number;
  /** Its data (size bytes). */
  readonly data: Uint8Array;
}

/**
 * Reads records back up to MODINFO_END (for tests and tools); returns null
 * when the bytes end before MODINFO_END or a size runs past them.
 */
export function decodeModinfo(bytes: Uint8Array, width: KernelWidth): RawModinfoRecord[] | null {
  const align = width === 64 ? 8 : 4;
  const out: RawModinfoRecord[] = [];
  let o = 0;
  while (o + 8 <= bytes.length) {
    const type = getU32(bytes, o);
    const size = getU32(bytes, o + 4);
    if (type === MODINFO.END) return out;
    if (o + 8 + size > bytes.length) return null;
    out.push({ type, data: bytes.subarray(o + 8, o + 8 + size) });
    o += 8 + pad(size, align);
  }
  return null;
}
