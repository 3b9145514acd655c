// The FreeBSD hand-off probe kernels (fixtures/fbsd-probe.asm), built by the
// tests with nasm + ld, and a reader of the report they print on COM1.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The probe's architectures and where each is linked (amd64: KERNBASE + 2 MiB; i386: 4 MiB). */
export const PROBE_LINK = { amd64: "0xffffffff80200000", i386: "0x400000" } as const;

/** Assembles and links the probe kernel for `arch` in `dir`; returns the ELF bytes. */
export function buildFbsdProbe(dir: string, arch: "amd64" | "i386"): Uint8Array {
  const src = join(__dirname, "fixtures", "fbsd-probe.asm");
  const obj = join(dir, `fbsd-probe-${arch}.o`);
  const script = join(dir, `fbsd-probe-${arch}.ld`);
  const elf = join(dir, `fbsd-probe-${arch}`);
  writeFileSync(script, `ENTRY(btext)\nSECTIONS {\n  . = ${PROBE_LINK[arch]};\n  .text : { *(.text) }\n  .rodata : { *(.rodata) }\n  .bss : { *(.bss) }\n}\n`);
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
