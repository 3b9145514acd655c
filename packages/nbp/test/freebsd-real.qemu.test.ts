// Real FreeBSD kernels booted by pxehttp.0 (opt-in: PXE_FREEBSD_BOOT_DIR,
// tools/freebsd/boot-trees.ts). On the FreeBSD lab (test/freebsd-lab.ts:
// dnsmasq PXE LAN + nginx in a namespace) nginx serves a boot/ tree holding
// the real kernel (and modules), a loader.conf and the test's cd9660 root
// (tools/freebsd: its /sbin/init prints a marker, its argv and a kenv value,
// then powers off). A run passes when the kernel mounts that root and init
// prints what the loader handed over.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freebsdBootTree, hasTree, type FreebsdBootTree } from "../../../tools/freebsd/boot-trees.js";
import { initLines, type FreebsdArch } from "../../../tools/freebsd/init.js";
import { buildFreebsdRoot, MD_ROOT_MOUNTFROM } from "../../../tools/freebsd/rootfs.js";
import { canRunFreeBsdLab, FREEBSD_LAB_SQUID_PORT, runFreeBsdLab, type FreeBsdLabOptions, type FreeBsdLabRun } from "./freebsd-lab.js";

const work = mkdtempSync(join(tmpdir(), "pxe-fbsd-real-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let served = 0;

/** The root-image name in the served tree. */
const ROOT_ISO = "/boot/root.iso";

/**
 * A directory for nginx: boot/kernel -> the real kernel directory (a
 * symlink), boot/defaults and boot/device.hints when the tree has them (as
 * an unpacked base.txz does), boot/root.iso (the test's root),
 * boot/loader.conf = `conf`.
 */
function serve(tree: FreebsdBootTree, conf: string): string {
  const dir = join(work, `tree${++served}`);
  mkdirSync(join(dir, "boot"), { recursive: true });
  symlinkSync(tree.kernelDir, join(dir, "boot", "kernel"));
  for (const extra of ["defaults", "device.hints"]) {
    if (existsSync(join(tree.root, "boot", extra))) symlinkSync(join(tree.root, "boot", extra), join(dir, "boot", extra));
  }
  writeFileSync(join(dir, "boot", "root.iso"), buildFreebsdRoot(tree.arch));
  writeFileSync(join(dir, "boot", "loader.conf"), conf);
  return dir;
}

/** loader.conf lines that boot the md root on the serial console with `pxe.test` = value. */
function loaderConf(value: string, extra: string[] = []): string {
  return [
    "# written by freebsd-real.qemu.test.ts",
    'autoboot_delay="1"',
    'console="comconsole"',
    `vfs.root.mountfrom="${MD_ROOT_MOUNTFROM}"`,
    `pxe.test="${value}"`,
    'rootfs_load="YES"',
    'rootfs_type="md_image"',
    `rootfs_name="${ROOT_ISO}"`,
    // boot/defaults/loader.conf (base.txz) also names /etc/hostid, which a
    // served release tree lacks: boot-conf reports it and boots without it.
    ...extra,
    "",
  ].join("\n");
}

/** Console lines that load the kernel and root by hand and boot with `flags`. */
function consoleLines(value: string, flags: string, modules: string[] = []): string[] {
  return [
    "load /boot/kernel/kernel",
    ...modules.map((m) => `load ${m}`),
    `load -t md_image ${ROOT_ISO}`,
    `set vfs.root.mountfrom=${MD_ROOT_MOUNTFROM}`,
    `set pxe.test=${value}`,
    "set console=comconsole",
    "lsmod",
    `boot ${flags}`.trim(),
  ];
}

/** Runs the lab and prints the kernel's first lines and init's lines (the evidence a reader wants). */
async function boot(name: string, opts: FreeBsdLabOptions): Promise<FreeBsdLabRun> {
  const run = await runFreeBsdLab({ memoryMiB: 512, timeoutMs: 480_000, ...opts });
  const t = run.text;
  const k = t.search(/(---<<BOOT>>---|Copyright \(c\) 1992-)/);
  const excerpt = [
    ...(k >= 0 ? t.slice(k).split("\n").slice(0, 6) : ["(no kernel output)"]),
    "...",
    ...t.split("\n").filter((l) => /PXE-INIT|Preloaded|Trying to mount root/.test(l)),
  ];
  console.log(`--- ${name} ---\n${excerpt.join("\n")}\n`);
  return run;
}

/** What every successful boot shows: the kernel, the md root mounted, init's lines, the kenv value. */
function expectBooted(run: FreeBsdLabRun, arch: FreebsdArch, kenvValue: string, argv = "/sbin/init"): void {
  const t = run.text;
  expect(t).toMatch(/FreeBSD 13\.\d-RELEASE/);
  expect(t).toMatch(/Trying to mount root from cd9660:\/dev\/md0/);
  expect(initLines.started().exec(t)?.[1]).toBe(arch);
  expect(initLines.argv().exec(t)?.[1]).toBe(argv);
  expect(initLines.kenv().exec(t)?.[1]).toBe(kenvValue);
  expect(t).toMatch(initLines.poweroff());
}

function fetched(run: FreeBsdLabRun, path: string): boolean {
  return new RegExp(`"GET ${path.replace(/\./g, "\\.")} HTTP/1\\.1" 200 `).test(run.nginxLog);
}

/** Lab options for a root-path autoboot through squid: the TFTP pxehttp.cfg/default sets http.proxy. */
function viaSquid(treeDir: string): FreeBsdLabOptions {
  return {
    treeDir, rootPath: true, squid: true,
    tftpFiles: { "pxehttp.cfg/default": `set http.proxy=192.168.78.1:${FREEBSD_LAB_SQUID_PORT}\n` },
  };
}

/** Each of `paths` was requested from squid (as an absolute http:// URL, i.e. through the proxy). */
function expectProxied(run: FreeBsdLabRun, paths: string[]): void {
  for (const path of paths) {
    expect(run.squidLog).toMatch(new RegExp(`GET http://192\\.168\\.78\\.1${path.replace(/\./g, "\\.")} `));
  }
}

/** The verbose boot's preload listing names cd9660.ko with the type FreeBSD's loader gives a module on `arch`. */
function expectPreloadedCd9660(run: FreeBsdLabRun, arch: FreebsdArch): void {
  const type = arch === "amd64" ? "elf obj module" : "elf module";
  expect(run.text).toMatch(new RegExp(`Preloaded ${type} "/boot/kernel/cd9660\\.ko" at 0x[0-9a-f]+\\.`));
}

/** loader.conf lines that load cd9660.ko (the MINIMAL kernel has no cd9660 built in) and boot verbose. */
const CD9660_CONF = ['cd9660_load="YES"', 'boot_verbose="YES"'];

function realKernelSuite(arch: FreebsdArch): void {
  const generic = freebsdBootTree(arch, "GENERIC");
  const minimal = freebsdBootTree(arch, "MINIMAL", ["cd9660.ko"]);
  const gz = freebsdBootTree(arch, "GENERIC-gz", [], "kernel.gz");

  describe(`${arch} GENERIC`, () => {
    if (!hasTree(generic)) return void it.skip(generic.skipped, () => {});

    it("autoboots from loader.conf: DHCP root-path -> boot-conf, kernel + md root over HTTP, init runs", async () => {
      const run = await boot(`${arch} GENERIC autoboot`, { treeDir: serve(generic, loaderConf(`autoboot-${arch}`)), rootPath: true });
      expectBooted(run, arch, `autoboot-${arch}`);
      expect(fetched(run, "/boot/loader.conf")).toBe(true);
      if (existsSync(join(generic.root, "boot", "defaults", "loader.conf"))) expect(fetched(run, "/boot/defaults/loader.conf")).toBe(true);
      expect(fetched(run, "/boot/kernel/kernel")).toBe(true);
      expect(fetched(run, ROOT_ISO)).toBe(true);
    });

    it("through squid: a pxehttp.cfg/default sets http.proxy, root-path autoboot; squid's log shows the kernel and root", async () => {
      const run = await boot(`${arch} GENERIC via squid`, viaSquid(serve(generic, loaderConf(`squid-${arch}`))));
      expectBooted(run, arch, `squid-${arch}`);
      expectProxied(run, ["/boot/loader.conf", "/boot/kernel/kernel", ROOT_ISO]);
    });

    it("console commands with boot -v: the kernel lists every preloaded file", async () => {
      const run = await boot(`${arch} GENERIC console boot -v`, {
        treeDir: serve(generic, ""), lines: [`set boot.base=http://192.168.78.1/`, ...consoleLines(`console-${arch}`, "-v")], nic: "rtl8139",
      });
      expectBooted(run, arch, `console-${arch}`);
      const type = arch === "amd64" ? "elf64 kernel" : "elf kernel";
      expect(run.text).toMatch(new RegExp(`Preloaded ${type} "/boot/kernel/kernel" at 0x[0-9a-f]+\\.`));
      expect(run.text).toMatch(/Preloaded md_image "\/boot\/root\.iso" at 0x[0-9a-f]+\./);
    });

    it("boot -s: init is started single-user (argv has -s)", async () => {
      const run = await boot(`${arch} GENERIC boot -s`, {
        treeDir: serve(generic, ""), lines: [`set boot.base=http://192.168.78.1/`, ...consoleLines(`single-${arch}`, "-s")],
      });
      expectBooted(run, arch, `single-${arch}`, "/sbin/init -s");
    });
  });

  describe(`${arch} GENERIC as kernel.gz`, () => {
    if (!hasTree(gz)) return void it.skip(gz.skipped, () => {});

    it("autoboots with only kernel.gz served: found for /boot/kernel/kernel, inflated, boots", async () => {
      // Inflating 36 MB in the engine under TCG takes minutes (3.6 min for the whole run here): more time than the others.
      const run = await boot(`${arch} GENERIC kernel.gz`, { treeDir: serve(gz, loaderConf(`gzip-${arch}`)), rootPath: true, timeoutMs: 840_000 });
      expectBooted(run, arch, `gzip-${arch}`);
      expect(run.nginxLog).toMatch(/"GET \/boot\/kernel\/kernel HTTP\/1\.1" 404 /);
      expect(fetched(run, "/boot/kernel/kernel.gz")).toBe(true);
      expect(run.text).toMatch(/kernel\.gz: gzip, \d+ -> \d+ bytes/);
    }, 900_000);
  });

  describe(`${arch} MINIMAL + md + uart, cd9660.ko loaded`, () => {
    if (!hasTree(minimal)) return void it.skip(minimal.skipped, () => {});

    it("the cd9660 root mounts only through the loaded module (loader.conf cd9660_load)", async () => {
      const run = await boot(`${arch} MINIMAL + cd9660.ko`, {
        treeDir: serve(minimal, loaderConf(`minimal-${arch}`, CD9660_CONF)), rootPath: true,
      });
      expectBooted(run, arch, `minimal-${arch}`);
      expectPreloadedCd9660(run, arch);
      expect(fetched(run, "/boot/kernel/cd9660.ko")).toBe(true);
    });

    it("through squid: a pxehttp.cfg/default sets http.proxy, root-path autoboot with cd9660_load; squid's log shows kernel, cd9660.ko and root", async () => {
      const run = await boot(`${arch} MINIMAL + cd9660.ko via squid`, viaSquid(serve(minimal, loaderConf(`minimal-squid-${arch}`, CD9660_CONF))));
      expectBooted(run, arch, `minimal-squid-${arch}`);
      expectPreloadedCd9660(run, arch);
      expectProxied(run, ["/boot/loader.conf", "/boot/kernel/kernel", "/boot/kernel/cd9660.ko", ROOT_ISO]);
    });

    it("console commands: load kernel, cd9660.ko and the md root by hand, boot -v", async () => {
      const run = await boot(`${arch} MINIMAL + cd9660.ko console`, {
        treeDir: serve(minimal, ""), lines: [`set boot.base=http://192.168.78.1/`, ...consoleLines(`minimal-console-${arch}`, "-v", ["/boot/kernel/cd9660.ko"])],
      });
      expectBooted(run, arch, `minimal-console-${arch}`);
      expectPreloadedCd9660(run, arch);
    });
  });
}

describe("real FreeBSD kernels booted by pxehttp.0", () => {
  if (!canRunFreeBsdLab()) return void it.skip("skipped: needs root, iproute2, dnsmasq and nginx (the FreeBSD lab)", () => {});
  realKernelSuite("amd64");
  realKernelSuite("i386");
});
