import { describe, expect, it } from "vitest";
import { encodeSmap, FreeBsdBoot, MODINFOMD, RB, moduleDependencies } from "@pxe/kboot";
import { amd64Module, E820, I386_STRTAB, I386_SYMTAB, I386_TEXT, i386Kernel, i386Module, readPhys } from "./fixtures.js";
import { mdBytes, mdValue, metaFiles } from "./meta-helpers.js";

// Expected layout, derived by hand (see fixtures.ts): the kernel is linked at
// 0xc0400000 and load_elf.c subtracts e_entry & 0xff000000, so it loads at
// 0x400000 (0x300 bytes + BSS to 0x401300); symbols at 0x401300: u32 32,
// symtab (32), u32 7, strtab (7), pad to 4 -> ESYM 0x401330. dynmod.ko at
// 0x402000 (0x200 + BSS to 0x402300, symbols: u32 32 + 32, u32 1 + 1, pad ->
// ESYM 0x40232c). Then bootinfo 0x403000, stack 0x404000, kenv 0x405000,
// metadata 0x406000 (bi_load32 puts the environment before the metadata),
// KERNEND 0x407000.
const KNAME = "/boot/kernel/kernel";

function build(howto: number = RB.SERIAL) {
  const fb = new FreeBsdBoot();
  fb.addKernel(KNAME, i386Kernel());
  fb.addModule("/boot/kernel/dynmod.ko", i386Module());
  const image = fb.build({ howto, env: { "hw.uart.console": "io:0x3f8,br:115200" }, e820: E820 });
  return { fb, image };
}
const u32 = (b: number[], o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

describe("FreeBsdBoot i386", () => {
  it("places the kernel at vaddr - (entry & 0xff000000), the ET_DYN module after it, then bootinfo, stack, kenv, metadata", () => {
    const { image } = build();
    expect(image.pieces.map((p) => [p.name, p.dest, p.data.length, p.zero ?? 0])).toEqual([
      [KNAME, 0x400000, 0x300, 0x1000],
      [`${KNAME} symbols`, 0x401300, 0x30, 0],
      ["/boot/kernel/dynmod.ko", 0x402000, 0x200, 0x100],
      ["/boot/kernel/dynmod.ko symbols", 0x402300, 0x2c, 0],
      ["bootinfo", 0x403000, 84 + KNAME.length + 1, 0],
      ["stack", 0x404000, 0x1000, 0],
      ["kenv", 0x405000, 36, 0],
      ["modulep", 0x406000, image.metadata.length, 0],
    ]);
    expect([image.envp, image.modulep, image.kernend, image.bootinfo]).toEqual([0x405000, 0x406000, 0x407000, 0x403000]);
    expect(readPhys(image.pieces, 0x400000, 0x300)).toEqual([...I386_TEXT]);
  });

  it("loads the symbols as [u32 size][symtab][u32 size][strtab]", () => {
    const { image } = build();
    const mem = readPhys(image.pieces, 0x401300, 0x30);
    expect(u32(mem, 0)).toBe(32);
    expect(mem.slice(4, 36)).toEqual([...I386_SYMTAB]);
    expect(u32(mem, 36)).toBe(7);
    expect(mem.slice(40, 47)).toEqual([...I386_STRTAB]);
  });

  it("calls the entry with (howto|RB_BOOTINFO, bootdev, 0, 0, 0, &bootinfo, modulep, kernend) behind a non-zero return address (a halt loop)", () => {
    const { image } = build();
    const e = image.entry;
    if (e.kind !== "protected32") throw new Error(e.kind);
    expect(e.eip).toBe(0x400100); // e_entry & 0xffffff (elf32_freebsd.c)
    expect(e.esp).toBe(0x404000 + 0x1000 - 36);
    const f = readPhys(image.pieces, e.esp, 36);
    expect(Array.from({ length: 9 }, (_, i) => u32(f, i * 4))).toEqual([0x404000, (RB.SERIAL | RB.BOOTINFO) >>> 0, 0, 0, 0, 0, 0x403000, 0x406000, 0x407000]);
    // the return address: not 0 (locore ignores bootinfo then), a halt loop (cli; hlt; jmp -3)
    expect(readPhys(image.pieces, 0x404000, 4)).toEqual([0xfa, 0xf4, 0xeb, 0xfd]);
  });

  it("fills struct bootinfo: version, size, kernel name, memory sizes from the E820 map, symbols, kernend, envp, modulep", () => {
    const { image } = build();
    const bi = readPhys(image.pieces, 0x403000, 84);
    expect(u32(bi, 0)).toBe(1); // bi_version
    expect(u32(bi, 4)).toBe(0x403000 + 84); // bi_kernelname
    expect(String.fromCharCode(...readPhys(image.pieces, 0x403054, KNAME.length + 1))).toBe(`${KNAME}\0`);
    expect(u32(bi, 48)).toBe(84); // bi_size
    expect(bi[52]).toBe(1); // bi_memsizes_valid
    expect(u32(bi, 56)).toBe(639); // bi_basemem: 0x9fc00 / 1024
    expect(u32(bi, 60)).toBe(0x7ee0000 / 1024); // bi_extmem
    expect([u32(bi, 64), u32(bi, 68)]).toEqual([0x401300, 0x401330]); // bi_symtab, bi_esymtab
    expect([u32(bi, 72), u32(bi, 76), u32(bi, 80)]).toEqual([0x407000, 0x405000, 0x406000]); // kernend, envp, modulep
  });

  it("writes 32-bit metadata: kernel records in FreeBSD's order, module DYNAMIC unrelocated", () => {
    const { image } = build(RB.SERIAL | RB.VERBOSE);
    const files = metaFiles(image.metadata, 32);
    expect(files.map((f) => [f.name, f.type, f.addr, f.size])).toEqual([
      [KNAME, "elf kernel", 0x400000n, 0x1330n],
      ["/boot/kernel/dynmod.ko", "elf module", 0x402000n, 0x32cn],
    ]);
    const [k, m] = files;
    expect(k.md.map(([t]) => t)).toEqual([MODINFOMD.SMAP, MODINFOMD.KERNEND, MODINFOMD.ENVP, MODINFOMD.HOWTO, MODINFOMD.ELFHDR, MODINFOMD.ESYM, MODINFOMD.SSYM, MODINFOMD.SHDR]);
    expect(mdValue(k, MODINFOMD.HOWTO)).toBe(BigInt(RB.SERIAL | RB.VERBOSE));
    for (const t of [MODINFOMD.ENVP, MODINFOMD.KERNEND, MODINFOMD.SSYM, MODINFOMD.ESYM]) expect(mdBytes(k, t).length).toBe(4);
    expect([mdValue(k, MODINFOMD.ENVP), mdValue(k, MODINFOMD.KERNEND), mdValue(k, MODINFOMD.SSYM), mdValue(k, MODINFOMD.ESYM)]).toEqual([0x405000n, 0x407000n, 0x401300n, 0x401330n]);
    expect(mdBytes(k, MODINFOMD.SMAP)).toEqual(encodeSmap(E820));
    expect(mdBytes(k, MODINFOMD.ELFHDR)).toEqual(i386Kernel().subarray(0, 52));
    expect(m.md.map(([t]) => t)).toEqual([MODINFOMD.ELFHDR, MODINFOMD.DYNAMIC, MODINFOMD.ESYM, MODINFOMD.SSYM, MODINFOMD.SHDR]);
    expect(mdValue(m, MODINFOMD.DYNAMIC)).toBe(0x100n); // p_vaddr of PT_DYNAMIC, as load_elf.c records it
    expect([mdValue(m, MODINFOMD.SSYM), mdValue(m, MODINFOMD.ESYM)]).toEqual([0x402300n, 0x40232cn]);
    expect(String.fromCharCode(...readPhys(image.pieces, image.envp, 36))).toBe("hw.uart.console=io:0x3f8,br:115200\0\0");
  });

  it("reads MODULE_DEPEND from ET_DYN and ET_REL modules", () => {
    expect(moduleDependencies(i386Module())).toEqual([{ name: "g_test_dep", min: 1, preferred: 1, max: 1 }]);
    expect(moduleDependencies(amd64Module())).toEqual([{ name: "g_test_dep", min: 1, preferred: 2, max: 3 }]);
    const { fb } = build();
    expect(fb.missingDependencies().map((d) => d.name)).toEqual(["g_test_dep"]);
  });

  it("refuses amd64 modules for an i386 kernel", () => {
    const fb = new FreeBsdBoot();
    fb.addKernel(KNAME, i386Kernel());
    expect(() => fb.addModule("testmod.ko", amd64Module())).toThrow(/i386 kernel needs ELF32/);
  });
});
