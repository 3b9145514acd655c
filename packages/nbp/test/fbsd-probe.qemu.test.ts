// The FreeBSD hand-off, end to end in QEMU: pxehttp.0 lays out the project's
// own probe kernel (fixtures/fbsd-probe.asm: ELF64 at KERNBASE for amd64, ELF32
// for i386) with @pxe/kboot, shuts PXE down and enters it as FreeBSD's loader
// does; the probe walks the metadata, kenv and (i386) bootinfo and prints
// them; the test checks them against what was loaded.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { withQemu } from "../../../tools/qemu/harness.js";
import { buildNbp } from "../src/cli/build.js";
import { BOOT_TIMEOUT } from "./boot-checks.js";
import { FBSD_PROBE } from "./fixtures/fbsd-probe-loader.js";
import { buildFbsdProbe, checkProbeReport, fnv1a, parseProbeReport, type ProbeReport } from "./fbsd-probe.js";

const dir = mkdtempSync(join(tmpdir(), "pxe-nbp-fbsd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

function loaded(t: string): Array<{ name: string; type: string; addr: number; size: number }> {
  return [...t.matchAll(/^LOADED (\S+) (.+) ([0-9a-f]+) ([0-9a-f]+)$/gm)].map((m) => ({ name: m[1], type: m[2], addr: parseInt(m[3], 16), size: parseInt(m[4], 16) }));
}

function checkReport(t: string, r: ProbeReport, arch: "amd64" | "i386"): void {
  const want = loaded(t);
  expect(r.arch).toBe(arch);
  expect(want.map((w) => w.type)).toEqual([arch === "amd64" ? "elf64 kernel" : "elf kernel", FBSD_PROBE.fileType]);
  checkProbeReport(r, {
    files: [
      { name: FBSD_PROBE.kernelName, type: want[0].type, addr: want[0].addr, size: want[0].size },
      { name: FBSD_PROBE.fileName, type: FBSD_PROBE.fileType, args: FBSD_PROBE.fileArgs, addr: want[1].addr, size: FILE.length, fnv: fnv1a(FILE) },
    ],
    env: FBSD_PROBE.env,
    howto: FBSD_PROBE.howto,
    e820: [...t.matchAll(/^E820 ([0-9a-f]+) ([0-9a-f]+) (\d+)$/gm)].map((m) => [parseInt(m[1], 16), parseInt(m[2], 16), Number(m[3])]),
  });
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
      // locore's recover_bootinfo uses bootinfo only for a non-zero return
      // address, a 0 5th argument and bi_version 1 ("new boot" = 1); a real
      // kernel handed a 0 return address dies silently before its console.
      expect(a[0]).not.toBe(0);
      expect(r.facts.locore).toBe(1);
      const bi = r.bootinfo!;
      expect(new DataView(bi.buffer, bi.byteOffset).getUint32(0, true)).toBe(1); // bi_version = BOOTINFO_VERSION
      checkReport(t, r, "i386");
      expect(await vm.waitExit(30_000)).toBe(0);
    });
  }, 900_000);
});
