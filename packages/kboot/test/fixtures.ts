// Tiny FreeBSD-shaped ELF files written by hand for the tests: an amd64 and
// an i386 kernel, an amd64 ET_REL module and an i386 ET_DYN module, each with
// a modmetadata_set, built with @pxe/kboot/testing's ELF writer. Every
// address below is chosen here; the tests derive the expected layout from
// FreeBSD's rules by hand.
import { buildElf, rela64, stringTable, symbolTable, words } from "@pxe/kboot/testing";

export const KERNBASE64 = 0xffffffff80000000n;
export const AMD64_ENTRY = 0xffffffff80200100n;

/** Bytes 0..n-1 of a recognisable pattern. */
export function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7 + seed) & 0xff;
  return out;
}

function cat(parts: Array<Uint8Array | number>): Uint8Array {
  // numbers are zero padding
  const n = parts.reduce<number>((a, p) => a + (typeof p === "number" ? p : p.length), 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    if (typeof p !== "number") out.set(p, o);
    o += typeof p === "number" ? p : p.length;
  }
  return out;
}

const str = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)).concat([0]));
const i32s = (vals: number[]) => words(32, vals);

export const KERNEL_TEXT = pattern(0x400, 1);
/** amd64 kernel symbols: .symtab has 2 symbols + null = 72 bytes, .strtab "\0btext\0" = 7 bytes. */
export const AMD64_STRTAB = stringTable(["", "btext"]).data;
export const AMD64_SYMTAB = symbolTable(64, [
  { name: 1, value: AMD64_ENTRY, info: 0x12, shndx: 1 },
  { name: 0, value: 0xffffffff80201000n, info: 3, shndx: 3 },
]);

/**
 * amd64 kernel: text at 0xffffffff80200000 (0x400 bytes), data at
 * 0xffffffff80201000 (0x100 file bytes + 0x2f00 BSS), a modmetadata_set with
 * one MDT_VERSION "kernel" 1300139 entry, symbols outside the segments.
 * With `dependOn`, a second entry: MDT_DEPEND on that module (versions 1..1),
 * as real kernels have (amd64 GENERIC: ath_rate, ath_dfs, xenpv).
 */
export function amd64Kernel(dependOn?: string): Uint8Array {
  const d = 0xffffffff80201000n;
  const setSize = dependOn === undefined ? 8 : 16;
  const data = cat([
    words(64, [d + 0x10n]), // set_modmetadata_set[0] -> md at +0x10
    dependOn === undefined ? 8 : words(64, [d + 0x50n]), // [1] -> the MDT_DEPEND md at +0x50
    i32s([1, 3]), // md_version 1, md_type MDT_VERSION
    words(64, [d + 0x30n, d + 0x40n]), // md_data -> mod_version, md_cval -> "kernel"
    8,
    i32s([1300139]),
    12,
    str("kernel"),
    ...(dependOn === undefined ? [] : [
      0x50 - 0x47,
      i32s([1, 1]), // md_version 1, md_type MDT_DEPEND
      words(64, [d + 0x70n, d + 0x80n]), // md_data -> mod_depend, md_cval -> the name
      8,
      i32s([1, 1, 1]), // min, preferred, max
      4,
      str(dependOn),
    ]),
  ]);
  const dataSeg = cat([data, 0x100 - data.length]);
  return buildElf({
    bits: 64,
    machine: 62,
    type: 2,
    entry: AMD64_ENTRY,
    segments: [
      { vaddr: 0xffffffff80200000n, data: KERNEL_TEXT, flags: 5 },
      { vaddr: d, data: dataSeg, memsz: 0x3000, flags: 6 },
    ],
    sections: [
      { name: ".text", type: 1, flags: 6, addr: 0xffffffff80200000n, segment: 0, segmentOffset: 0, data: KERNEL_TEXT, addralign: 16 },
      { name: "set_modmetadata_set", type: 1, flags: 2, addr: d, segment: 1, segmentOffset: 0, data: new Uint8Array(setSize), addralign: 8 },
      { name: ".data", type: 1, flags: 3, addr: d + BigInt(setSize), segment: 1, segmentOffset: setSize, data: new Uint8Array(0x100 - setSize), addralign: 8 },
      { name: ".bss", type: 8, flags: 3, addr: d + 0x100n, size: 0x2f00, addralign: 32 },
      { name: ".symtab", type: 2, data: AMD64_SYMTAB, link: 6, info: 2, addralign: 8, entsize: 24 },
      { name: ".strtab", type: 3, data: AMD64_STRTAB },
    ],
  });
}

