/**
 * Preboot download benchmark (not a test): the same 64 MiB file fetched over
 * HTTP by PXE-booted loaders in QEMU (TCG, e1000, user-mode net), measured
 * at the server: nginx logs each request with its $request_time and
 * $body_bytes_sent, and MB/s = bytes / request_time.
 *
 *   npx tsx --tsconfig tsconfig.node.json tools/bench/preboot.ts [--mib 64] [--only ipxe,grub,lpxelinux]
 *
 * Anchors (Debian packages, tools/test/debian-packages.txt):
 *   ipxe       the e1000 NIC ROM (ipxe-qemu) runs an iPXE script given as
 *              the bootfile: `imgfetch http://10.0.2.2/big.bin` (iPXE's own
 *              HTTP and native e1000 driver, not UNDI)
 *   grub       GRUB 2 over PXE (grub-mknetdir, grub-pc-bin): core.0 with a
 *              grub.cfg that runs `sha256sum (http,10.0.2.2)/big.bin`
 *   lpxelinux  lpxelinux.0 (pxelinux + syslinux-common): `KERNEL memdisk`
 *              with `INITRD http://10.0.2.2/big.bin` (syslinux loads the
 *              whole initrd before starting memdisk)
 *   pxehttp    our pxehttp.0 (built by packages/nbp/tools/build.mjs): at the
 *              pxehttp> prompt it runs `fetch http://10.0.2.2/big.bin`, which
 *              also computes the SHA-256 as it goes, as GRUB's sha256sum does
 *
 * nginx's send buffer is cut to 64 KiB (`listen 80 sndbuf=64k`): $request_time
 * ends when the last byte is handed to the kernel, so a large buffer would
 * hide megabytes still in flight and flatter slow clients.
 *
 * nginx and QEMU run inside a network namespace made by tools/lab, so the
 * guest's 10.0.2.2 is that namespace's 127.0.0.1 and port 80 is ours.
 * Everything is removed afterwards.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { startQemu, type QemuInstance } from "../qemu/harness.js";
import { Lab } from "../lab/lab.js";
import { startNginx } from "../lab/servers.js";

const argv = process.argv;
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const MIB = Number(opt("mib") ?? 64);
const ONLY = (opt("only") ?? "pxehttp,ipxe,grub,lpxelinux").split(",");
const SIZE = MIB * 1024 * 1024;

interface Anchor {
  name: string;
  /** Fills the TFTP dir; returns the bootfile. */
  prepare(dir: string): string;
  /** Longest wait for the download, ms. */
  timeoutMs: number;
  /** Types into the console once booted, if the anchor needs a command. */
  drive?(vm: QemuInstance): Promise<void>;
}

const root = join(import.meta.dirname, "..", "..");

const anchors: Anchor[] = [
  {
    name: "pxehttp",
    timeoutMs: 600_000,
    prepare(dir) {
      execFileSync(process.execPath, [join(root, "packages/nbp/tools/build.mjs")], { stdio: "ignore" });
      copyFileSync(join(root, "packages/nbp/build/pxehttp.0"), join(dir, "pxehttp.0"));
      copyFileSync(join(root, "packages/nbp/build/pxehttp.ldr"), join(dir, "pxehttp.ldr"));
      return "pxehttp.0";
    },
    async drive(vm) {
      await vm.waitFor(/pxehttp> /, 180_000);
      vm.send("fetch http://10.0.2.2/big.bin?a=pxehttp");
    },
  },
  {
    name: "ipxe",
    timeoutMs: 120_000,
    prepare(dir) {
      writeFileSync(join(dir, "bench.ipxe"), "#!ipxe\ndhcp\nimgfetch http://10.0.2.2/big.bin?a=ipxe\necho BENCH-DONE\n");
      return "bench.ipxe";
    },
  },
  {
    name: "grub",
    timeoutMs: 300_000,
    prepare(dir) {
      execFileSync("grub-mknetdir", [`--net-directory=${dir}`, "--subdir=boot/grub", "-d", "/usr/lib/grub/i386-pc"], { stdio: "ignore" });
      writeFileSync(join(dir, "boot/grub/grub.cfg"), "insmod http\ninsmod hashsum\nsha256sum (http,10.0.2.2)/big.bin?a=grub\necho BENCH-DONE\n");
      return "boot/grub/i386-pc/core.0";
    },
  },
  {
    name: "lpxelinux",
    timeoutMs: 600_000,
    prepare(dir) {
      copyFileSync("/usr/lib/PXELINUX/lpxelinux.0", join(dir, "lpxelinux.0"));
      for (const m of ["ldlinux.c32", "libcom32.c32", "libutil.c32"]) copyFileSync(`/usr/lib/syslinux/modules/bios/${m}`, join(dir, m));
      copyFileSync("/usr/lib/syslinux/memdisk", join(dir, "memdisk"));
      mkdirSync(join(dir, "pxelinux.cfg"), { recursive: true });
      writeFileSync(join(dir, "pxelinux.cfg", "default"), "SERIAL 0 115200\nDEFAULT fetch\nPROMPT 0\nLABEL fetch\n  KERNEL memdisk\n  INITRD http://10.0.2.2/big.bin?a=lpxelinux\n");
      return "lpxelinux.0";
    },
  },
];

