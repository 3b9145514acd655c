// The default pxehttp.0 booting a FreeBSD boot/ tree as a sysadmin does it:
// console commands and a pxehttp.cfg boot config, on a dnsmasq LAN with nginx (test/freebsd-lab.ts). The
// kernel is the project's own probe (fixtures/fbsd-probe.asm), whose report
// is checked against what the tree holds.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { RB } from "@pxe/kboot";
import { buildFbsdProbe, checkProbeReport, fnv1a, parseProbeReport, reportE820 } from "./fbsd-probe.js";
import { canRunFreeBsdLab, runFreeBsdLab, type FreeBsdLabRun } from "./freebsd-lab.js";

const tree = mkdtempSync(join(tmpdir(), "pxe-fbsd-tree-"));
afterAll(() => rmSync(tree, { recursive: true, force: true }));

const MFSROOT = Uint8Array.from({ length: 5 * 4096 + 17 }, (_, i) => (i * 29 + 3) & 0xff);
let kernelSize = 0;

beforeAll(() => {
  const kernel = buildFbsdProbe(tree, "amd64");
  kernelSize = kernel.length;
  mkdirSync(join(tree, "boot", "kernel"), { recursive: true, mode: 0o755 });
  writeFileSync(join(tree, "boot", "kernel", "kernel"), kernel);
  writeFileSync(join(tree, "boot", "mfsroot"), MFSROOT);
  writeFileSync(join(tree, "boot", "loader.conf"), [
    'autoboot_delay="2"',
    'probe.marker="from-loader-conf"',
    'mfsroot_load="YES"',
    'mfsroot_type="md_image"',
    'mfsroot_name="/boot/mfsroot"',
    'vfs.root.mountfrom="cd9660:/dev/md0"',
    "",
  ].join("\n"));
});

const KERNEL = "/boot/kernel/kernel";

/** Checks the probe's report of a boot of this tree. */
function checkTreeBoot(run: FreeBsdLabRun, env: Record<string, string>, howto: number): void {
  const r = parseProbeReport(run.text);
  expect(r.arch).toBe("amd64");
  checkProbeReport(r, {
    files: [
      { name: KERNEL, type: "elf64 kernel" },
      { name: "/boot/mfsroot", type: "md_image", size: MFSROOT.length, fnv: fnv1a(MFSROOT) },
    ],
    env,
    howto,
    e820: reportE820(run.text),
  });
  expect(run.nginxLog).toMatch(/"GET \/boot\/kernel\/kernel HTTP\/1\.1" 200/);
  expect(run.nginxLog).toMatch(/"GET \/boot\/mfsroot HTTP\/1\.1" 200/);
  expect(run.text).toMatch(/PXENV_UNLOAD_STACK/);
  void kernelSize;
}

describe.skipIf(!canRunFreeBsdLab())("FreeBSD boot/ tree from the default pxehttp.0 (probe kernel)", () => {
  test("e1000: console commands (a 404 first, then load, set, lsmod, boot -v)", async () => {
    const run = await runFreeBsdLab({
      treeDir: tree,
      lines: [
        "set boot.base=http://192.168.78.1/",
        "load /boot/kernel/missing",
        "load /boot/kernel/kernel",
        "load -t md_image /boot/mfsroot",
        "set probe.marker=typed",
        "lsmod",
        "boot -v",
      ],
      until: /FBSD-PROBE-END/,
    });
    expect(run.text).toMatch(/load \/boot\/kernel\/missing\n[^\n]*404[^\n]*\n(?:.*\n)*?pxehttp> /);
    expect(run.text).toMatch(/lsmod\n[\s\S]*\/boot\/kernel\/kernel[\s\S]*\/boot\/mfsroot[\s\S]*pxehttp> boot -v/);
    checkTreeBoot(run, { "probe.marker": "typed" }, RB.VERBOSE);
  }, 900_000);

  // Not here: DHCP root-path autoboot. QEMU's iPXE ROM takes option 17 as a SAN root-path
  // and never reaches pxehttp.0 when it holds an http:// directory URL (serial stays empty,
  // 240 s); startup.test.ts checks the boot-conf line, freebsd-real.qemu.test.ts has the case.
  test("e1000: pxehttp.cfg/default runs console commands at start-up", async () => {
    const run = await runFreeBsdLab({
      treeDir: tree,
      tftpFiles: { "pxehttp.cfg/default": "set boot.base=http://192.168.78.1/\nload /boot/kernel/kernel\nload -t md_image /boot/mfsroot\nset probe.marker=from-cfg\nboot -s\n" },
      until: /FBSD-PROBE-END/,
    });
    expect(run.text).toMatch(/Boot config: pxehttp\.cfg\/default \(5 commands\)/);
    expect(run.dnsmasqLog).toMatch(/sent \S*pxehttp\.cfg\/default/);
    checkTreeBoot(run, { "probe.marker": "from-cfg" }, RB.SINGLE);
  }, 900_000);
});
