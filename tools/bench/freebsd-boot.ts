/**
 * FreeBSD boot-time benchmark (not a test): real FreeBSD kernels with the
 * test's cd9660 memory-disk root (tools/freebsd/rootfs.ts: its /sbin/init
 * prints `PXE-INIT: started (<arch>)` and powers off), booted over HTTP by
 * PXE-booted loaders in QEMU (TCG, e1000, user-mode net, 512 MiB), timed on
 * the serial console from QEMU's start to the loader's hand-off, the
 * kernel's first line (`---<<BOOT>>---` or the copyright line, whichever
 * comes first) and init's marker.
 *
 *   PXE_FREEBSD_BOOT_DIR=/path/to/trees npx tsx --tsconfig tsconfig.node.json tools/bench/freebsd-boot.ts [--only grub-i386,...] [--runs 1]
 *
 * Kernels: the i386-GENERIC and amd64-GENERIC trees under
 * $PXE_FREEBSD_BOOT_DIR (tools/freebsd/boot-trees.ts); without the variable
 * the benchmark says what to set and exits. Loaders:
 *   grub-i386      GRUB 2 over PXE (grub-mknetdir): `kfreebsd` and
 *                  `kfreebsd_module ... type=md_image` over (http,10.0.2.2),
 *                  the script tools/freebsd/grub.ts writes (Debian's GRUB
 *                  cannot start amd64 FreeBSD kernels, so i386 only)
 *   pxehttp-i386   pxehttp.0 with a pxehttp.cfg/default of console commands:
 *   pxehttp-amd64  set boot.base, load the kernel, load -t md_image the root,
 *                  set vfs.root.mountfrom and console=comconsole, boot
 *
 * Both loaders hand the kernel the same kenv (root from the md image, serial
 * console, pxe.test) and RB_SERIAL. nginx serves the trees inside a network
 * namespace made by tools/lab (the guest's 10.0.2.2); the timed run is
 * boot-bench.ts's, shared with linux-boot.ts.
 */
import { statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { Lab } from "../lab/lab.js";
import { startNginx } from "../lab/servers.js";
import { FREEBSD_BOOT_DIR_ENV, freebsdBootTree, hasTree, type FreebsdBootTree } from "../freebsd/boot-trees.js";
import { GRUB_BOOTING_LINE, grubKfreebsdScript } from "../freebsd/grub.js";
import { initLines, type FreebsdArch } from "../freebsd/init.js";
import { buildFreebsdRoot, MD_ROOT_MOUNTFROM } from "../freebsd/rootfs.js";
import { BENCH_SERVER, benchArgs, grubNetdir, loadAverage, PXEHTTP_HANDOFF, pxehttpNetdir, runBootBench, type BootLoader } from "./boot-bench.js";

/** The kenv value init prints (checks the kenv reached the kernel, not timed). */
const KENV_VALUE = "bench";
/** Where each arch's tree is served: http://10.0.2.2/<arch>/boot/... */
const ROOT_ISO = "boot/root.iso";

const trees: Record<FreebsdArch, FreebsdBootTree | { skipped: string }> = {
  i386: freebsdBootTree("i386", "GENERIC"),
  amd64: freebsdBootTree("amd64", "GENERIC"),
};

function grubLoader(): BootLoader {
  const t = trees.i386;
  const http = `(http,${BENCH_SERVER})/i386`;
  return {
    name: "grub-i386",
    handoff: new RegExp(GRUB_BOOTING_LINE),
    ...(hasTree(t) ? {} : { skip: t.skipped }),
    prepare: (dir) => grubNetdir(dir, grubKfreebsdScript({
      kernel: `${http}/boot/kernel/kernel`,
      files: [{ path: `${http}/${ROOT_ISO}`, type: "md_image" }],
      kenv: { "vfs.root.mountfrom": MD_ROOT_MOUNTFROM, "pxe.test": KENV_VALUE },
    })),
  };
}

function pxehttpLoader(arch: FreebsdArch): BootLoader {
  const t = trees[arch];
  return {
    name: `pxehttp-${arch}`,
    handoff: PXEHTTP_HANDOFF,
    ...(hasTree(t) ? {} : { skip: t.skipped }),
    prepare: (dir) => pxehttpNetdir(dir, [
      `set boot.base=http://${BENCH_SERVER}/${arch}/`,
      "load /boot/kernel/kernel",
      `load -t md_image /${ROOT_ISO}`,
      `set vfs.root.mountfrom=${MD_ROOT_MOUNTFROM}`,
      `set pxe.test=${KENV_VALUE}`,
      "set console=comconsole",
      "boot",
    ]),
  };
}

const loaders = [grubLoader(), pxehttpLoader("i386"), pxehttpLoader("amd64")];
const { only, runs } = benchArgs(loaders.map((l) => l.name));

if (!process.env[FREEBSD_BOOT_DIR_ENV]) {
  console.error(`freebsd-boot: set ${FREEBSD_BOOT_DIR_ENV} to a directory of FreeBSD 13 /boot trees (i386-GENERIC/boot/kernel/kernel, amd64-GENERIC/boot/kernel/kernel); see tools/freebsd/boot-trees.ts. Nothing measured.`);
  process.exit(2);
}

const lab = await Lab.create({ name: "fbsdboot", subnet: "10.213.72" });
try {
  const sizes: string[] = [];
  for (const t of Object.values(trees)) {
    if (!hasTree(t)) continue;
    // nginx follows the symlink to the kernel directory; the root is built per arch
    lab.writeFile(join(t.arch, ROOT_ISO), buildFreebsdRoot(t.arch));
    symlinkSync(t.kernelDir, join(lab.www, t.arch, "boot", "kernel"));
    sizes.push(`${t.arch} GENERIC ${(statSync(join(t.kernelDir, "kernel")).size / 1e6).toFixed(1)} MB`);
  }
  await startNginx(lab, "nginx", [{ port: 80, autoindex: false }]);
  const marks = {
    kernel: /---<<BOOT>>---|Copyright \(c\) 1992-/,
    init: initLines.started(),
    timeoutMs: 300_000,
    kernelAfterHandoffMs: 60_000,
  };
  const rows = await runBootBench(lab, loaders.filter((l) => only.includes(l.name)), marks, { runs, memoryMiB: 512 });
  console.log(`FreeBSD kernels (${sizes.join(", ")}) + cd9660 md root over HTTP, QEMU TCG, e1000, user-mode net, 512 MiB; from QEMU start; load ${loadAverage()}:`);
  for (const r of rows) console.log(r);
} finally {
  await lab.close();
}
