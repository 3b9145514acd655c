// The FreeBSD hand-off probe kernels (fixtures/fbsd-probe.asm), built by the
// tests with nasm + ld, and a reader of the report they print on COM1.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { MODINFO, MODINFOMD } from "@pxe/kboot";

/** The probe's architectures and where each is linked (amd64: KERNBASE + 2 MiB; i386: 4 MiB). */
export const PROBE_LINK = { amd64: "0xffffffff80200000", i386: "0x400000" } as const;

/**
 * Assembles and links the probe kernel for `arch` in `dir`; returns the ELF
 * bytes. `extraBss` bytes of zeroed memory are added to .bss (a kernel whose
 * memory image is larger than the machine's RAM, while the file stays small).
 */
export function buildFbsdProbe(dir: string, arch: "amd64" | "i386", opts: { extraBss?: number } = {}): Uint8Array {
  const src = join(__dirname, "fixtures", "fbsd-probe.asm");
  const tag = `${arch}${opts.extraBss ? `-bss${opts.extraBss}` : ""}`;
  const obj = join(dir, `fbsd-probe-${tag}.o`);
  const script = join(dir, `fbsd-probe-${tag}.ld`);
  const elf = join(dir, `fbsd-probe-${tag}`);
  const bss = opts.extraBss ? `*(.bss) . += ${opts.extraBss};` : "*(.bss)";
  writeFileSync(script, `ENTRY(btext)\nSECTIONS {\n  . = ${PROBE_LINK[arch]};\n  .text : { *(.text) }\n  .rodata : { *(.rodata) }\n  .bss : { ${bss} }\n}\n`);
  execFileSync("nasm", [`-I${join(__dirname, "fixtures")}/`, "-f", arch === "amd64" ? "elf64" : "elf32", ...(arch === "i386" ? ["-DI386"] : []), "-o", obj, src]);
  execFileSync("ld", ["-m", arch === "amd64" ? "elf_x86_64" : "elf_i386", "--no-warn-rwx-segments", "-T", script, "-o", elf, obj]);
  return new Uint8Array(readFileSync(elf));
}

/** One metadata record as the probe dumped it. */
export interface ProbeRecord {
  type: number;
  size: number;
  data: Uint8Array;
}

/** The probe's report, parsed. */
export interface ProbeReport {
  /** The first line's key=value facts (hex numbers). */
  facts: Record<string, number>;
  arch: "amd64" | "i386";
  records: ProbeRecord[];
  /** "SUM addr size fnv" lines. */
  sums: Array<{ addr: number; size: number; fnv: number }>;
  /** kenv strings. */
  env: string[];
  /** i386: the 9 stack words at entry; struct bootinfo's first 128 bytes. */
  args?: Uint32Array;
  bootinfo?: Uint8Array;
}

const hexBytes = (s: string): Uint8Array => Uint8Array.from((s.match(/../g) ?? []).map((b) => parseInt(b, 16)));

/** Parses the text between "FBSD-PROBE arch=" and "FBSD-PROBE-END". */
export function parseProbeReport(text: string): ProbeReport {
  const start = text.lastIndexOf("FBSD-PROBE arch=");
  const body = text.slice(start, text.indexOf("FBSD-PROBE-END", start)).replace(/\r/g, "");
  const lines = body.split("\n");
  const head = lines[0];
  const arch = /arch=(\w+)/.exec(head)![1] as "amd64" | "i386";
  const facts: Record<string, number> = {};
  for (const m of head.matchAll(/(\w+)=([0-9a-f]{8})/g)) facts[m[1]] = parseInt(m[2], 16);
  const r: ProbeReport = { facts, arch, records: [], sums: [], env: [] };
  for (const l of lines.slice(1)) {
    let m: RegExpExecArray | null;
    if ((m = /^MD ([0-9a-f]{8}) ([0-9a-f]{8}) ?([0-9a-f]*)$/.exec(l))) r.records.push({ type: parseInt(m[1], 16), size: parseInt(m[2], 16), data: hexBytes(m[3]) });
    else if ((m = /^SUM ([0-9a-f]{8}) ([0-9a-f]{8}) ([0-9a-f]{8})$/.exec(l))) r.sums.push({ addr: parseInt(m[1], 16), size: parseInt(m[2], 16), fnv: parseInt(m[3], 16) });
    else if (l.startsWith("ENV ")) r.env = l.slice(4).split("|").filter((s) => s !== "");
    else if (l.startsWith("ARGS ")) { const b = hexBytes(l.slice(5)); r.args = new Uint32Array(b.buffer, 0, 9); }
    else if (l.startsWith("BOOTINFO ")) r.bootinfo = hexBytes(l.slice(9));
  }
  return r;
}

/** FNV-1a, as the probe hashes files. */
export function fnv1a(d: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d[i], 0x01000193);
  return h >>> 0;
}

const MD = 0x8000;
const text = (d: Uint8Array): string => String.fromCharCode(...d).replace(/\0+$/, "");
const u32 = (d: Uint8Array, o = 0): number => new DataView(d.buffer, d.byteOffset).getUint32(o, true);
/** Physical, whether a metadata value is KERNBASE-relative or not. */
const low = (a: number): number => a & 0x3fffffff;

/** A file as the metadata lists it: NAME starts each; TYPE, ADDR, SIZE, ARGS and METADATA records follow. */
export interface ProbeFile { name: string; type?: string; addr?: number; size?: number; args?: string; md: ProbeRecord[] }

