// System test: Linux and Multiboot kernels booted by pxehttp.0's default
// loader over HTTP (QEMU, TCG, e1000, user-mode net: the guest reaches the
// host's nginx and squid on 127.0.0.1 as 10.0.2.2). The Linux kernel is
// Debian 12's own (linux-fixtures.ts); the initramfs is built here, its
// /init prints what the kernel got and powers off. The Multiboot kernel is
// multiboot-probe.asm, assembled here with nasm.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { withQemu, type QemuInstance } from "../../../tools/qemu/harness.js";
import { buildNbp } from "../src/cli/build.js";
import { BOOT_TIMEOUT, CMD_TIMEOUT, commandOutput as cmd, memoryMap } from "./boot-checks.js";
import { startNginx, startSquid, type HostServer } from "./host-servers.js";
import { debianKernel, extraInitrd, initramfs } from "./linux-fixtures.js";

/** Downloads of ~10 MB and a kernel booting to /init under TCG on a busy machine. */
const LINUX_TIMEOUT = 600_000;
/** Guest RAM: Debian's kernel keeps 64 MiB free from 16 MiB for its decompression. */
const MEMORY_MIB = 256;
/** An initrd that downloads into 256 MiB but has no room below the kernel's limits beside the kernel. */
const TOO_BIG = 180 * 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), "pxe-nbp-linux-"));
let nginx: HostServer | undefined;
let squid: HostServer | undefined;
let base = "";
let kernelPath = "";
let broken: Uint8Array = new Uint8Array(0);
const mods = { one: Uint8Array.from("MODULE-ONE", (c) => c.charCodeAt(0)), two: new Uint8Array(5000).fill(0x42) };

/** A TFTP directory with pxehttp.0, its loader and, when given, pxehttp.cfg/default. */
function tftpDir(name: string, script?: readonly string[]): string {
  const d = join(dir, name);
  mkdirSync(join(d, "pxehttp.cfg"), { recursive: true });
  for (const f of ["pxehttp.0", "pxehttp.ldr"]) copyFileSync(join(dir, "nbp", f), join(d, f));
  if (script) writeFileSync(join(d, "pxehttp.cfg", "default"), script.join("\n") + "\n");
  return d;
}

beforeAll(async () => {
  kernelPath = debianKernel();
  const kernel = readFileSync(kernelPath);
  broken = Uint8Array.from(kernel.subarray(0, 0x10000));
  broken[0x211] = 0; // loadflags without LOADED_HIGH: a zImage, which the loader refuses
  execFileSync("nasm", [`-I${join(__dirname, "fixtures")}/`, "-f", "bin", "-o", join(dir, "mb.bin"), join(__dirname, "fixtures", "multiboot-probe.asm")]);
  await buildNbp({ out: join(dir, "nbp", "pxehttp.0") });
  nginx = await startNginx({
    vmlinuz: kernel,
    "initrd.cpio": initramfs(),
    "extra.cpio": extraInitrd("SECOND-INITRD-OK"),
    "mb.bin": readFileSync(join(dir, "mb.bin")),
    "mod-one": mods.one,
    "mod-two": mods.two,
    "notes.txt": Uint8Array.from("just some text\n", (c) => c.charCodeAt(0)),
    "broken-vmlinuz": broken,
    "too-big.img": new Uint8Array(TOO_BIG),
  });
  squid = await startSquid();
  base = `http://10.0.2.2:${nginx.port}`;
}, 900_000);