/**
 * amd64 ET_REL module "testmod.ko": .text 0x23, .rodata names, .data with a
 * MDT_DEPEND("g_test_dep", 1, 2, 3) and a MDT_VERSION("testmod", 7) record,
 * set_modmetadata_set with two pointers, .bss 0x100 aligned 32; pointers
 * filled by R_X86_64_64 relocations against section symbols.
 */
export const OBJ_TEXT = pattern(0x23, 2);
export const OBJ_RODATA = cat([str("g_test_dep"), str("testmod")]); // 11 + 8 = 19 bytes
export const OBJ_DATA = cat([i32s([1, 1]), 16, i32s([1, 2, 3]), 4, i32s([1, 3]), 16, i32s([7]), 4]); // 72 bytes
export function amd64Module(opts: { textRelocs?: ReadonlyArray<{ offset: number; type: number; addend: bigint }> } = {}): Uint8Array {
  // Section indices: 1 .text, 2 .rodata, 3 .data, 4 set_modmetadata_set, 5 .bss,
  // 6 .rela.data, 7 .symtab, 8 .strtab, 9 .rela.set_modmetadata_set, 10 .shstrtab.
  // Symbols: 1 .text, 2 .rodata, 3 .data, 4 set_modmetadata_set (section symbols).
  // With textRelocs: symbol 5 is the undefined global __stack_chk_guard, and
  // section 10 .rela.text holds those relocations against it (.shstrtab 11).
  const relocs = opts.textRelocs;
  const named = relocs ? [{ name: 1, value: 0n, info: 0x10, shndx: 0 }] : [];
  const syms = symbolTable(64, [...[1, 2, 3, 4].map((shndx) => ({ name: 0, value: 0n, shndx })), ...named]);
  const strtab = relocs ? stringTable(["", "__stack_chk_guard"]).data : new Uint8Array(1);
  const relaText = relocs
    ? [{ name: ".rela.text", type: 4, link: 7, info: 1, addralign: 8, entsize: 24, data: rela64(relocs.map((r) => ({ ...r, sym: 5 }))) }]
    : [];
  const R = 1; // R_X86_64_64
  return buildElf({
    bits: 64,
    machine: 62,
    type: 1,
    sections: [
      { name: ".text", type: 1, flags: 6, data: OBJ_TEXT, addralign: 16 },
      { name: ".rodata", type: 1, flags: 2, data: OBJ_RODATA, addralign: 1 },
      { name: ".data", type: 1, flags: 3, data: OBJ_DATA, addralign: 8 },
      { name: "set_modmetadata_set", type: 1, flags: 2, data: new Uint8Array(16), addralign: 8 },
      { name: ".bss", type: 8, flags: 3, size: 0x100, addralign: 32 },
      {
        name: ".rela.data",
        type: 4,
        link: 7,
        info: 3,
        addralign: 8,
        entsize: 24,
        data: rela64([
          { offset: 8, sym: 3, type: R, addend: 24n }, // md_data -> .data+24 (mod_depend)
          { offset: 16, sym: 2, type: R, addend: 0n }, // md_cval -> "g_test_dep"
          { offset: 48, sym: 3, type: R, addend: 64n }, // md_data -> .data+64 (mod_version)
          { offset: 56, sym: 2, type: R, addend: 11n }, // md_cval -> "testmod"
        ]),
      },
      { name: ".symtab", type: 2, data: syms, link: 8, info: 5, addralign: 8, entsize: 24 },
      { name: ".strtab", type: 3, data: strtab },
      {
        name: ".rela.set_modmetadata_set",
        type: 4,
        link: 7,
        info: 4,
        addralign: 8,
        entsize: 24,
        data: rela64([
          { offset: 0, sym: 3, type: R, addend: 0n },
          { offset: 8, sym: 3, type: R, addend: 40n },
        ]),
      },
      ...relaText,
    ],
  });
}

