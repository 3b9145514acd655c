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
 * the guest's 10.0.2.2 is that namespace's 127.0.0.1.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startQemu, type QemuInstance } from "../qemu/harness.js";
import { Lab } from "../lab/lab.js";
import { startNginx } from "../lab/servers.js";
import { debianKernel, initramfs } from "../../packages/nbp/test/linux-fixtures.js";

const argv = process.argv;
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const ONLY = (opt("only") ?? "pxehttp,grub,lpxelinux,undionly,ipxe").split(",");
const RUNS = Number(opt("runs") ?? 1);
const root = join(import.meta.dirname, "..", "..");
const CMDLINE = "console=ttyS0";
const K = "http://10.0.2.2/vmlinuz";
const I = "http://10.0.2.2/initrd.cpio";

interface Loader {
  name: string;
  /** Fills the TFTP dir; returns the bootfile. */
  prepare(dir: string): string;
}

const loaders: Loader[] = [
  {
    name: "pxehttp",
    prepare(dir) {
      execFileSync(process.execPath, [join(root, "packages/nbp/tools/build.mjs")], { stdio: "ignore" });
      for (const f of ["pxehttp.0", "pxehttp.ldr"]) copyFileSync(join(root, "packages/nbp/build", f), join(dir, f));
      mkdirSync(join(dir, "pxehttp.cfg"), { recursive: true });
      writeFileSync(join(dir, "pxehttp.cfg", "default"), `linux ${K} ${CMDLINE}\ninitrd ${I}\nboot\n`);
      return "pxehttp.0";
    },
  },
  {
    name: "grub",
    prepare(dir) {
      execFileSync("grub-mknetdir", [`--net-directory=${dir}`, "--subdir=boot/grub", "-d", "/usr/lib/grub/i386-pc"], { stdio: "ignore" });
      writeFileSync(join(dir, "boot/grub/grub.cfg"), `insmod http\nlinux (http,10.0.2.2)/vmlinuz ${CMDLINE}\ninitrd (http,10.0.2.2)/initrd.cpio\nboot\n`);
      return "boot/grub/i386-pc/core.0";
    },
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
    prepare(dir) {
      copyFileSync("/usr/lib/ipxe/undionly.kpxe", join(dir, "undionly.kpxe"));
      // The ROM and undionly both get this script as their bootfile: the ROM
      // (chip 82540em) chains undionly, undionly (chip "undionly") boots.
      writeFileSync(join(dir, "boot.ipxe"), `#!ipxe\niseq \${net0/chip} undionly && goto undi ||\nchain tftp://10.0.2.2/undionly.kpxe\n:undi\nkernel ${K} ${CMDLINE}\ninitrd ${I}\nboot\n`);
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

const lab = await Lab.create({ name: "linuxboot", subnet: "10.213.71" });
const rows: string[] = [];
try {
  const kernel = readFileSync(debianKernel());
  const initrd = initramfs();
  lab.writeFile("vmlinuz", kernel);
  lab.writeFile("initrd.cpio", initrd);
  const sizes = `vmlinuz ${(kernel.length / 1e6).toFixed(1)} MB, initramfs ${(initrd.length / 1e6).toFixed(1)} MB`;
  await startNginx(lab, "nginx", [{ port: 80, autoindex: false }]);
  for (const l of loaders.filter((x) => ONLY.includes(x.name))) {
    if (l.name === "undionly" && !existsSync("/usr/lib/ipxe/undionly.kpxe")) {
      rows.push(`  ${l.name.padEnd(10)} skipped: apt-get install ipxe for /usr/lib/ipxe/undionly.kpxe`);
      continue;
    }
    for (let run = 1; run <= RUNS; run++) {
      const tftp = join(lab.dir, `tftp-${l.name}-${run}`);
      mkdirSync(tftp, { recursive: true });
      const bootfile = l.prepare(tftp);
      let vm: QemuInstance | undefined;
      let line: string;
      const t0 = Date.now();
      try {
        vm = startQemu({ nic: "e1000", memoryMiB: 256, net: { kind: "user", tftpDir: tftp, bootfile }, netns: lab.ns });
        await vm.waitFor(/Linux version \d/, 300_000);
        const kernel = (Date.now() - t0) / 1000;
        await vm.waitFor(/LINUX-INIT-MARKER/, 300_000);
        const marker = (Date.now() - t0) / 1000;
        line = `  ${l.name.padEnd(10)} kernel's first line ${kernel.toFixed(1).padStart(6)} s   init marker ${marker.toFixed(1).padStart(6)} s`;
      } catch (e) {
        line = `  ${l.name.padEnd(10)} failed: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}; serial tail: ${JSON.stringify((vm?.tail(300) ?? "").slice(-300))}`;
      } finally {
        await vm?.kill();
      }
      rows.push(line);
      console.log(line);
    }
  }
  console.log(`Debian 12 kernel + test initramfs (${sizes}) over HTTP, QEMU TCG, e1000, user-mode net, 256 MiB; from QEMU start; load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}:`);
  for (const r of rows) console.log(r);
} finally {
  await lab.close();
}