/** The files of the report's metadata, kernel first. */
export function probeFiles(r: ProbeReport): ProbeFile[] {
  const out: ProbeFile[] = [];
  for (const rec of r.records) {
    if (rec.type === MODINFO.NAME) out.push({ name: text(rec.data), md: [] });
    else if (rec.type === MODINFO.END) break;
    else {
      const f = out[out.length - 1];
      if (rec.type === MODINFO.TYPE) f.type = text(rec.data);
      else if (rec.type === MODINFO.ADDR) f.addr = u32(rec.data);
      else if (rec.type === MODINFO.SIZE) f.size = u32(rec.data);
      else if (rec.type === MODINFO.ARGS) f.args = text(rec.data);
      else f.md.push(rec);
    }
  }
  return out;
}

/** What a probe boot must show. */
export interface ProbeExpectation {
  /** Every file in order (kernel first): name, type, and optionally size, args, address, and the FNV-1a of its bytes. */
  files: Array<{ name: string; type: string; size?: number; args?: string; addr?: number; fnv?: number }>;
  /** kenv entries that must be there. */
  env: Record<string, string>;
  /** Boot flag bits that must be set in HOWTO. */
  howto: number;
  /** The E820 map as [base, length, type] (SMAP must equal it). */
  e820: number[][];
}

/**
 * Checks a probe report: files (NAME/TYPE/ADDR/SIZE/ARGS, bytes hashed in
 * place), HOWTO, ENVP -> kenv, KERNEND past everything, SSYM/ESYM, ELFHDR,
 * SHDR's allocated sections inside the kernel, SMAP = E820, interrupts off.
 */
export function checkProbeReport(r: ProbeReport, want: ProbeExpectation): void {
  const fs = probeFiles(r);
  expect(fs.map((f) => [f.name, f.type])).toEqual(want.files.map((w) => [w.name, w.type]));
  fs.forEach((f, i) => {
    const w = want.files[i];
    if (w.size !== undefined) expect([f.name, f.size]).toEqual([w.name, w.size]);
    if (w.args !== undefined) expect([f.name, f.args]).toEqual([w.name, w.args]);
    if (w.addr !== undefined) expect([f.name, low(f.addr!)]).toEqual([w.name, low(w.addr)]);
    if (w.fnv !== undefined) expect([f.name, r.sums.find((s) => low(s.addr) === low(f.addr!))?.fnv]).toEqual([w.name, w.fnv]);
  });
  const kmd = (type: number): ProbeRecord | undefined => fs[0].md.find((m) => m.type === (MD | type));
  expect((u32(kmd(MODINFOMD.HOWTO)!.data) & want.howto) >>> 0).toBe(want.howto >>> 0);
  for (const [k, v] of Object.entries(want.env)) expect(r.env).toContain(`${k}=${v}`);
  const envp = low(u32(kmd(MODINFOMD.ENVP)!.data));
  const kernend = low(u32(kmd(MODINFOMD.KERNEND)!.data));
  expect(kernend).toBe(low(r.facts.kernend));
  for (const f of fs) expect(kernend).toBeGreaterThanOrEqual(low(f.addr!) + f.size!);
  expect(kernend).toBeGreaterThan(envp);
  const ssym = low(u32(kmd(MODINFOMD.SSYM)!.data));
  const esym = low(u32(kmd(MODINFOMD.ESYM)!.data));
  expect(ssym).toBeLessThan(esym);
  expect(esym).toBeLessThanOrEqual(kernend);
  const eh = kmd(MODINFOMD.ELFHDR)!.data;
  expect(text(eh.subarray(1, 4))).toBe("ELF");
  expect(eh[4]).toBe(r.arch === "amd64" ? 2 : 1);
  const sh = kmd(MODINFOMD.SHDR)!.data;
  const shsize = r.arch === "amd64" ? 64 : 40;
  let allocated = 0;
  for (let o = 0; o + shsize <= sh.length; o += shsize) {
    const flags = u32(sh, o + 8);
    const addr = low(u32(sh, r.arch === "amd64" ? o + 16 : o + 12));
    const size = u32(sh, r.arch === "amd64" ? o + 32 : o + 20);
    if ((flags & 2) && size > 0) {
      allocated++;
      expect(addr).toBeGreaterThanOrEqual(low(fs[0].addr!));
      expect(addr + size).toBeLessThanOrEqual(low(fs[0].addr!) + fs[0].size!);
    }
  }
  expect(allocated).toBeGreaterThanOrEqual(3); // .text, .rodata, .bss
  const smap = kmd(0x1001)!.data; // MODINFOMD_SMAP
  const got: number[][] = [];
  for (let o = 0; o + 20 <= smap.length; o += 20) got.push([u32(smap, o) + u32(smap, o + 4) * 2 ** 32, u32(smap, o + 8) + u32(smap, o + 12) * 2 ** 32, u32(smap, o + 16)]);
  expect(got).toEqual(want.e820);
  expect(r.facts.eflags & 0x200).toBe(0); // interrupts off
}

/** The E820 map as the boot report lists it ("Memory map (E820)"), as [base, length, type]. */
export function reportE820(t: string): number[][] {
  const names: Record<string, number> = { usable: 1, reserved: 2, ACPI: 3, "ACPI NVS": 4 };
  const block = t.slice(t.indexOf("Memory map (E820):"), t.indexOf("usable:", t.indexOf("Memory map (E820):")));
  return [...block.matchAll(/^\s+0x([0-9a-f]{12})-0x([0-9a-f]{12}) (ACPI NVS|usable|reserved|ACPI|type \d+)$/gm)]
    .map((m) => [parseInt(m[1], 16), parseInt(m[2], 16) - parseInt(m[1], 16) + 1, names[m[3]] ?? Number(m[3].slice(5))]);
}
