// The FreeBSD numbers in src/freebsd/constants.ts (read from FreeBSD's
// headers) against the values listed in shared/DESIGN.md §5, typed in here.
import { describe, expect, it } from "vitest";
import { FILE_TYPE, MODINFO, MODINFOMD, RB, MDT, BOOTINFO_VERSION, BOOTINFO_SIZE, N_BIOS_GEOM } from "@pxe/kboot";

describe("FreeBSD constants equal DESIGN.md §5", () => {
  it("MODINFO_*", () => {
    expect(MODINFO).toMatchObject({ END: 0, NAME: 1, TYPE: 2, ADDR: 3, SIZE: 4, EMPTY: 5, ARGS: 6, METADATA: 0x8000 });
  });
  it("MODINFOMD_* (machine independent and x86)", () => {
    expect(MODINFOMD).toMatchObject({
      ELFHDR: 2, SSYM: 3, ESYM: 4, DYNAMIC: 5, ENVP: 6, HOWTO: 7, KERNEND: 8, SHDR: 9,
      FW_HANDLE: 0xc, KEYBUF: 0xd, FONT: 0xe, NOCOPY: 0x8000,
      SMAP: 0x1001, SMAP_XATTR: 0x1002, EFI_MAP: 0x1004, EFI_FB: 0x1005, MODULEP: 0x1006, VBE_FB: 0x1007,
    });
  });
  it("type strings", () => {
    expect(FILE_TYPE).toEqual({
      KERNEL_I386: "elf kernel",
      KERNEL_AMD64: "elf64 kernel",
      OBJ_MODULE: "elf obj module",
      MODULE: "elf module",
      MD_IMAGE: "md_image",
      MFS_ROOT: "mfs_root",
    });
  });
  it("boothowto RB_*", () => {
    expect(RB).toMatchObject({ ASKNAME: 0x1, SINGLE: 0x2, KDB: 0x40, VERBOSE: 0x800, SERIAL: 0x1000, CDROM: 0x2000, MUTE: 0x10000, MULTIPLE: 0x20000000 });
  });
  it("module metadata types and struct bootinfo", () => {
    expect(MDT).toEqual({ DEPEND: 1, MODULE: 2, VERSION: 3, PNP_INFO: 4 });
    expect([BOOTINFO_VERSION, N_BIOS_GEOM, BOOTINFO_SIZE]).toEqual([1, 8, 84]);
  });
});
