// The FreeBSD hand-off, end to end in QEMU: pxehttp.0 lays out the project's
// own probe kernel (fixtures/fbsd-probe.asm: ELF64 at KERNBASE for amd64, ELF32
// for i386) with @pxe/kboot, shuts PXE down and enters it as FreeBSD's loader
// does; the probe walks the metadata, kenv and (i386) bootinfo and prints
// them; the test checks them against what was loaded.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { MODINFO, MODINFOMD } from "@pxe/kboot";
import { withQemu } from "../../../tools/qemu/harness.js";
import { buildNbp } from "../src/cli/build.js";
import { BOOT_TIMEOUT } from "./boot-checks.js";
import { FBSD_PROBE } from "./fixtures/fbsd-probe-loader.js";
import { buildFbsdProbe, fnv1a, parseProbeReport, type ProbeRecord, type ProbeReport } from "./fbsd-probe.js";

const dir = mkdtempSync(join(tmpdir(), "pxe-nbp-fbsd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MD = 0x8000;
const text = (d: Uint8Array): string => String.fromCharCode(...d).replace(/\0+$/, "");
const u32 = (d: Uint8Array, o = 0): number => new DataView(d.buffer, d.byteOffset).getUint32(o, true);

/** The md_image bytes (a pattern the probe hashes). */
const FILE = Uint8Array.from({ length: 3 * 4096 + 123 }, (_, i) => (i * 131 + 7) & 0xff);

async function buildProbeNbp(arch: "amd64" | "i386"): Promise<string> {
  const kernel = buildFbsdProbe(dir, arch);
  const entry = join(dir, `fbsd-loader-${arch}.ts`);
  writeFileSync(entry, `import { runFbsdProbe } from ${JSON.stringify(join(__dirname, "fixtures", "fbsd-probe-loader.ts"))};\n` +
    `runFbsdProbe(${JSON.stringify(Array.from(kernel))}, ${JSON.stringify(Array.from(FILE))}).catch((e) => nbp.write("probe loader failed: " + (e && e.stack || e) + "\\n"));\n`);
  await buildNbp({ entry, out: join(dir, `fbsd-${arch}.0`) });
  return `fbsd-${arch}.0`;
}

/** Files as the metadata lists them: NAME starts each; TYPE, ADDR, SIZE, ARGS and METADATA records follow. */
function files(r: ProbeReport): Array<{ name: string; type?: string; addr?: number; size?: number; args?: string; md: ProbeRecord[] }> {
  const out: Array<{ name: string; type?: string; addr?: number; size?: number; args?: string; md: ProbeRecord[] }> = [];
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

function loaded(t: string): Array<{ name: string; type: string; addr: number; size: number }> {
  return [...t.matchAll(/^LOADED (\S+) (.+) ([0-9a-f]+) ([0-9a-f]+)$/gm)].map((m) => ({ name: m[1], type: m[2], addr: parseInt(m[3], 16), size: parseInt(m[4], 16) }));
}

function checkReport(t: string, r: ProbeReport, arch: "amd64" | "i386"): void {
  const low = (a: number): number => a & 0x3fffffff; // physical, whether the value is KERNBASE-relative or not
  const fs = files(r);
  const want = loaded(t);
  expect(fs.map((f) => [f.name, f.type])).toEqual(want.map((w) => [w.name, w.type]));
  expect(fs[0]).toMatchObject({ name: FBSD_PROBE.kernelName, type: arch === "amd64" ? "elf64 kernel" : "elf kernel" });
  expect(fs[1]).toMatchObject({ name: FBSD_PROBE.fileName, type: FBSD_PROBE.fileType, args: FBSD_PROBE.fileArgs, size: FILE.length });
  fs.forEach((f, i) => expect([low(f.addr!), f.size]).toEqual([low(want[i].addr), want[i].size]));
  // The raw file's bytes are where ADDR says (the probe hashed them there).
  expect(r.sums.find((s) => low(s.addr) === low(fs[1].addr!))?.fnv).toBe(fnv1a(FILE));
  const kmd = (type: number): ProbeRecord | undefined => fs[0].md.find((m) => m.type === (MD | type));
  // HOWTO, ENVP -> the kenv strings, KERNEND past everything, SSYM/ESYM inside the kernel's range.
  expect(u32(kmd(MODINFOMD.HOWTO)!.data)).toBe(FBSD_PROBE.howto);
  for (const [k, v] of Object.entries(FBSD_PROBE.env)) expect(r.env).toContain(`${k}=${v}`);
  const envp = low(u32(kmd(MODINFOMD.ENVP)!.data));
  const kernend = low(u32(kmd(MODINFOMD.KERNEND)!.data));
  expect(kernend).toBe(low(r.facts.kernend));
  for (const f of fs) expect(kernend).toBeGreaterThanOrEqual(low(f.addr!) + f.size!);
  expect(kernend).toBeGreaterThan(envp);
  const ssym = low(u32(kmd(MODINFOMD.SSYM)!.data));
  const esym = low(u32(kmd(MODINFOMD.ESYM)!.data));
  expect(ssym).toBeLessThan(esym);
  expect(esym).toBeLessThanOrEqual(kernend);
  // ELFHDR is the kernel's ELF header; SHDR's allocated sections lie inside the loaded kernel.
  const eh = kmd(MODINFOMD.ELFHDR)!.data;
  expect(text(eh.subarray(1, 4))).toBe("ELF");
  expect(eh[4]).toBe(arch === "amd64" ? 2 : 1);
  const sh = kmd(MODINFOMD.SHDR)!.data;
  const shsize = arch === "amd64" ? 64 : 40;
  let allocated = 0;
  for (let o = 0; o + shsize <= sh.length; o += shsize) {
    const flags = u32(sh, o + 8);
    const addr = low(u32(sh, arch === "amd64" ? o + 16 : o + 12));
    const size = u32(sh, arch === "amd64" ? o + 32 : o + 20);
    if ((flags & 2) && size > 0) {
      allocated++;
      expect(addr).toBeGreaterThanOrEqual(low(fs[0].addr!));
      expect(addr + size).toBeLessThanOrEqual(low(fs[0].addr!) + fs[0].size!);
    }
  }
  expect(allocated).toBeGreaterThanOrEqual(3); // .text, .rodata, .bss
  // SMAP = the E820 map pxehttp.0 read.
  const smap = kmd(0x1001)!.data;
  const e820 = [...t.matchAll(/^E820 ([0-9a-f]+) ([0-9a-f]+) (\d+)$/gm)].map((m) => [parseInt(m[1], 16), parseInt(m[2], 16), Number(m[3])]);
  const got: number[][] = [];
  for (let o = 0; o + 20 <= smap.length; o += 20) got.push([u32(smap, o) + u32(smap, o + 4) * 2 ** 32, u32(smap, o + 8) + u32(smap, o + 12) * 2 ** 32, u32(smap, o + 16)]);
  expect(got).toEqual(e820);
  // Interrupts off; PXE shut down before the jump.
  expect(r.facts.eflags & 0x200).toBe(0);
  expect(t).toMatch(/shutting down PXE\n\s+PXENV_UNDI_SHUTDOWN: \w+\n\s+PXENV_UNLOAD_STACK: \w+\n\s+PXENV_STOP_UNDI: \w+\nstarting the kernel/);
}

describe("FreeBSD hand-off probe (kboot + bootImage)", () => {
  test("amd64 on e1000: long mode at KERNBASE, (modulep, kernend) on the stack, metadata, kenv, SMAP", async () => {
    const nbpName = await buildProbeNbp("amd64");
    await withQemu({ nic: "e1000", memoryMiB: 256, net: { kind: "user", tftpDir: dir, bootfile: nbpName } }, async (vm) => {
      await vm.waitFor(/FBSD-PROBE-END/, BOOT_TIMEOUT);
      const t = vm.text();
      const r = parseProbeReport(t);
      expect(r.arch).toBe("amd64");
      expect(r.facts.cs).toBe(0x08);
      expect([r.facts.rip_hi, r.facts.rip_lo]).toEqual([0xffffffff, 0x80200000]);
      expect(r.facts.pml4_511 & 1).toBe(1); // KERNBASE is mapped
      expect((r.facts.cr0 & 0x80000001) >>> 0).toBe(0x80000001);
      const img = /IMAGE modulep=([0-9a-f]+) envp=([0-9a-f]+) kernend=([0-9a-f]+)/.exec(t)!;
      expect(r.facts.modulep).toBe(parseInt(img[1], 16));
      expect(r.facts.kernend).toBe(parseInt(img[3], 16));
      checkReport(t, r, "amd64");
      expect(await vm.waitExit(30_000)).toBe(0);
    });
  }, 900_000);

  test("i386 on rtl8139: protected mode with the 8 arguments and struct bootinfo, metadata, kenv, SMAP", async () => {
    const nbpName = await buildProbeNbp("i386");
    await withQemu({ nic: "rtl8139", memoryMiB: 256, net: { kind: "user", tftpDir: dir, bootfile: nbpName } }, async (vm) => {
      await vm.waitFor(/FBSD-PROBE-END/, BOOT_TIMEOUT);
      const t = vm.text();
      const r = parseProbeReport(t);
      expect(r.arch).toBe("i386");
      expect(r.facts.cs).toBe(0x10);
      expect(r.facts.cr0 & 0x80000000).toBe(0); // paging off
      const img = /IMAGE modulep=([0-9a-f]+) envp=([0-9a-f]+) kernend=([0-9a-f]+)/.exec(t)!;
      const a = r.args!;
      expect(a[1] & FBSD_PROBE.howto).toBe(FBSD_PROBE.howto); // howto (| RB_BOOTINFO)
      expect((a[1] & 0x80000000) >>> 0).toBe(0x80000000); // RB_BOOTINFO
      expect([a[7], a[8]]).toEqual([parseInt(img[1], 16), parseInt(img[3], 16)]); // modulep, kernend
      expect(a[6]).toBe(r.facts.bootinfo);
      const bi = r.bootinfo!;
      expect(u32(bi, 0)).toBe(1); // bi_version = BOOTINFO_VERSION
      checkReport(t, r, "i386");
      expect(await vm.waitExit(30_000)).toBe(0);
    });
  }, 900_000);
});
