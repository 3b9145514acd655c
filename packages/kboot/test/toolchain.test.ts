// Modules made by a real compiler and linker (Debian's gcc and binutils, in
// tools/test/debian-packages.txt), not by our own ELF writer: an x86-64
// ET_REL object (as amd64 .ko files are) and an i386 ET_DYN shared object (as
// i386 .ko files are), each with a modmetadata_set built from C structs
// shaped like sys/sys/module.h's. Checks the readers against readelf and the
// dependency records against what the C source says.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeModinfo, ElfFile, FreeBsdBoot, MODINFO, MODINFOMD, moduleDependencies } from "@pxe/kboot";
import { amd64Kernel, i386Kernel, readPhys } from "./fixtures.js";

const SOURCE = `
struct mod_depend { int min, preferred, max; };
struct mod_version { int version; };
struct mod_metadata { int md_version; int md_type; const void *md_data; const char *md_cval; };
static const struct mod_depend dep_a = { 1, 2, 3 };
static const struct mod_depend dep_b = { 4, 4, 9 };
static const struct mod_version ver = { 5 };
static const struct mod_metadata md_a = { 1, 1, &dep_a, "g_real_dep" };
static const struct mod_metadata md_b = { 1, 1, &dep_b, "other_dep" };
static const struct mod_metadata md_v = { 1, 3, &ver, "realmod" };
__attribute__((section("set_modmetadata_set"), used)) static const void *const p_a = &md_a;
__attribute__((section("set_modmetadata_set"), used)) static const void *const p_v = &md_v;
__attribute__((section("set_modmetadata_set"), used)) static const void *const p_b = &md_b;
int counter;
int answer(void) { return 42 + counter; }
`;

const KERNEL_SOURCE = `
struct mod_version { int version; };
struct mod_metadata { int md_version; int md_type; const void *md_data; const char *md_cval; };
static const struct mod_version kver = { 1302001 };
static const struct mod_metadata md_k = { 1, 3, &kver, "kernel" };
__attribute__((section("set_modmetadata_set"), used)) static const void *const p_k = &md_k;
int bss_area[4096];
void btext(void) { for (;;) bss_area[0]++; }
`;

