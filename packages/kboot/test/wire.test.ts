// Metadata, kenv, SMAP and struct bootinfo encodings against bytes written
// out by hand from FreeBSD's definitions.
import { describe, expect, it } from "vitest";
import { fromHex } from "@pxe/core";
import { encodeBootinfo, encodeKenv, encodeModinfo, encodeSmap, KenvError, MODINFOMD } from "@pxe/kboot";

describe("metadata (modulep)", () => {
  const file = { name: "kernel", type: "elf kernel", args: "-v", addr: 0x400000, size: 0x1234, metadata: [{ type: MODINFOMD.HOWTO, data: fromHex("00080000") }] };

  it("i386: u32 type, u32 size, data padded to 4; ADDR and SIZE 4 bytes", () => {
    expect(encodeModinfo([file], 32)).toEqual(
      fromHex(
        [
          "01000000 07000000 6b65726e656c00 00", // MODINFO_NAME, 7, "kernel\0", pad to 8
          "02000000 0b000000 656c66206b65726e656c00 00", // MODINFO_TYPE, 11, "elf kernel\0", pad to 12
          "06000000 03000000 2d7600 00", // MODINFO_ARGS, 3, "-v\0", pad to 4
          "03000000 04000000 00004000", // MODINFO_ADDR, 4, 0x400000
          "04000000 04000000 34120000", // MODINFO_SIZE, 4, 0x1234
          "07800000 04000000 00080000", // MODINFO_METADATA|MODINFOMD_HOWTO, 4, RB_VERBOSE
          "00000000 00000000", // MODINFO_END, 0
        ].join(""),
      ),
    );
  });

  it("amd64: data padded to 8; ADDR and SIZE 8 bytes", () => {
    expect(encodeModinfo([{ ...file, type: "elf64 kernel" }], 64)).toEqual(
      fromHex(
        [
          "01000000 07000000 6b65726e656c00 00", // NAME "kernel\0" + 1 pad = 8
          "02000000 0d000000 656c663634206b65726e656c00 000000", // TYPE 13, "elf64 kernel\0" + 3 pad = 16
          "06000000 03000000 2d7600 0000000000", // ARGS 3, "-v\0" + 5 pad = 8
          "03000000 08000000 0000400000000000", // ADDR u64
          "04000000 08000000 3412000000000000", // SIZE u64
          "07800000 04000000 00080000 00000000", // HOWTO, 4 bytes + 4 pad
          "00000000 00000000",
        ].join(""),
      ),
    );
  });

  it("no ARGS record without args", () => {
    const out = encodeModinfo([{ name: "a", type: "md_image", addr: 1, size: 2, metadata: [] }], 32);
    expect(out).toEqual(fromHex("01000000 02000000 6100 0000 02000000 09000000 6d645f696d61676500 000000 03000000 04000000 01000000 04000000 04000000 02000000 00000000 00000000"));
  });
});

describe("kenv", () => {
  it("name=value strings each closed by NUL, the list closed by an empty string", () => {
    expect(encodeKenv([["a", "1"], ["boot.netif.ip", "10.0.2.15"]])).toEqual(
      fromHex("613d31 00" + "626f6f742e6e657469662e69703d31302e302e322e3135 00" + "00"),
    );
    expect(encodeKenv([])).toEqual(fromHex("00"));
    expect(encodeKenv([["x", ""]])).toEqual(fromHex("783d 00 00"));
  });
  it("refuses what cannot be encoded", () => {
    expect(() => encodeKenv([["a=b", "1"]])).toThrow(KenvError);
    expect(() => encodeKenv([["a", "x\0y"]])).toThrow(KenvError);
    expect(() => encodeKenv([["", "1"]])).toThrow(KenvError);
  });
});

describe("SMAP", () => {
  it("packed struct bios_smap: u64 base, u64 length, u32 type (20 bytes)", () => {
    expect(encodeSmap([{ base: 0x100000, length: 0x7ee0000, type: 1 }, { base: 0xfffc0000, length: 0x40000, type: 2 }])).toEqual(
      fromHex("0000100000000000 0000ee0700000000 01000000" + "0000fcff00000000 0000040000000000 02000000"),
    );
  });
});

describe("struct bootinfo (i386)", () => {
  it("84 bytes at the offsets of sys/i386/include/bootinfo.h", () => {
    const bi = encodeBootinfo({ kernelname: 0x11223344, basemem: 639, extmem: 0x1fb80, symtab: 0x401000, esymtab: 0x402000, kernend: 0x410000, envp: 0x40e000, modulep: 0x40f000 });
    expect(bi).toEqual(
      fromHex(
        [
          "01000000", // bi_version = BOOTINFO_VERSION
          "44332211", // bi_kernelname
          "00000000", // bi_nfs_diskless
          "00000000", // bi_n_bios_used
          "00".repeat(32), // bi_bios_geom[8]
          "54000000", // bi_size = 84
          "01", // bi_memsizes_valid
          "00", // bi_bios_dev
          "0000", // bi_pad[2]
          "7f020000", // bi_basemem 639
          "80fb0100", // bi_extmem
          "00104000", // bi_symtab
          "00204000", // bi_esymtab
          "00004100", // bi_kernend
          "00e04000", // bi_envp
          "00f04000", // bi_modulep
        ].join(""),
      ),
    );
  });
});
