import { describe, expect, it } from "vitest";
import { encodeSmap, FreeBsdBoot, LoadError, MODINFOMD, RelocationError } from "@pxe/kboot";
import { amd64Kernel, amd64Module, AMD64_STRTAB, AMD64_SYMTAB, E820, i386Module, KERNBASE64, KERNEL_TEXT, OBJ_DATA, OBJ_RODATA, OBJ_TEXT, readPhys } from "./fixtures.js";
import { mdBytes, mdValue, metaFiles, uint } from "./meta-helpers.js";

// Expected layout, derived by hand from FreeBSD's rules (see fixtures.ts):
// kernel text 0x200000 (+0x400), data 0x201000 (+0x100, BSS to 0x204000);
// symbols at 0x204000 (load_elf.c: roundup(lastaddr, 4)): u64 72, symtab
// (72), pad to 8 -> 0x204050, u64 7, strtab (7), pad -> ESYM 0x204060.
// testmod.ko page-aligned after it at 0x205000, span 0x318 (its sections as
// load_elf_obj.c places them, below); mfsroot at 0x206000; then page tables
// 0x209000, stack 0x20c000, metadata 0x20d000, kenv 0x20e000; KERNEND
// 0x20f000.
const MOD = 0x205000;
// Section offsets in testmod.ko: .text 0 (0x23), .rodata 0x23 (19, align 1),
// .data 0x38 (72, align 8), set 0x80 (16), .bss 0xa0 (0x100, align 32),
// .symtab 0x1a0 (120), .strtab 0x218 (1), .shstrtab 0x219 (110),
// .rela.data 0x288 (96, align 8), .rela.set 0x2e8 (48) -> span 0x318.
const SECTION_ADDRS = [0, MOD, MOD + 0x23, MOD + 0x38, MOD + 0x80, MOD + 0xa0, MOD + 0x288, MOD + 0x1a0, MOD + 0x218, MOD + 0x2e8, MOD + 0x219];

function build(howto = 0x800) {
  const fb = new FreeBsdBoot();
  fb.addKernel("/boot/kernel/kernel", amd64Kernel());
  fb.addModule("/boot/kernel/testmod.ko", amd64Module(), "debug=1");
  fb.addFile("/boot/mfsroot", "md_image", new Uint8Array(10000).fill(0x5a));
  const image = fb.build({ howto, env: [["vfs.root.mountfrom", "cd9660:/dev/md0"], ["kenv.test", "ok"]], e820: E820, reserved: [{ base: 0, length: 0x100000 }] });
  return { fb, image };
}

