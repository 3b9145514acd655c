// The default pxehttp.0 booting a FreeBSD boot/ tree as a sysadmin does it,
// on a dnsmasq LAN with nginx (test/freebsd-lab.ts): console commands; a
// pxehttp.cfg/default boot config that sets http.proxy, so everything comes
// through squid; DHCP root-path autoboot from loader.conf (rtl8139); and
// every loader failure in one session — a 404 kernel, a kernel too big for
// the machine's memory, a module that is not ELF, a truncated download, a
// wrong checksum, a bad line in an included loader.conf — each back at the
// prompt, then a boot that works. The kernel is the project's own probe
// (fixtures/fbsd-probe.asm), whose report is checked against what the tree
// holds.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { RB } from "@pxe/kboot";
import { buildFbsdProbe, checkProbeReport, fnv1a, parseProbeReport, reportE820 } from "./fbsd-probe.js";
import { canRunFreeBsdLab, FREEBSD_LAB_HOSTILE_PORT, FREEBSD_LAB_SQUID_PORT, runFreeBsdLab, type FreeBsdLabRun } from "./freebsd-lab.js";

// The served directory holds boot/ and nothing else: QEMU's iPXE reads the
// root-path URL (this directory's listing) as a SAN disk and stops before
// pxehttp.0 when the listing is longer than 512 bytes (docs/dnsmasq.md).
const tree = mkdtempSync(join(tmpdir(), "pxe-fbsd-tree-"));
const build = mkdtempSync(join(tmpdir(), "pxe-fbsd-build-"));
afterAll(() => {
  rmSync(tree, { recursive: true, force: true });
  rmSync(build, { recursive: true, force: true });
});

const MFSROOT = Uint8Array.from({ length: 5 * 4096 + 17 }, (_, i) => (i * 29 + 3) & 0xff);
const MFSROOT_SHA256 = createHash("sha256").update(MFSROOT).digest("hex");
/** .bss added to the "big" probe: 576 MiB, more than the lab machine's 512 MiB. */
const BIG_BSS = 0x24000000;
const SERVER = "http://192.168.78.1";

beforeAll(() => {
  const put = (path: string, data: string | Uint8Array): void => {
    mkdirSync(join(tree, path, ".."), { recursive: true, mode: 0o755 });
    writeFileSync(join(tree, path), data);
  };
  put("boot/kernel/kernel", buildFbsdProbe(build, "amd64"));
  put("boot/big/kernel", buildFbsdProbe(build, "amd64", { extraBss: BIG_BSS }));
  put("boot/kernel/junk.ko", "this is not ELF at all\n");
  put("boot/mfsroot", MFSROOT);
  put("boot/bad.conf", 'ok="1"\n\n  = "x"\n');
  put("boot/loader.conf", [
    'autoboot_delay="2"',
    'boot_verbose="YES"',
    'probe.marker="from-loader-conf"',
    'mfsroot_load="YES"',
    'mfsroot_type="md_image"',
    'mfsroot_name="/boot/mfsroot"',
    'vfs.root.mountfrom="cd9660:/dev/md0"',
    "",
  ].join("\n"));
});

const KERNEL = "/boot/kernel/kernel";

/** Checks the probe's report of a boot of this tree (kernel + mfsroot). */
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
}

/**
 * What each of `lines`, typed one per prompt from the first prompt on,
 * printed: the text after its echo up to the next prompt. A line that never
 * got a prompt back is missing from the map (the first of equal lines wins).
 * Long lines are echoed with redraws, so only the echo's end is compared.
 */
function answers(text: string, lines: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const parts = text.split("pxehttp> ").slice(1);
  lines.forEach((line, i) => {
    if (i + 1 >= parts.length || out.has(line)) return;
    const nl = parts[i].indexOf("\n");
    const echo = parts[i].slice(0, nl).replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").trimEnd();
    expect(echo.endsWith(line.slice(-12)), `prompt ${i + 1} echoes "${echo}", not "${line}"`).toBe(true);
    out.set(line, parts[i].slice(nl + 1));
  });
  return out;
}

const re = (s: string): string => s.replace(/[.?*+^$()[\]{}|\\/]/g, "\\$&");

