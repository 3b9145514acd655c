import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { findMultibootHeader, readMultibootHeader } from "../src/multiboot/header.js";
import { encodeMultibootInfo } from "../src/multiboot/info.js";
import { planMultibootBoot } from "../src/multiboot/load.js";
import { MultibootFormatError, MultibootUnsupportedError } from "../src/multiboot/errors.js";
import { ElfFormatError, LayoutError } from "../src/errors.js";
import { E820 as QEMU_128M } from "./fixtures.js";

const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];

/** A Multiboot header written from the specification (section 3.1.1). */
function header(flags: number, aout?: number[]): number[] {
  return [...le32(0x1badb002), ...le32(flags), ...le32((-(0x1badb002 + flags)) >>> 0), ...(aout ?? []).flatMap(le32)];
}

/** An a.out-kludge kernel: `pad` bytes, the header, code; loaded at 0x100000 with the header's file offset mapping to header_addr. */
function aoutKernel(pad = 16, flags = 0x10003, bss = 0x1000): Uint8Array {
  const size = pad + 32 + 64;
  const h = header(flags, [0x100000 + pad, 0x100000, 0x100000 + size, 0x100000 + size + bss, 0x100000 + pad + 32]);
  const b = new Uint8Array(size);
  b.set(h, pad);
  b.fill(0x90, pad + 32);
  return b;
}

/** A minimal ELF32 i386 executable with one PT_LOAD at paddr 0x200000 (entry 0x200000). */
function elfKernel(flags = 0x3): Uint8Array {
  const b = new Uint8Array(0x1000);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
  const w16 = (o: number, v: number) => b.set([v & 0xff, v >> 8], o);
  const w32 = (o: number, v: number) => b.set(le32(v), o);
  w16(16, 2); w16(18, 3); w32(20, 1); w32(24, 0x200000); w32(28, 52); w32(32, 0);
  w16(40, 52); w16(42, 32); w16(44, 1); w16(46, 40); w16(48, 0); w16(50, 0);
  // PT_LOAD: offset 0x100, vaddr/paddr 0x200000, filesz 0x200, memsz 0x3000, flags RWX, align 0x1000.
  [1, 0x100, 0x200000, 0x200000, 0x200, 0x3000, 7, 0x1000].forEach((v, i) => w32(52 + i * 4, v));
  b.set(header(flags), 0x100);
  return b;
}

describe("Multiboot header", () => {
  it("is found 4-byte aligned in the first 8192 bytes only, with a valid checksum", () => {
    const b = new Uint8Array(9000);
    b.set(header(0), 8176);
    expect(findMultibootHeader(b)).toBe(8176);
    const late = new Uint8Array(9000);
    late.set(header(0), 8184); // its checksum ends past 8192
    expect(findMultibootHeader(late)).toBe(-1);
    const odd = new Uint8Array(100);
    odd.set(header(0), 6);
    expect(findMultibootHeader(odd)).toBe(-1);
    const bad = new Uint8Array(100);
    bad.set(header(0), 8);
    bad[16] ^= 1;
    expect(findMultibootHeader(bad)).toBe(-1);
  });
  it("reads the a.out kludge", () => {
    expect(readMultibootHeader(aoutKernel(16), "k")).toEqual({
      offset: 16, flags: 0x10003, aout: { fileOffset: 0, loadAddr: 0x100000, loadSize: 112, bssSize: 0x1000, entry: 0x100030 },
    });
  });
  it("refuses video mode, unknown required flags and address fields that do not match the file", () => {
    expect(() => readMultibootHeader(aoutKernel(16, 0x10004))).toThrow(MultibootUnsupportedError);
    expect(() => readMultibootHeader(aoutKernel(16, 0x10010))).toThrow(/requires features this loader does not know \(flags 0x10\)/);
    expect(() => readMultibootHeader(new Uint8Array(64), "zeros")).toThrow("zeros: no Multiboot header (magic 0x1BADB002 with a valid checksum) in the first 8192 bytes");
    const far = aoutKernel(16);
    far.set(le32(0x100000 + 4096), 16 + 20); // load_end_addr past the file
    expect(() => readMultibootHeader(far)).toThrow(MultibootFormatError);
  });
  it("gives only typed errors on arbitrary bytes, through to a planned boot", () => {
    const ok = (b: Uint8Array) => {
      try {
        planMultibootBoot({ kernel: { name: "fuzz", data: b }, e820: QEMU_128M });
      } catch (e) {
        if (!(e instanceof MultibootFormatError || e instanceof MultibootUnsupportedError || e instanceof ElfFormatError || e instanceof LayoutError)) throw e;
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => ok(b)), { numRuns: 300 });
    // Random address fields behind a valid header, and mutated ELF kernels.
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 5, maxLength: 5 }), fc.integer({ min: 0, max: 200 }), (fields, tail) => {
        const b = new Uint8Array(32 + tail);
        b.set(header(0x10000, fields.map((f) => f >>> 0)));
        ok(b);
      }),
      { numRuns: 300 },
    );
    const elf = elfKernel();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(0x140), fc.nat(255)), { maxLength: 6 }), (muts) => {
        const b = elf.slice();
        for (const [o, v] of muts) if (o < 0x100 || o >= 0x10c) b[o] = v;
        ok(b);
      }),
      { numRuns: 300 },
    );
  });
});