const u32 = (b: number[], o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const u64 = (b: number[], o: number) => (BigInt(u32(b, o + 4)) << 32n) | BigInt(u32(b, o));

/** Walks the 4-level page tables from cr3 like the MMU (2 MiB pages in the PD). */
function walk(pieces: Parameters<typeof readPhys>[0], cr3: number, va: bigint): number {
  const idx = (shift: bigint) => Number((va >> shift) & 511n);
  const entry = (table: number, i: number) => u64(readPhys(pieces, table + i * 8, 8), 0);
  const pml4e = entry(cr3, idx(39n));
  expect(pml4e & 1n).toBe(1n);
  const pdpte = entry(Number(pml4e & 0xffffff000n), idx(30n));
  expect(pdpte & 1n).toBe(1n);
  const pde = entry(Number(pdpte & 0xffffff000n), idx(21n));
  expect(pde & 0x81n).toBe(0x81n); // present, 2 MiB page
  return Number(pde & 0xfffe00000n) + Number(va & 0x1fffffn);
}

describe("FreeBsdBoot amd64", () => {
  it("places the kernel at vaddr - KERNBASE, the files page-aligned after it, then the boot pieces", () => {
    const { image } = build();
    expect(image.pieces.map((p) => [p.name, p.dest, p.data.length, p.zero ?? 0])).toEqual([
      ["/boot/kernel/kernel segment 0", 0x200000, 0x400, 0],
      ["/boot/kernel/kernel segment 1", 0x201000, 0x100, 0x2f00],
      ["/boot/kernel/kernel symbols", 0x204000, 0x60, 0],
      ["/boot/kernel/testmod.ko", MOD, 0x318, 0], // the REL tables come last: no zero fill
      ["/boot/mfsroot", 0x206000, 10000, 0],
      ["page tables", 0x209000, 0x3000, 0],
      ["stack", 0x20c000, 0x1000, 0],
      ["modulep", 0x20d000, image.metadata.length, 0],
      ["kenv", 0x20e000, 35 + 13 + 1, 0],
    ]);
    expect(image.modulep).toBe(0x20d000);
    expect(image.envp).toBe(0x20e000);
    expect(image.kernend).toBe(0x20f000);
    expect(readPhys(image.pieces, 0x200000, 0x400)).toEqual([...KERNEL_TEXT]);
  });

  it("enters in long mode at e_entry with [ret][modulep][kernend] on the stack", () => {
    const { image } = build();
    const e = image.entry;
    if (e.kind !== "long64") throw new Error(e.kind);
    expect(e.rip).toBe(0xffffffff80200100n);
    expect(e.cr3).toBe(0x209000);
    expect(e.esp).toBe(0x20c000 + 0x1000 - 12);
    const words = readPhys(image.pieces, e.esp, 12);
    expect([u32(words, 0), u32(words, 4), u32(words, 8)]).toEqual([0, 0x20d000, 0x20f000]);
  });

  it("page tables map the first 1 GiB at 0 and at KERNBASE; the entry lands on the kernel text", () => {
    const { image } = build();
    const e = image.entry;
    if (e.kind !== "long64") throw new Error(e.kind);
    for (const x of [0, 0x1000, 0x200000, 0x20d123, 0x3ff00000, 0x3fffffff]) {
      expect(walk(image.pieces, e.cr3, BigInt(x))).toBe(x);
      expect(walk(image.pieces, e.cr3, KERNBASE64 + BigInt(x))).toBe(x);
    }
    const phys = walk(image.pieces, e.cr3, e.rip);
    expect(phys).toBe(0x200100);
    expect(readPhys(image.pieces, phys, 16)).toEqual([...KERNEL_TEXT.subarray(0x100, 0x110)]);
  });

  it("writes the metadata the kernel reads: files in order, kernel records as FreeBSD orders them", () => {
    const { image } = build();
    const files = metaFiles(image.metadata, 64);
    expect(files.map((f) => [f.name, f.type, f.args, f.addr, f.size])).toEqual([
      ["/boot/kernel/kernel", "elf64 kernel", undefined, 0x200000n, 0x4060n],
      ["/boot/kernel/testmod.ko", "elf obj module", "debug=1", BigInt(MOD), 0x318n],
      ["/boot/mfsroot", "md_image", undefined, 0x206000n, 10000n],
    ]);
    const k = files[0];
    // file_addmetadata prepends: added SHDR, SSYM, ESYM, ELFHDR (loading), then
    // HOWTO, ENVP, KERNEND, MODULEP, SMAP (bi_load64) -> written in reverse.
    expect(k.md.map(([t]) => t)).toEqual([
      MODINFOMD.SMAP, MODINFOMD.MODULEP, MODINFOMD.KERNEND, MODINFOMD.ENVP, MODINFOMD.HOWTO,
      MODINFOMD.ELFHDR, MODINFOMD.ESYM, MODINFOMD.SSYM, MODINFOMD.SHDR,
    ]);
    expect(mdValue(k, MODINFOMD.HOWTO)).toBe(0x800n);
    expect(mdBytes(k, MODINFOMD.HOWTO).length).toBe(4);
    expect(mdValue(k, MODINFOMD.ENVP)).toBe(0x20e000n);
    expect(mdValue(k, MODINFOMD.KERNEND)).toBe(0x20f000n);
    expect(mdValue(k, MODINFOMD.MODULEP)).toBe(0x20d000n);
    expect(mdBytes(k, MODINFOMD.SMAP)).toEqual(encodeSmap(E820));
    expect(mdBytes(k, MODINFOMD.ELFHDR)).toEqual(amd64Kernel().subarray(0, 64));
    expect(files[1].md.map(([t]) => t)).toEqual([MODINFOMD.ELFHDR, MODINFOMD.SHDR]);
    expect(files[2].md).toEqual([]);
  });

  it("loads the symbol table at SSYM as [u64 size][symtab][u64 size][strtab], ESYM after it", () => {
    const { image } = build();
    const k = metaFiles(image.metadata, 64)[0];
    expect(mdValue(k, MODINFOMD.SSYM)).toBe(0x204000n);
    expect(mdValue(k, MODINFOMD.ESYM)).toBe(0x204060n);
    const mem = readPhys(image.pieces, 0x204000, 0x60);
    expect(u64(mem, 0)).toBe(72n);
    expect(mem.slice(8, 80)).toEqual([...AMD64_SYMTAB]);
    expect(u64(mem, 0x50)).toBe(7n);
    expect(mem.slice(0x58, 0x5f)).toEqual([...AMD64_STRTAB]);
  });

  it("rewrites the module's section headers to where its sections were loaded", () => {
    const { image } = build();
    const m = metaFiles(image.metadata, 64)[1];
    const shdr = mdBytes(m, MODINFOMD.SHDR);
    expect(shdr.length).toBe(11 * 64);
    const addrs = Array.from({ length: 11 }, (_, i) => Number(uint(shdr.subarray(i * 64 + 16, i * 64 + 24))));
    expect(addrs).toEqual(SECTION_ADDRS);
    // The loaded bytes are the sections' bytes at those addresses.
    expect(readPhys(image.pieces, SECTION_ADDRS[1], OBJ_TEXT.length)).toEqual([...OBJ_TEXT]);
    expect(readPhys(image.pieces, SECTION_ADDRS[2], OBJ_RODATA.length)).toEqual([...OBJ_RODATA]);
    expect(readPhys(image.pieces, SECTION_ADDRS[3], OBJ_DATA.length)).toEqual([...OBJ_DATA]);
    expect(readPhys(image.pieces, SECTION_ADDRS[5], 0x100).every((b) => b === 0)).toBe(true);
  });

  it("KERNEND lies past every piece, and the kenv block is there", () => {
    const { image } = build();
    for (const p of image.pieces) expect(p.dest + p.data.length + (p.zero ?? 0)).toBeLessThanOrEqual(image.kernend);
    const env = readPhys(image.pieces, image.envp, 49);
    expect(String.fromCharCode(...env)).toBe("vfs.root.mountfrom=cd9660:/dev/md0\0kenv.test=ok\0\0");
  });

  it("lists modules and the dependencies nobody provides", () => {
    const { fb } = build();
    expect(fb.modules().map((m) => [m.name, m.type, m.addr, m.size, m.args, m.provides])).toEqual([
      ["/boot/kernel/kernel", "elf64 kernel", 0x200000, 0x4060, undefined, ["kernel"]],
      ["/boot/kernel/testmod.ko", "elf obj module", MOD, 0x318, "debug=1", ["testmod"]],
      ["/boot/mfsroot", "md_image", 0x206000, 10000, undefined, []],
    ]);
    expect(fb.missingDependencies()).toEqual([{ name: "g_test_dep", min: 1, preferred: 2, max: 3 }]);
  });

  it("does not follow the kernel's own MODULE_DEPEND records (load_elf.c: the kernel must not depend on anything)", () => {
    const fb = new FreeBsdBoot();
    fb.addKernel("/boot/kernel/kernel", amd64Kernel("ath_rate"));
    expect(fb.missingDependencies()).toEqual([]);
    fb.addModule("/boot/kernel/testmod.ko", amd64Module());
    expect(fb.missingDependencies().map((d) => d.name)).toEqual(["g_test_dep"]);
  });

  it("refuses modules before the kernel, twice the same name, and i386 modules", () => {
    const fb = new FreeBsdBoot();
    expect(() => fb.addModule("testmod.ko", amd64Module())).toThrow(LoadError);
    fb.addKernel("kernel", amd64Kernel());
    expect(() => fb.addKernel("kernel2", amd64Kernel())).toThrow(/already loaded/);
    expect(() => fb.addModule("dynmod.ko", i386Module())).toThrow(/amd64 kernel needs ELF64/);
    fb.addModule("testmod.ko", amd64Module());
    expect(() => fb.addModule("testmod.ko", amd64Module())).toThrow(/already loaded/);
    fb.unload();
    expect(fb.modules()).toEqual([]);
  });

  it("refuses a module with a relocation the kernel's linker cannot apply (a GOT load of __stack_chk_guard), naming it", () => {
    // What upstream clang 14 emits for -fstack-protector in a FreeBSD module:
    // mov __stack_chk_guard@GOTPCREL(%rip), %rax -> R_X86_64_REX_GOTPCRELX (42).
    // FreeBSD's amd64 kernel prints "kldload: unexpected relocation type 42"
    // and drops the module at boot; the loader must say so at `load`.
    const fb = new FreeBsdBoot();
    fb.addKernel("kernel", amd64Kernel());
    const bad = amd64Module({ textRelocs: [{ offset: 4, type: 2, addend: -4n }, { offset: 0x13, type: 42, addend: -4n }] });
    let err: unknown;
    try {
      fb.addModule("/boot/kernel/cd9660.ko", bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RelocationError);
    const r = err as RelocationError;
    expect([r.code, r.file, r.section, r.offset, r.type, r.symbol]).toEqual(["KBOOT_RELOC", "/boot/kernel/cd9660.ko", ".text", 0x13, 42, "__stack_chk_guard"]);
    expect(r.message).toMatch(/^\/boot\/kernel\/cd9660\.ko: \.text\+0x13: relocation R_X86_64_REX_GOTPCRELX \(type 42\) against __stack_chk_guard/);
    expect(fb.modules().map((m) => m.name)).toEqual(["kernel"]);
    // The same module with the PC32 access FreeBSD's clang emits loads.
    fb.addModule("/boot/kernel/cd9660.ko", amd64Module({ textRelocs: [{ offset: 4, type: 2, addend: -4n }, { offset: 0x13, type: 2, addend: -4n }] }));
    expect(fb.modules().map((m) => m.type)).toEqual(["elf64 kernel", "elf obj module"]);
  });
});
