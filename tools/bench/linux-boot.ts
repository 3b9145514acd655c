/**
 * Linux boot-time benchmark (not a test): the same Debian 12 kernel and
 * initramfs, booted over HTTP by PXE-booted loaders in QEMU (TCG, e1000,
 * user-mode net), timed on the serial console from QEMU's start to the
 * kernel's first line (`Linux version`) and to the test initramfs's marker
 * (`LINUX-INIT-MARKER`, printed by /init; packages/nbp/test/linux-fixtures.ts).
 *
 *   npx tsx --tsconfig tsconfig.node.json tools/bench/linux-boot.ts [--only pxehttp,grub,...] [--runs 1]
 *
 * Loaders (Debian packages; `ipxe` is not in tools/test/debian-packages.txt,
 * apt-get install it to include undionly):
 *   pxehttp    pxehttp.0 with a pxehttp.cfg/default of three lines:
 *              linux URL console=ttyS0 / initrd URL / boot
 *   grub       GRUB 2 over PXE (grub-mknetdir): linux/initrd (http,10.0.2.2)/...
 *   lpxelinux  lpxelinux.0: KERNEL and INITRD as http:// URLs
 *   undionly   iPXE's undionly.kpxe chained from the NIC ROM, over the same
 *              UNDI as pxehttp.0: kernel/initrd/boot from an iPXE script
 *   ipxe       the NIC ROM's own iPXE (native e1000 driver, not UNDI)
 *
 * nginx serves the files inside a network namespace made by tools/lab, so
 * the guest's 10.0.2.2 is that namespace's 127.0.0.1. The timed run and the
 * pxehttp/grub TFTP directories are shared with freebsd-boot.ts
 * (boot-bench.ts).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Lab } from "../lab/lab.js";
import { startNginx } from "../lab/servers.js";
import { debianKernel, initramfs } from "../../packages/nbp/test/linux-fixtures.js";
import { BENCH_SERVER, benchArgs, grubNetdir, loadAverage, pxehttpNetdir, runBootBench, type BootLoader } from "./boot-bench.js";

const CMDLINE = "console=ttyS0";
const K = `http://${BENCH_SERVER}/vmlinuz`;
const I = `http://${BENCH_SERVER}/initrd.cpio`;
const UNDIONLY = "/usr/lib/ipxe/undionly.kpxe";

const loaders: BootLoader[] = [
  {
    name: "pxehttp",
    prepare: (dir) => pxehttpNetdir(dir, [`linux ${K} ${CMDLINE}`, `initrd ${I}`, "boot"]),
  },
  {
    name: "grub",
    prepare: (dir) => grubNetdir(dir, `linux (http,${BENCH_SERVER})/vmlinuz ${CMDLINE}\ninitrd (http,${BENCH_SERVER})/initrd.cpio\nboot\n`),
  },
  {
    name: "lpxelinux",
    prepare(dir) {
      copyFileSync("/usr/lib/PXELINUX/lpxelinux.0", join(dir, "lpxelinux.0"));
      for (const m of ["ldlinux.c32", "libcom32.c32", "libutil.c32"]) copyFileSync(`/usr/lib/syslinux/modules/bios/${m}`, join(dir, m));
      mkdirSync(join(dir, "pxelinux.cfg"), { recursive: true });
      writeFileSync(join(dir, "pxelinux.cfg", "default"), `DEFAULT l\nPROMPT 0\nLABEL l\n  KERNEL ${K}\n  INITRD ${I}\n  APPEND ${CMDLINE}\n`);
      return "lpxelinux.0";
    },
  },
  {
    name: "undionly",
    ...(existsSync(UNDIONLY) ? {} : { skip: `apt-get install ipxe for ${UNDIONLY}` }),
    prepare(dir) {
      copyFileSync(UNDIONLY, join(dir, "undionly.kpxe"));
      // The ROM and undionly both get this script as their bootfile: the ROM
      // (chip 82540em) chains undionly, undionly (chip "undionly") boots.
      writeFileSync(join(dir, "boot.ipxe"), `#!ipxe\niseq \${net0/chip} undionly && goto undi ||\nchain tftp://${BENCH_SERVER}/undionly.kpxe\n:undi\nkernel ${K} ${CMDLINE}\ninitrd ${I}\nboot\n`);
      return "boot.ipxe";
    },
  },
  {
    name: "ipxe",
    prepare(dir) {
      writeFileSync(join(dir, "boot.ipxe"), `#!ipxe\ndhcp\nkernel ${K} ${CMDLINE}\ninitrd ${I}\nboot\n`);
      return "boot.ipxe";
    },
  },
];

const { only, runs } = benchArgs(loaders.map((l) => l.name));
const lab = await Lab.create({ name: "linuxboot", subnet: "10.213.71" });
try {
  const kernel = readFileSync(debianKernel());
  const initrd = initramfs();
  lab.writeFile("vmlinuz", kernel);
  lab.writeFile("initrd.cpio", initrd);
  const sizes = `vmlinuz ${(kernel.length / 1e6).toFixed(1)} MB, initramfs ${(initrd.length / 1e6).toFixed(1)} MB`;
  await startNginx(lab, "nginx", [{ port: 80, autoindex: false }]);
  const marks = { kernel: /Linux version \d/, init: /LINUX-INIT-MARKER/, timeoutMs: 300_000 };
  const rows = await runBootBench(lab, loaders.filter((l) => only.includes(l.name)), marks, { runs, memoryMiB: 256 });
  console.log(`Debian 12 kernel + test initramfs (${sizes}) over HTTP, QEMU TCG, e1000, user-mode net, 256 MiB; from QEMU start; load ${loadAverage()}:`);
  for (const r of rows) console.log(r);
} finally {
  await lab.close();
}