export const I386_ENTRY = 0xc0400100;
export const I386_TEXT = pattern(0x300, 3);
export const I386_STRTAB = stringTable(["", "btext"]).data; // 7 bytes
export const I386_SYMTAB = symbolTable(32, [{ name: 1, value: BigInt(I386_ENTRY), info: 0x12, shndx: 1 }]); // 32 bytes

/** i386 kernel linked at 0xc0400000 (load_elf.c masks 0xff000000: physical 0x400000); 0x300 text + 0x1000 BSS. */
export function i386Kernel(): Uint8Array {
  return buildElf({
    bits: 32,
    machine: 3,
    type: 2,
    entry: BigInt(I386_ENTRY),
    segments: [{ vaddr: 0xc0400000n, data: I386_TEXT, memsz: 0x1300, flags: 7 }],
    sections: [
      { name: ".text", type: 1, flags: 6, addr: 0xc0400000n, segment: 0, segmentOffset: 0, data: I386_TEXT, addralign: 16 },
      { name: ".symtab", type: 2, data: I386_SYMTAB, link: 3, info: 1, addralign: 4, entsize: 16 },
      { name: ".strtab", type: 3, data: I386_STRTAB },
    ],
  });
}

/**
 * i386 ET_DYN module "dynmod.ko": one PT_LOAD at 0 (0x200 file bytes, 0x300
 * in memory), PT_DYNAMIC at 0x100, a modmetadata_set at 0x180 pointing at an
 * MDT_DEPEND("g_test_dep", 1, 1, 1) record at 0x190 (link-time addresses).
 */
export function i386Module(): Uint8Array {
  const seg = cat([
    pattern(0x100, 4),
    i32s([0, 0, 0, 0]), // _DYNAMIC (DT_NULL)
    0x70,
    i32s([0x190]), // set_modmetadata_set[0]
    0xc,
    i32s([1, 1, 0x1a0, 0x1b0]), // md: version, MDT_DEPEND, data, cval
    i32s([1, 1, 1]), // mod_depend
    4,
    str("g_test_dep"),
    0x200 - 0x1b0 - 11,
  ]);
  const syms = symbolTable(32, [{ name: 0, value: 0n, shndx: 1 }]);
  return buildElf({
    bits: 32,
    machine: 3,
    type: 3,
    segments: [
      { vaddr: 0n, data: seg, memsz: 0x300, flags: 7 },
      { type: 2, vaddr: 0x100n, data: seg.subarray(0x100, 0x110), flags: 6 },
    ],
    sections: [
      { name: ".text", type: 1, flags: 6, addr: 0n, segment: 0, segmentOffset: 0, data: seg.subarray(0, 0x100), addralign: 16 },
      { name: "set_modmetadata_set", type: 1, flags: 2, addr: 0x180n, segment: 0, segmentOffset: 0x180, data: seg.subarray(0x180, 0x184), addralign: 4 },
      { name: ".symtab", type: 2, data: syms, link: 4, info: 1, addralign: 4, entsize: 16 },
      { name: ".strtab", type: 3, data: new Uint8Array(1) },
    ],
  });
}

/** A QEMU-like E820 map: 639 KiB low, then RAM from 1 MiB to 128 MiB - 128 KiB. */
export const E820 = [
  { base: 0, length: 0x9fc00, type: 1 },
  { base: 0x9fc00, length: 0x400, type: 2 },
  { base: 0xf0000, length: 0x10000, type: 2 },
  { base: 0x100000, length: 0x7ee0000, type: 1 },
  { base: 0x7fe0000, length: 0x20000, type: 2 },
  { base: 0xfffc0000, length: 0x40000, type: 2 },
];

/** Reads `n` bytes at physical `addr` from an image's pieces (zero fill included; unmapped bytes are -1). */
export function readPhys(pieces: ReadonlyArray<{ dest: number; data: Uint8Array; zero?: number }>, addr: number, n: number): number[] {
  const out: number[] = [];
  for (let a = addr; a < addr + n; a++) {
    let v = -1;
    for (const p of pieces) {
      if (a >= p.dest && a < p.dest + p.data.length) v = p.data[a - p.dest];
      else if (a >= p.dest + p.data.length && a < p.dest + p.data.length + (p.zero ?? 0)) v = 0;
    }
    out.push(v);
  }
  return out;
}
