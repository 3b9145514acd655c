import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ElfFile, ElfFormatError, FreeBsdBoot, KbootError, moduleDependencies } from "@pxe/kboot";
import { amd64Kernel, amd64Module, AMD64_ENTRY, i386Kernel, i386Module } from "./fixtures.js";

/** Runs f; anything thrown must be one of the package's typed errors. */
function onlyTyped(f: () => unknown, cls: new (...a: never[]) => Error = KbootError): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof cls)) throw new Error(`threw ${String(e)} (${(e as Error)?.constructor?.name}), not a ${cls.name}`);
  }
}

/** Everything the package does with a file's bytes. */
function exercise(bytes: Uint8Array): void {
  onlyTyped(() => {
    const elf = ElfFile.parse(bytes, "fuzz");
    for (const sh of elf.sectionHeaders) {
      elf.sectionData(sh);
      onlyTyped(() => elf.sectionName(sh));
    }
  }, ElfFormatError);
  onlyTyped(() => moduleDependencies(bytes, "fuzz.ko"));
  onlyTyped(() => new FreeBsdBoot().addKernel("kernel", bytes).size);
  for (const k of [amd64Kernel(), i386Kernel()]) {
    const fb = new FreeBsdBoot();
    fb.addKernel("kernel", k);
    onlyTyped(() => {
      fb.addModule("fuzz.ko", bytes);
      fb.missingDependencies();
      fb.build({ e820: [{ base: 0x100000, length: 0x3ff00000, type: 1 }] });
    });
  }
}

function mutate(base: Uint8Array, edits: ReadonlyArray<[number, number]>, cut: number): Uint8Array {
  const out = base.slice(0, Math.max(0, base.length - cut));
  for (const [pos, v] of edits) if (out.length) out[pos % out.length] = v;
  return out;
}

describe("ElfFile", () => {
  it("reads the header, program headers, sections, symbols and strings of a kernel", () => {
    const elf = ElfFile.parse(amd64Kernel(), "kernel");
    expect(elf.header).toMatchObject({ bits: 64, littleEndian: true, osabi: 9, type: 2, machine: 62, entry: AMD64_ENTRY, phnum: 2, shnum: 8, shstrndx: 7 });
    expect(elf.programHeaders.map((p) => [p.type, p.vaddr, p.filesz, p.memsz])).toEqual([
      [1, 0xffffffff80200000n, 0x400, 0x400],
      [1, 0xffffffff80201000n, 0x100, 0x3000],
    ]);
    expect(elf.sectionHeaders.map((s) => elf.sectionName(s))).toEqual(["", ".text", "set_modmetadata_set", ".data", ".bss", ".symtab", ".strtab", ".shstrtab"]);
    const symtab = elf.sectionByName(".symtab")!;
    expect(elf.symbolCount(symtab)).toBe(3);
    const s = elf.symbol(symtab, 1);
    expect(s).toMatchObject({ value: AMD64_ENTRY, shndx: 1, info: 0x12 });
    expect(elf.string(elf.section(symtab.link), s.name)).toBe("btext");
    expect(() => elf.symbol(symtab, 3)).toThrow(ElfFormatError);
  });

  it("reads ELF32 and relocations", () => {
    const elf = ElfFile.parse(i386Kernel());
    expect(elf.header).toMatchObject({ bits: 32, machine: 3, entry: 0xc0400100n });
    const mod = ElfFile.parse(amd64Module());
    const rela = mod.sectionByName(".rela.data")!;
    expect(mod.relocations(rela, true).map((r) => [r.offset, r.sym, r.type, r.addend])).toEqual([
      [8n, 3, 1, 24n],
      [16n, 2, 1, 0n],
      [48n, 3, 1, 64n],
      [56n, 2, 1, 11n],
    ]);
  });

  it("names the file, the field and the offset in its errors", () => {
    expect(() => ElfFile.parse(new Uint8Array([1, 2, 3]), "k.gz")).toThrow(/^k\.gz: ELF header: file is 3 bytes/);
    const bad = amd64Kernel();
    bad[4] = 7;
    expect(() => ElfFile.parse(bad, "kernel")).toThrow(/kernel: e_ident\[EI_CLASS\]: class 7/);
    const trunc = amd64Kernel().subarray(0, 200);
    try {
      ElfFile.parse(trunc, "kernel");
      throw new Error("parsed");
    } catch (e) {
      expect(e).toBeInstanceOf(ElfFormatError);
      expect((e as ElfFormatError).file).toBe("kernel");
    }
  });

  it("every truncation of every fixture gives a typed error or a sound file", () => {
    for (const f of [amd64Kernel(), i386Kernel(), amd64Module(), i386Module()]) {
      for (let n = 0; n < f.length; n += 7) exercise(f.subarray(0, n));
    }
  });

  it("fuzz: arbitrary bytes give only typed errors", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (b) => exercise(b)), { numRuns: 300 });
  });

  it("fuzz: ELF-looking headers with random fields give only typed errors", () => {
    const head = fc.tuple(fc.constantFrom(1, 2, 3), fc.constantFrom(1, 2), fc.uint8Array({ minLength: 40, maxLength: 600 }));
    fc.assert(
      fc.property(head, ([cls, data, rest]) => exercise(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, cls, data, 1, 9, ...rest]))),
      { numRuns: 300 },
    );
  });

  it("fuzz: mutated kernels and modules give only typed errors", () => {
    const files = [amd64Kernel(), i386Kernel(), amd64Module(), i386Module()];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(0, 1, 2, 3, 0x7f, 0x80, 0xff, 0x40)), { minLength: 1, maxLength: 6 }),
        fc.nat({ max: 64 }),
        (which, edits, cut) => exercise(mutate(files[which], edits, cut)),
      ),
      { numRuns: 600 },
    );
  });
});