/** The access-log line of this anchor's download, once nginx wrote it. */
function logged(log: string, name: string): { secs: number; bytes: number; status: number } | undefined {
  const re = new RegExp(`^\\S+ (\\S+) (\\d+) (\\d+) "GET /big\\.bin\\?a=${name} `, "m");
  const m = re.exec(log);
  return m ? { secs: Number(m[1]), status: Number(m[2]), bytes: Number(m[3]) } : undefined;
}

const lab = await Lab.create({ name: "preboot", subnet: "10.213.70" });
const rows: string[] = [];
const rates = new Map<string, number>();
try {
  lab.writeFile("big.bin", randomBytes(SIZE));
  // $request_time and bytes of each request: the measurement
  const nginx = await startNginx(lab, "nginx", [{ port: 80, autoindex: false, listenParams: "sndbuf=64k" }], { logFormat: '$msec $request_time $status $body_bytes_sent "$request"' });
  for (const a of anchors.filter((x) => ONLY.includes(x.name))) {
    const tftp = join(lab.dir, `tftp-${a.name}`);
    mkdirSync(tftp, { recursive: true });
    const bootfile = a.prepare(tftp);
    let vm: QemuInstance | undefined;
    const t0 = Date.now();
    let got: ReturnType<typeof logged>;
    let serial = "";
    try {
      vm = startQemu({ nic: "e1000", memoryMiB: Math.max(256, MIB * 3), net: { kind: "user", tftpDir: tftp, bootfile }, netns: lab.ns });
      await a.drive?.(vm);
      while (!(got = logged(existsSync(nginx.accessLog!) ? readFileSync(nginx.accessLog!, "utf8") : "", a.name)) && Date.now() - t0 < a.timeoutMs) await new Promise((r) => setTimeout(r, 250));
    } finally {
      serial = vm?.tail(400) ?? "";
      await vm?.kill();
    }
    if (!got) rows.push(`  ${a.name.padEnd(10)} no complete request within ${a.timeoutMs / 1000} s; serial tail: ${JSON.stringify(serial.slice(-300))}`);
    else {
      const mbs = got.bytes / Math.max(got.secs, 0.001) / 1e6;
      if (got.bytes === SIZE) rates.set(a.name, mbs);
      rows.push(`  ${a.name.padEnd(10)} ${mbs.toFixed(2).padStart(8)} MB/s  (${got.bytes} bytes in ${got.secs.toFixed(3)} s, status ${got.status}${got.bytes === SIZE ? "" : ", INCOMPLETE"})`);
    }
    console.log(rows[rows.length - 1]);
  }
  console.log(`${MIB} MiB over QEMU user-mode net (TCG, e1000), measured at nginx, load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}:`);
  for (const r of rows) console.log(r);
  const ours = rates.get("pxehttp");
  if (ours !== undefined) for (const [name, mbs] of rates) if (name !== "pxehttp") console.log(`  pxehttp / ${name}: ${(ours / mbs).toFixed(2)}x`);
} finally {
  await lab.close();
}
