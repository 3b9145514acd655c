// i386 struct bootinfo (sys/i386/include/bootinfo.h), 84 bytes, every field
// a little-endian u32 except bi_memsizes_valid and bi_bios_dev (u8):
//   0 bi_version  4 bi_kernelname  8 bi_nfs_diskless  12 bi_n_bios_used
//   16 bi_bios_geom[8]  48 bi_size  52 bi_memsizes_valid  53 bi_bios_dev
//   54 bi_pad[2]  56 bi_basemem  60 bi_extmem  64 bi_symtab  68 bi_esymtab
//   72 bi_kernend  76 bi_envp  80 bi_modulep
import { BOOTINFO_SIZE, BOOTINFO_VERSION } from "../freebsd/constants.js";
import { putU32 } from "./le.js";

/** The fields kboot fills (the rest are 0, as for a network boot in bootinfo32.c). */
export interface BootinfoFields {
  /** Physical address of the kernel's NUL-terminated name. */
  readonly kernelname: number;
  /** Base memory in KiB. */
  readonly basemem: number;
  /** Extended memory (from 1 MiB) in KiB. */
  readonly extmem: number;
  /** MODINFOMD_SSYM of the kernel (0 without symbols). */
  readonly symtab: number;
  /** MODINFOMD_ESYM of the kernel (0 without symbols). */
  readonly esymtab: number;
  /** KERNEND. */
  readonly kernend: number;
  /** Address of the kenv block. */
  readonly envp: number;
  /** Address of the metadata. */
  readonly modulep: number;
}

/** Encodes struct bootinfo (bi_memsizes_valid = 1, bi_bios_dev = 0: not a disk boot). */
export function encodeBootinfo(f: BootinfoFields): Uint8Array {
  const out = new Uint8Array(BOOTINFO_SIZE);
  putU32(out, 0, BOOTINFO_VERSION);
  putU32(out, 4, f.kernelname);
  putU32(out, 48, BOOTINFO_SIZE);
  out[52] = 1;
  putU32(out, 56, f.basemem);
  putU32(out, 60, f.extmem);
  putU32(out, 64, f.symtab);
  putU32(out, 68, f.esymtab);
  putU32(out, 72, f.kernend);
  putU32(out, 76, f.envp);
  putU32(out, 80, f.modulep);
  return out;
}