afterAll(async () => {
  await Promise.all([nginx?.stop(), squid?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** What /init reported. */
interface InitReport {
  cmdline: string;
  memmap: Array<{ start: number; end: number; type: string }>;
  entries: number;
  extra?: string;
}

/** Waits for /init's report and QEMU's power-off; checks the kernel ran from pxehttp.0's hand-off. */
async function initReport(vm: QemuInstance): Promise<InitReport> {
  await vm.waitFor(/LINUX-INIT-END/, LINUX_TIMEOUT);
  await vm.waitExit(60_000);
  const t = vm.text();
  expect(t).toMatch(/shutting down PXE[\s\S]*starting the kernel/);
  expect(t).toMatch(/Linux version 6\.1\.\d+/);
  const memmap = [...t.matchAll(/^MEMMAP 0x([0-9a-f]+) 0x([0-9a-f]+) (.+)$/gm)].map((m) => ({ start: parseInt(m[1], 16), end: parseInt(m[2], 16), type: m[3] }));
  return {
    cmdline: /^CMDLINE=\[(.*)\]$/m.exec(t)![1],
    memmap,
    entries: Number(/^E820-ENTRIES=(\d+)$/m.exec(t)![1]),
    extra: /^EXTRA=\[(.*)\]$/m.exec(t)?.[1],
  };
}

/** The E820 map the kernel got equals the one pxehttp.0 reported at start (Linux names the types). */
function checkE820(vm: QemuInstance, r: InitReport): void {
  const names: Record<string, string> = { usable: "System RAM", reserved: "Reserved", "ACPI-data": "ACPI Tables", "ACPI-NVS": "ACPI Non-volatile Storage" };
  const bios = memoryMap(vm.text()).filter((e) => e.end > e.start);
  expect(bios.length).toBeGreaterThan(2);
  // Both give inclusive ends.
  expect(r.memmap.map((e) => [e.start, e.end, e.type])).toEqual(bios.map((e) => [e.start, e.end, names[e.type] ?? e.type]));
  expect(r.entries).toBe(r.memmap.length);
}

describe("pxehttp.0 boots Linux and Multiboot kernels over HTTP (QEMU, user-mode net)", () => {
  test("Debian 12's kernel + initramfs by console commands, direct from nginx", async () => {
    await withQemu({ nic: "e1000", memoryMiB: MEMORY_MIB, net: { kind: "user", tftpDir: tftpDir("direct"), bootfile: "pxehttp.0" } }, async (vm) => {
      await vm.waitFor(/pxehttp> /, BOOT_TIMEOUT);
      const k = await cmd(vm, `linux ${base}/vmlinuz console=ttyS0 pxetest=direct`, /Linux bzImage, boot protocol 2\.\d+|error:/, LINUX_TIMEOUT);
      expect(k).toMatch(/vmlinuz: Linux bzImage, boot protocol 2\.15, \d+ bytes/);
      await cmd(vm, `initrd ${base}/initrd.cpio`, /1 initrd, \d+ bytes|error:/, LINUX_TIMEOUT);
      vm.send("boot");
      const r = await initReport(vm);
      expect(r.cmdline).toBe("console=ttyS0 pxetest=direct");
      expect(r.extra).toBeUndefined();
      checkE820(vm, r);
      expect(nginx!.log()).toMatch(/"GET \/vmlinuz HTTP\/1\.1" 200/);
    });
  }, LINUX_TIMEOUT * 2);

  test("a pxehttp.cfg script (the three lines of GRUB or pxelinux) with two initrds concatenated", async () => {
    const script = ["# Debian's kernel, two initrds", `linux ${base}/vmlinuz console=ttyS0 pxetest=script`, `initrd ${base}/initrd.cpio ${base}/extra.cpio`, "boot"];
    await withQemu({ nic: "e1000", memoryMiB: MEMORY_MIB, net: { kind: "user", tftpDir: tftpDir("script", script), bootfile: "pxehttp.0" } }, async (vm) => {
      await vm.waitFor(/Boot config: pxehttp\.cfg\/default \(3 commands\)/, BOOT_TIMEOUT);
      const r = await initReport(vm);
      expect(r.cmdline).toBe("console=ttyS0 pxetest=script");
      expect(r.extra).toBe("SECOND-INITRD-OK");
      checkE820(vm, r);
    });
  }, LINUX_TIMEOUT * 2);

  test("through squid: every file fetched by the proxy", async () => {
    await withQemu({ nic: "e1000", memoryMiB: MEMORY_MIB, net: { kind: "user", tftpDir: tftpDir("squid"), bootfile: "pxehttp.0" } }, async (vm) => {
      await vm.waitFor(/pxehttp> /, BOOT_TIMEOUT);
      // The proxy on the host fetches from nginx at 127.0.0.1, a name only the proxy can reach.
      await cmd(vm, `set http.proxy=http://10.0.2.2:${squid!.port}`, /\n/);
      const origin = `http://127.0.0.1:${nginx!.port}`;
      await cmd(vm, `linux ${origin}/vmlinuz console=ttyS0 pxetest=squid`, /Linux bzImage|error:/, LINUX_TIMEOUT);
      await cmd(vm, `initrd ${origin}/initrd.cpio`, /1 initrd|error:/, LINUX_TIMEOUT);
      vm.send("boot");
      const r = await initReport(vm);
      expect(r.cmdline).toBe("console=ttyS0 pxetest=squid");
      const dots = origin.replace(/\./g, "\\.");
      expect(squid!.log()).toMatch(new RegExp(`TCP_MISS/200 \\d+ GET ${dots}/vmlinuz`));
      expect(squid!.log()).toMatch(new RegExp(`TCP_MISS/200 \\d+ GET ${dots}/initrd\\.cpio`));
    });
  }, LINUX_TIMEOUT * 2);

  test("a Multiboot kernel with two modules: the probe prints what it was handed", async () => {
    await withQemu({ nic: "e1000", memoryMiB: 128, net: { kind: "user", tftpDir: tftpDir("multiboot"), bootfile: "pxehttp.0" } }, async (vm) => {
      await vm.waitFor(/pxehttp> /, BOOT_TIMEOUT);
      await cmd(vm, `multiboot ${base}/mb.bin alpha=1 beta`, /Multiboot kernel \(header flags 0x10003\)|error:/);
      await cmd(vm, `module ${base}/mod-one first module`, /module 1:|error:/);
      await cmd(vm, `module ${base}/mod-two`, /module 2:|error:/);
      expect(await cmd(vm, "lsmod", /module/)).toMatch(/multiboot kernel +\d+ +http:\/\/10\.0\.2\.2:\d+\/mb\.bin/);
      vm.send("boot");
      await vm.waitFor(/MB-PROBE .* END/, CMD_TIMEOUT * 4);
      await vm.waitExit(60_000);
      const line = /MB-PROBE (.*) END/.exec(vm.text())![1];
      const hex = (name: string) => parseInt(new RegExp(`${name}=([0-9a-f]{8})`).exec(line)![1], 16);
      const bios = memoryMap(vm.text()).filter((e) => e.end > e.start);
      const lowKiB = Math.floor(Math.min(bios.find((e) => e.start === 0 && e.type === "usable")!.end + 1, 0xa0000) / 1024);
      const upper = bios.find((e) => e.start === 0x100000 && e.type === "usable")!;
      expect(hex("eax")).toBe(0x2badb002);
      expect(hex("flags")).toBe(0x24d); // MEMORY | CMDLINE | MODS | MEM_MAP | LOADER_NAME
      expect(hex("mem_lower")).toBe(lowKiB);
      expect(hex("mem_upper")).toBe((upper.end + 1 - 0x100000) / 1024);
      expect(hex("mmap")).toBe(bios.length);
      expect(/cmdline=\[([^\]]*)\]/.exec(line)![1]).toBe(`${base}/mb.bin alpha=1 beta`);
      expect(/loader=\[([^\]]*)\]/.exec(line)![1]).toBe("pxehttp");
      expect(hex("mods")).toBe(2);
      const got = [...line.matchAll(/mod=\[([^\]]*)\] size=([0-9a-f]{8}) page_offset=([0-9a-f]{8}) first=([0-9a-f]{8})/g)].map((m) => [m[1], parseInt(m[2], 16), parseInt(m[3], 16), parseInt(m[4], 16)]);
      expect(got).toEqual([
        [`${base}/mod-one first module`, mods.one.length, 0, mods.one[0]],
        [`${base}/mod-two`, mods.two.length, 0, mods.two[0]],
      ]);
    });
  }, LINUX_TIMEOUT);

  test("not a kernel, a broken bzImage header, an initrd too big: clear errors, back at the prompt, then a good boot", async () => {
    await withQemu({ nic: "e1000", memoryMiB: MEMORY_MIB, net: { kind: "user", tftpDir: tftpDir("errors"), bootfile: "pxehttp.0" } }, async (vm) => {
      await vm.waitFor(/pxehttp> /, BOOT_TIMEOUT);
      const nk = await cmd(vm, `linux ${base}/notes.txt`, /error:/);
      expect(nk).toMatch(/error: linux: http:\/\/10\.0\.2\.2:\d+\/notes\.txt: not a kernel/);
      const br = await cmd(vm, `linux ${base}/broken-vmlinuz`, /error:/);
      expect(br).toMatch(/error: linux: http:\/\/10\.0\.2\.2:\d+\/broken-vmlinuz: not a usable bzImage: loadflags: LOADED_HIGH is clear/);
      await cmd(vm, `linux ${base}/vmlinuz console=ttyS0 pxetest=after-errors`, /Linux bzImage|error:/, LINUX_TIMEOUT);
      await cmd(vm, `initrd ${base}/too-big.img`, /1 initrd|error:/, LINUX_TIMEOUT);
      const big = await cmd(vm, "boot", /error:/, LINUX_TIMEOUT);
      expect(big).toMatch(/error: boot: initrd http:\/\/10\.0\.2\.2:\d+\/too-big\.img \(188743680 bytes\): does not fit in free usable memory below initrd_addr_max 0x7fffffff/);
      // Still working: the same kernel boots with a small initrd.
      await cmd(vm, `initrd ${base}/initrd.cpio`, /1 initrd|error:/, LINUX_TIMEOUT);
      vm.send("boot");
      const r = await initReport(vm);
      expect(r.cmdline).toBe("console=ttyS0 pxetest=after-errors");
    });
  }, LINUX_TIMEOUT * 3);
});