function have(cmd: string): boolean {
  try {
    execFileSync(cmd, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const ok = have("gcc") && have("readelf") && have("ld");
const dir = mkdtempSync(join(tmpdir(), "kboot-toolchain-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function compile(): { rel64: Uint8Array; dyn32: Uint8Array; rel64Path: string } {
  writeFileSync(join(dir, "m.c"), SOURCE);
  const rel64Path = join(dir, "m64.ko");
  execFileSync("gcc", ["-c", "-O2", "-mcmodel=kernel", "-mno-red-zone", "-ffreestanding", "-fno-pic", "-fno-asynchronous-unwind-tables", "-o", rel64Path, join(dir, "m.c")]);
  execFileSync("gcc", ["-m32", "-shared", "-fPIC", "-O2", "-nostdlib", "-ffreestanding", "-o", join(dir, "m32.ko"), join(dir, "m.c")]);
  return { rel64: readFileSync(rel64Path), dyn32: readFileSync(join(dir, "m32.ko")), rel64Path };
}

/** Links a kernel-shaped executable: amd64 at KERNBASE + 2 MiB, i386 at 20 MiB (load_elf.c masks 0xff000000: physical 4 MiB). */
function linkKernel(arch: "amd64" | "i386"): string {
  writeFileSync(join(dir, "k.c"), KERNEL_SOURCE);
  const o = join(dir, `k-${arch}.o`);
  const out = join(dir, `kernel-${arch}`);
  const cflags = ["-c", "-O2", "-ffreestanding", "-fno-pic", "-fno-asynchronous-unwind-tables"];
  if (arch === "amd64") {
    execFileSync("gcc", [...cflags, "-mcmodel=kernel", "-o", o, join(dir, "k.c")]);
    execFileSync("ld", ["-m", "elf_x86_64", "-nostdlib", "-static", "-z", "max-page-size=0x1000", "-Ttext-segment=0xffffffff80200000", "-e", "btext", "-o", out, o]);
  } else {
    execFileSync("gcc", [...cflags, "-m32", "-o", o, join(dir, "k.c")]);
    execFileSync("ld", ["-m", "elf_i386", "-nostdlib", "-static", "-z", "max-page-size=0x1000", "-Ttext-segment=0x01400000", "-e", "btext", "-o", out, o]);
  }
  return out;
}

/** readelf -l's LOAD rows and -h's entry. */
function readelfLoads(path: string): { entry: bigint; loads: Array<{ off: number; vaddr: bigint; filesz: number; memsz: number }> } {
  const out = execFileSync("readelf", ["-W", "-l", "-h", path], { encoding: "utf8" });
  const entry = BigInt(/Entry point address:\s+(0x[0-9a-f]+)/.exec(out)![1]);
  const loads = [];
  for (const m of out.matchAll(/^\s*LOAD\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+0x[0-9a-f]+\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)/gm)) {
    loads.push({ off: Number(m[1]), vaddr: BigInt(m[2]), filesz: Number(m[3]), memsz: Number(m[4]) });
  }
  return { entry, loads };
}

/** readelf -S: index, name, type, address, offset, size, alignment (from the flags column's neighbours). */
function readelfSections(path: string): Array<{ name: string; type: string; off: number; size: number; alloc: boolean; align: number }> {
  const out = execFileSync("readelf", ["-W", "-S", path], { encoding: "utf8" });
  const rows = [];
  for (const line of out.split("\n")) {
    const m = /^\s*\[\s*(\d+)\]\s+(\S+)\s+(\S+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+([A-Za-z]*)\s+\d+\s+\d+\s+(\d+)\s*$/.exec(line);
    if (m) rows.push({ name: m[2], type: m[3], off: parseInt(m[4], 16), size: parseInt(m[5], 16), alloc: m[6].includes("A"), align: Number(m[7]) });
  }
  return rows;
}

describe.skipIf(!ok)("modules from gcc (skipped without gcc and readelf)", () => {
  const files = ok ? compile() : undefined;

  it("reads MODULE_DEPEND and MODULE_VERSION records through RELA (ET_REL) and in-place pointers (ET_DYN)", () => {
    const want = [
      { name: "g_real_dep", min: 1, preferred: 2, max: 3 },
      { name: "other_dep", min: 4, preferred: 4, max: 9 },
    ];
    // The compiler decides the order of the set's entries.
    const byName = (ds: Array<{ name: string }>) => [...ds].sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(byName(moduleDependencies(files!.rel64, "m64.ko"))).toEqual(want);
    expect(byName(moduleDependencies(files!.dyn32, "m32.ko"))).toEqual(want);
  });

  it("section headers agree with readelf", () => {
    const elf = ElfFile.parse(files!.rel64, "m64.ko");
    const theirs = readelfSections(files!.rel64Path);
    expect(elf.sectionHeaders.slice(1).map((s) => [elf.sectionName(s), s.offset, s.size, s.addralign])).toEqual(theirs.map((t) => [t.name, t.off, t.size, t.align]));
  });

  it("loads the ET_REL module after an amd64 kernel: every allocated section at its rewritten address with its bytes", () => {
    const fb = new FreeBsdBoot();
    fb.addKernel("kernel", amd64Kernel());
    const m = fb.addModule("m64.ko", files!.rel64);
    expect(m.provides).toEqual(["realmod"]);
    expect(fb.missingDependencies().map((d) => d.name).sort()).toEqual(["g_real_dep", "other_dep"]);
    const image = fb.build({ e820: [{ base: 0x100000, length: 0x3000000, type: 1 }] });
    let file = "";
    let shdr: Uint8Array | undefined;
    for (const r of decodeModinfo(image.metadata, 64)!) {
      if (r.type === MODINFO.NAME) file = String.fromCharCode(...r.data.subarray(0, -1));
      if (file === "m64.ko" && r.type === (MODINFO.METADATA | MODINFOMD.SHDR)) shdr = r.data;
    }
    const theirs = readelfSections(files!.rel64Path);
    const addr = (i: number) => Number(shdr!.subarray(i * 64 + 16, i * 64 + 24).reduceRight((a, b) => (a << 8n) | BigInt(b), 0n));
    let prev = m.addr;
    theirs.forEach((t, j) => {
      const a = addr(j + 1);
      const loaded = t.alloc && t.size > 0 && ["PROGBITS", "NOBITS", "X86_64_UNWIND"].includes(t.type);
      if (!loaded) return;
      expect(a % Math.max(1, t.align)).toBe(0);
      expect(a).toBeGreaterThanOrEqual(prev); // in section order, one after the other
      prev = a + t.size;
      const want = t.type === "NOBITS" ? new Array(t.size).fill(0) : [...files!.rel64.subarray(t.off, t.off + t.size)];
      expect(readPhys(image.pieces, a, t.size)).toEqual(want);
    });
    const symtab = theirs.findIndex((t) => t.type === "SYMTAB") + 1;
    expect(readPhys(image.pieces, addr(symtab), 24)).toEqual([...files!.rel64.subarray(theirs[symtab - 1].off, theirs[symtab - 1].off + 24)]);
  });

  it("loads the ET_DYN module after an i386 kernel as an \"elf module\"", () => {
    const fb = new FreeBsdBoot();
    fb.addKernel("kernel", i386Kernel());
    const m = fb.addModule("m32.ko", files!.dyn32);
    expect([m.type, m.provides]).toEqual(["elf module", ["realmod"]]);
    const image = fb.build({ e820: [{ base: 0x100000, length: 0x3000000, type: 1 }] });
    const elf = ElfFile.parse(files!.dyn32);
    for (const ph of elf.programHeaders.filter((p) => p.type === 1)) {
      expect(readPhys(image.pieces, m.addr + Number(ph.vaddr), ph.filesz)).toEqual([...files!.dyn32.subarray(ph.offset, ph.offset + ph.filesz)]);
    }
  });

  for (const arch of ["amd64", "i386"] as const) {
    it(`loads an ${arch} kernel linked by ld at its physical addresses, symbols after it`, () => {
      const path = linkKernel(arch);
      const bytes = readFileSync(path);
      const { entry, loads } = readelfLoads(path);
      const base = arch === "amd64" ? 0xffffffff80000000n : 0x01000000n; // e_entry & KERNBASE mask
      const fb = new FreeBsdBoot();
      const k = fb.addKernel("/boot/kernel/kernel", bytes);
      expect([k.type, k.provides]).toEqual([arch === "amd64" ? "elf64 kernel" : "elf kernel", ["kernel"]]);
      const image = fb.build({ e820: [{ base: 0x100000, length: 0x3000000, type: 1 }] });
      const kernelPieces = image.pieces.filter((p) => p.name.startsWith("/boot/kernel/kernel segment"));
      expect(kernelPieces.map((p) => [p.dest, p.data.length, p.zero ?? 0])).toEqual(loads.map((l) => [Number(l.vaddr - base), l.filesz, l.memsz - l.filesz]));
      for (const l of loads) expect(readPhys(image.pieces, Number(l.vaddr - base), l.filesz)).toEqual([...bytes.subarray(l.off, l.off + l.filesz)]);
      // SSYM right after the last segment (rounded to 4), then [size][.symtab][size][.strtab], each padded to the size's width.
      const end = Math.max(...loads.map((l) => Number(l.vaddr - base) + l.memsz));
      const ssym = Math.ceil(end / 4) * 4;
      const w = arch === "amd64" ? 8 : 4;
      const secs = readelfSections(path);
      const symtab = secs.find((x) => x.type === "SYMTAB")!;
      const strtab = secs.find((x) => x.name === ".strtab")!;
      const strAt = Math.ceil((ssym + w + symtab.size) / w) * w;
      const esym = Math.ceil((strAt + w + strtab.size) / w) * w;
      expect(readPhys(image.pieces, ssym + w, symtab.size)).toEqual([...bytes.subarray(symtab.off, symtab.off + symtab.size)]);
      expect(readPhys(image.pieces, strAt + w, strtab.size)).toEqual([...bytes.subarray(strtab.off, strtab.off + strtab.size)]);
      expect([k.addr, k.size]).toEqual([Number(loads[0].vaddr - base), esym - Number(loads[0].vaddr - base)]);
      if (image.entry.kind === "long64") expect(image.entry.rip).toBe(entry);
      else expect(image.entry.eip).toBe(Number(entry & 0xffffffn));
    });
  }
});