describe.skipIf(!canRunFreeBsdLab())("FreeBSD boot/ tree from the default pxehttp.0 (probe kernel)", () => {
  test("e1000: console commands (a 404 first, then load, set, lsmod, boot -v)", async () => {
    const run = await runFreeBsdLab({
      treeDir: tree,
      lines: [
        `set boot.base=${SERVER}/`,
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

  test("e1000: pxehttp.cfg/default sets http.proxy and boots -s; squid's log shows the kernel and md root", async () => {
    const run = await runFreeBsdLab({
      treeDir: tree,
      squid: true,
      tftpFiles: {
        "pxehttp.cfg/default": [
          `set http.proxy=192.168.78.1:${FREEBSD_LAB_SQUID_PORT}`,
          `set boot.base=${SERVER}/`,
          "load /boot/kernel/kernel",
          "load -t md_image /boot/mfsroot",
          "set probe.marker=from-cfg",
          "boot -s",
          "",
        ].join("\n"),
      },
      until: /FBSD-PROBE-END/,
    });
    expect(run.text).toMatch(/Boot config: pxehttp\.cfg\/default \(6 commands\)/);
    expect(run.dnsmasqLog).toMatch(/sent \S*pxehttp\.cfg\/default/);
    for (const path of [KERNEL, "/boot/mfsroot"]) expect(run.squidLog).toMatch(new RegExp(`GET ${re(SERVER + path)} `));
    checkTreeBoot(run, { "probe.marker": "from-cfg" }, RB.SINGLE);
  }, 900_000);

  test("rtl8139: DHCP root-path -> loader.conf, autoboot countdown, boot (nothing typed)", async () => {
    const run = await runFreeBsdLab({ treeDir: tree, rootPath: true, nic: "rtl8139", until: /FBSD-PROBE-END/ });
    expect(run.text).toMatch(new RegExp(`pxehttp> boot-conf ${re(SERVER)}/\n`));
    expect(run.text).toMatch(/Hit any key to stop the autoboot/);
    expect(run.text).toMatch(/Booting \[\/boot\/kernel\/kernel\] in 2 seconds/);
    expect(run.nginxLog).toMatch(/"GET \/boot\/loader\.conf HTTP\/1\.1" 200/);
    checkTreeBoot(run, { "probe.marker": "from-loader-conf", "vfs.root.mountfrom": "cd9660:/dev/md0" }, RB.VERBOSE);
  }, 900_000);

  test("e1000: every failure ends at the prompt with the URL or line named, nothing loaded half; then boot works", async () => {
    // Every answer announces the whole file and closes after 1000 bytes: the
    // loader resumes with Range (5 times at most), then gives up.
    const truncated = `${SERVER}:${FREEBSD_LAB_HOSTILE_PORT}/short/boot/mfsroot?at=1000`;
    const zeros = "0".repeat(64);
    const lines = [
      `set boot.base=${SERVER}/`,
      "load /boot/nokernel/kernel",
      "load /boot/big/kernel",
      "boot",
      "unload",
      "load /boot/kernel/kernel",
      "load /boot/kernel/junk.ko",
      `load -t md_image ${truncated}`,
      `load -t md_image --sha256 ${zeros} /boot/mfsroot`,
      "include /boot/bad.conf",
      "lsmod",
      `load -t md_image --sha256 ${MFSROOT_SHA256} /boot/mfsroot`,
      "set probe.marker=after-faults",
      "boot",
    ];
    const run = await runFreeBsdLab({ treeDir: tree, hostile: true, lines, until: /FBSD-PROBE-END/ });
    const said = answers(run.text, lines);
    const answer = (line: string): string => {
      expect(said.has(line), `no prompt came back after "${line}"`).toBe(true);
      return said.get(line)!;
    };
    expect(answer("load /boot/nokernel/kernel")).toMatch(new RegExp(`^error: load: kernel not found: ${re(SERVER)}/boot/nokernel/kernel is 404`, "m"));
    // 576 MiB of .bss in a 512 MiB machine: refused by the layout planner, nothing shut down.
    expect(answer("boot")).toMatch(/^error: boot: \/boot\/big\/kernel \(\d+ bytes\): must sit at 0x200000-0x[0-9a-f]+, which is not all usable memory/m);
    expect(answer("load /boot/kernel/junk.ko")).toMatch(new RegExp(`^error: load: ${re(SERVER)}/boot/kernel/junk\\.ko: .*ELF`, "m"));
    expect(answer(`load -t md_image ${truncated}`)).toMatch(new RegExp(`^error: load: ${re(truncated)}: body ended after \\d+ of ${MFSROOT.length} bytes`, "m"));
    expect(answer(`load -t md_image --sha256 ${zeros} /boot/mfsroot`)).toMatch(new RegExp(`^error: ${re(SERVER)}/boot/mfsroot: SHA-256 mismatch: expected 0{64}`, "m"));
    expect(answer("include /boot/bad.conf")).toMatch(/^error: \/boot\/bad\.conf:3: a line starts with a name/m);
    const lsmod = answer("lsmod");
    expect(lsmod).toMatch(/\/boot\/kernel\/kernel +elf64 kernel/);
    expect(lsmod).not.toMatch(/big|junk|short|mfsroot/);
    expect(answer(`load -t md_image --sha256 ${MFSROOT_SHA256} /boot/mfsroot`)).toMatch(/SHA-256 OK/);
    // Only the last `boot` reached the hand-off.
    expect(run.text.match(/shutting down PXE/g)).toHaveLength(1);
    checkTreeBoot(run, { "probe.marker": "after-faults" }, 0);
  }, 900_000);
});