describe("Multiboot info", () => {
  it("matches the structure written by hand from the specification (section 3.3)", () => {
    const info = encodeMultibootInfo(0x300000, {
      memLower: 639, memUpper: 0x3fb80, cmdline: "k a=1", loaderName: "pxe",
      modules: [{ start: 0x201000, end: 0x201005, string: "m x" }],
      e820: [{ base: 0, length: 0x9fc00, type: 1 }, { base: 0x100000, length: 0x7ee0000, type: 1 }],
    });
    const want = [
      ...le32(0x24d), // flags: MEMORY | CMDLINE | MODS | MEM_MAP | LOADER_NAME
      ...le32(639), ...le32(0x3fb80), // mem_lower, mem_upper
      ...le32(0), // boot_device
      ...le32(0x300000 + 88 + 48 + 16), // cmdline: after info, 2 mmap entries, 1 module
      ...le32(1), ...le32(0x300000 + 88 + 48), // mods_count, mods_addr
      ...new Array(16).fill(0), // syms
      ...le32(48), ...le32(0x300000 + 88), // mmap_length, mmap_addr
      ...new Array(12).fill(0), // drives_length, drives_addr, config_table
      ...le32(0x300000 + 88 + 48 + 16 + 6), // boot_loader_name
      ...new Array(20).fill(0), // apm_table, vbe_*
      // mmap: size 20, base_addr, length, type
      ...le32(20), ...le32(0), ...le32(0), ...le32(0x9fc00), ...le32(0), ...le32(1),
      ...le32(20), ...le32(0x100000), ...le32(0), ...le32(0x7ee0000), ...le32(0), ...le32(1),
      // module: mod_start, mod_end, string, reserved
      ...le32(0x201000), ...le32(0x201005), ...le32(0x300000 + 88 + 48 + 16 + 6 + 4), ...le32(0),
      ..."k a=1\0pxe\0m x\0".split("").map((c) => c.charCodeAt(0)),
      0, 0, // padded to 4 bytes
    ];
    expect(Array.from(info)).toEqual(want);
  });
});

describe("planMultibootBoot", () => {
  const mod = (name: string, n: number) => ({ name, data: new Uint8Array(n).fill(1), string: `${name} arg` });
  it("loads an a.out kludge kernel, page-aligned modules and the info, entered with EAX = 0x2BADB002 and EBX = info", () => {
    const p = planMultibootBoot({ kernel: { name: "mb.bin", data: aoutKernel() }, cmdline: "mb.bin hello", modules: [mod("a", 100), mod("b", 5000)], e820: QEMU_128M });
    const k = p.image.pieces.find((x) => x.name === "kernel")!;
    expect([k.dest, k.data.length, k.zero]).toEqual([0x100000, 112, 0x1000]);
    expect(p.info.modules.map((m) => m.start % 4096)).toEqual([0, 0]);
    expect(p.info.modules.map((m) => m.end - m.start)).toEqual([100, 5000]);
    expect(p.info.modules[0].start).toBeGreaterThanOrEqual(0x100000 + 112 + 0x1000);
    expect([p.info.memLower, p.info.memUpper, p.info.cmdline]).toEqual([639, (0x7fe0000 - 0x100000) / 1024, "mb.bin hello"]);
    expect(p.image.entry).toMatchObject({ kind: "protected32", eip: 0x100030, regs: { eax: 0x2badb002, ebx: p.infoAddr } });
  });
  it("aligns modules only to 16 bytes unless the header asks for pages", () => {
    const p = planMultibootBoot({ kernel: { name: "k", data: aoutKernel(16, 0x10002) }, modules: [mod("a", 100), mod("b", 10)], e820: QEMU_128M });
    expect(p.info.modules[1].start - p.info.modules[0].end).toBeLessThan(16);
  });
  it("loads ELF kernels at their physical addresses", () => {
    const p = planMultibootBoot({ kernel: { name: "k.elf", data: elfKernel() }, e820: QEMU_128M });
    const seg = p.image.pieces.find((x) => x.name === "kernel segment 0")!;
    expect([seg.dest, seg.data.length, seg.zero, p.image.entry.kind === "protected32" && p.image.entry.eip]).toEqual([0x200000, 0x200, 0x2e00, 0x200000]);
  });
  it("refuses a kernel outside usable memory", () => {
    expect(() => planMultibootBoot({ kernel: { name: "k.elf", data: elfKernel() }, e820: [{ base: 0x100000, length: 0x100000, type: 1 }] })).toThrow(LayoutError);
  });
});
