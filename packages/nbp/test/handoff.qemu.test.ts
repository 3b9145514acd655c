// The kernel hand-off in pxehttp.0 (nbp.boot + bootImage), end to end under
// QEMU: a test loader (fixtures/handoff-probe-loader.ts) builds an image
// around a probe the test assembles (fixtures/handoff-probe.asm), is refused
// three times without harm (the staged one gives its allocHigh memory back),
// then shuts PXE down and enters the probe in 32-bit
// protected mode or long mode; the probe reports on COM1 what it got.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { withQemu, type QemuInstance } from "../../../tools/qemu/harness.js";
import { buildNbp } from "../src/cli/build.js";
import { BOOT_TIMEOUT } from "./boot-checks.js";
import { PROBE_BSS, PROBE_LAYOUT, PROBE_REGS, probeData } from "./fixtures/handoff-probe-loader.js";

const dir = mkdtempSync(join(tmpdir(), "pxe-nbp-handoff-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fnv1a(d: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d[i], 0x01000193);
  return h >>> 0;
}

/** Assembles the probe and builds an NBP whose loader boots it in `mode`. */
async function buildProbeNbp(mode: "protected32" | "long64"): Promise<string> {
  const bin = join(dir, `probe-${mode}.bin`);
  execFileSync("nasm", [`-I${join(__dirname, "fixtures")}/`, "-f", "bin", ...(mode === "long64" ? ["-DLONG"] : []), "-o", bin, join(__dirname, "fixtures", "handoff-probe.asm")]);
  const code = Array.from(readFileSync(bin));
  const entry = join(dir, `loader-${mode}.ts`);
  writeFileSync(entry, `import { runHandoffProbe } from ${JSON.stringify(join(__dirname, "fixtures", "handoff-probe-loader.ts"))};\n` +
    `runHandoffProbe(${JSON.stringify(code)}, ${JSON.stringify(mode)}).catch((e) => nbp.write("probe loader failed: " + e + "\\n"));\n`);
  const name = `${mode}.0`;
  await buildNbp({ entry, out: join(dir, name) });
  return name;
}

let p32 = "";
let p64 = "";
beforeAll(async () => {
  p32 = await buildProbeNbp("protected32");
  p64 = await buildProbeNbp("long64");
}, 600_000);

/** The probe's report line as numbers. */
async function report(vm: QemuInstance): Promise<Record<string, number>> {
  await vm.waitFor(/HANDOFF-PROBE mode=\d\d.* END/, BOOT_TIMEOUT);
  const line = /HANDOFF-PROBE mode=\d\d(.*) END/.exec(vm.text())![1];
  const out: Record<string, number> = {};
  for (const m of line.matchAll(/(\w+)=([0-9a-f]{8})/g)) out[m[1]] = parseInt(m[2], 16);
  return out;
}

function checkCommon(vm: QemuInstance, r: Record<string, number>): void {
  const t = vm.text();
  // Refused images leave the loader running; nothing was shut down for them.
  expect(t).toMatch(/below 1 MiB: refused: NBP_BOOT_IMAGE lowpiece at 0x80000 \(\d+ bytes\) is outside 1 MiB \.\. 4 GiB \[piece lowpiece\]/);
  expect(t).toMatch(/overlap: refused: NBP_BOOT_IMAGE the platform refuses the image: two pieces' destinations overlap/);
  // The staged copy of a refused image is given back (allocHigh's bottom is where it was).
  const staged = /staged: refused \(the platform refuses the image: two pieces' destinations overlap\); allocHigh mark before 0x([0-9a-f]+) after 0x([0-9a-f]+)/.exec(t);
  expect(staged).not.toBeNull();
  expect(staged![2]).toBe(staged![1]);
  expect(t).toMatch(/still running; booting the/);
  // PXE shut down as FreeBSD's pxeboot / PXE 2.1 NBPs do, then the jump.
  expect(t).toMatch(/shutting down PXE\n\s+PXENV_UNDI_SHUTDOWN: \w+\n\s+PXENV_UNLOAD_STACK: \w+\n\s+PXENV_STOP_UNDI: \w+\nstarting the kernel/);
  const L = PROBE_LAYOUT;
  const bss = parseInt(/bss at 0x([0-9a-f]+)/.exec(t)![1], 16);
  expect(r).toMatchObject({
    eax: PROBE_REGS.eax, ebx: L.data, ecx: L.dataLength, edx: L.dataZero, esi: bss, edi: PROBE_BSS, ebp: PROBE_REGS.ebp,
    esp: L.stackTop, sum: fnv1a(probeData(L.dataLength)), nonzero: 0, nonzero2: 0, bss: 0,
  });
  expect(r.eflags & 0x200).toBe(0); // interrupts off
  expect(r.ds).toBe(0x18);
  expect(r.ss).toBe(0x18);
}

describe("kernel hand-off (nbp.boot)", () => {
  test("protected32 on e1000: registers, ESP, CS 0x10, paging off, pieces copied and zero-filled", async () => {
    await withQemu({ nic: "e1000", memoryMiB: 128, net: { kind: "user", tftpDir: dir, bootfile: p32 } }, async (vm) => {
      const r = await report(vm);
      checkCommon(vm, r);
      expect(r.cs).toBe(0x10);
      expect(r.iphi).toBe(0);
      expect(r.ip).toBe(PROBE_LAYOUT.code);
      expect(r.cr0 & 0x80000001).toBe(1); // PE on, PG off
      expect(await vm.waitExit(30_000)).toBe(0); // the probe powered off
    });
  }, 600_000);

  test("long64 on rtl8139: long mode at KERNBASE + 2 MiB, CR3 = the image's page tables, PAE, EFER.LME/LMA", async () => {
    await withQemu({ nic: "rtl8139", memoryMiB: 128, net: { kind: "user", tftpDir: dir, bootfile: p64 } }, async (vm) => {
      const r = await report(vm);
      checkCommon(vm, r);
      expect(r.cs).toBe(0x08);
      expect(r.iphi).toBe(0xffffffff);
      expect(r.ip).toBe(0x80000000 + PROBE_LAYOUT.code);
      expect(r.cr3).toBe(PROBE_LAYOUT.tables);
      expect((r.cr0 & 0x80000001) >>> 0).toBe(0x80000001); // PG and PE
      expect(r.cr4 & 0x20).toBe(0x20); // PAE
      expect(r.efer & 0x500).toBe(0x500); // LME and LMA
      expect(await vm.waitExit(30_000)).toBe(0);
    });
  }, 600_000);
});
