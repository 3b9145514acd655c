// What the Linux boot tests boot: Debian 12's own kernel (from its
// linux-image package, fetched with apt-get and unpacked with dpkg-deb,
// cached outside git under .cache/linux), and initramfs archives written
// here in cpio "newc" format (the kernel's initramfs-buffer-format.rst) with
// Debian's busybox-static as the shell of /init.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { asciiBytes, concat } from "@pxe/core";

/** Where the unpacked kernels are kept between runs (gitignored). */
export const KERNEL_CACHE = join(import.meta.dirname, "..", "..", "..", ".cache", "linux");

/**
 * Debian's current kernel for this release (the package linux-image-amd64
 * depends on), downloaded once and kept in KERNEL_CACHE; returns the
 * vmlinuz path.
 */
export function debianKernel(): string {
  const deps = execFileSync("apt-cache", ["depends", "linux-image-amd64"], { encoding: "utf8" });
  const pkg = /Depends: (linux-image-[0-9][^\s]*-amd64)\b/.exec(deps)?.[1];
  if (!pkg) throw new Error(`apt-cache depends linux-image-amd64 names no kernel package:\n${deps}`);
  const out = join(KERNEL_CACHE, `vmlinuz-${pkg.replace(/^linux-image-/, "")}`);
  if (existsSync(out)) return out;
  mkdirSync(KERNEL_CACHE, { recursive: true });
  const tmp = mkdtempSync(join(KERNEL_CACHE, "dl-"));
  try {
    execFileSync("apt-get", ["download", pkg], { cwd: tmp, stdio: "pipe" });
    const deb = readdirSync(tmp).find((f) => f.endsWith(".deb"));
    if (!deb) throw new Error(`apt-get download ${pkg} left no .deb`);
    execFileSync("sh", ["-c", 'dpkg-deb --fsys-tarfile "$1" | tar -x --wildcards "./boot/vmlinuz-*"', "sh", deb], { cwd: tmp, stdio: "pipe" });
    const vmlinuz = readdirSync(join(tmp, "boot")).find((f) => f.startsWith("vmlinuz-"));
    if (!vmlinuz) throw new Error(`${deb} holds no boot/vmlinuz-*`);
    renameSync(join(tmp, "boot", vmlinuz), out);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

/** One cpio member. */
export interface CpioEntry {
  /** Path without a leading slash. */
  readonly name: string;
  /** st_mode: type and permissions (0o100755 file, 0o040755 directory, 0o020600 character device). */
  readonly mode: number;
  /** File contents. */
  readonly data?: Uint8Array;
  /** Device numbers of a device node. */
  readonly rdev?: readonly [number, number];
}

/** A cpio archive in "newc" format (magic 070701), ending with TRAILER!!!. */
export function cpioNewc(entries: readonly CpioEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  const push = (b: Uint8Array) => {
    parts.push(b);
    size += b.length;
    const pad = (4 - (size % 4)) % 4;
    if (pad) {
      parts.push(new Uint8Array(pad));
      size += pad;
    }
  };
  const hex8 = (n: number) => n.toString(16).padStart(8, "0");
  [...entries, { name: "TRAILER!!!", mode: 0 } as CpioEntry].forEach((e, i) => {
    const data = e.data ?? new Uint8Array(0);
    const fields = [i + 1, e.mode, 0, 0, 1, 0, data.length, 0, 0, e.rdev?.[0] ?? 0, e.rdev?.[1] ?? 0, e.name.length + 1, 0];
    push(asciiBytes(`070701${fields.map(hex8).join("")}${e.name}\0`));
    if (data.length) push(data);
  });
  return concat(parts);
}

/**
 * /init of the test initramfs: prints a marker, the command line, each
 * entry of the firmware memory map the kernel got (/sys/firmware/memmap is
 * the E820 table from boot_params) and their count, the "System RAM" lines
 * of /proc/iomem, /extra.txt when a second initrd brought it, then powers off.
 */
const INIT = `#!/bin/busybox sh
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
echo "LINUX-INIT-MARKER"
echo "CMDLINE=[$($B cat /proc/cmdline)]"
for d in $($B ls /sys/firmware/memmap | $B sort -n); do
  echo "MEMMAP $($B cat /sys/firmware/memmap/$d/start) $($B cat /sys/firmware/memmap/$d/end) $($B cat /sys/firmware/memmap/$d/type)"
done
echo "E820-ENTRIES=$($B ls /sys/firmware/memmap | $B wc -l)"
echo "IOMEM-RAM=$($B grep -c 'System RAM' /proc/iomem)"
if [ -f /extra.txt ]; then echo "EXTRA=[$($B cat /extra.txt)]"; fi
echo "LINUX-INIT-END"
$B poweroff -f
`;

/** The initramfs: busybox-static, /init, /dev/console (c 5 1), /proc, /sys. */
export function initramfs(busybox = "/bin/busybox"): Uint8Array {
  return cpioNewc([
    { name: "bin", mode: 0o040755 },
    { name: "bin/busybox", mode: 0o100755, data: readFileSync(busybox) },
    { name: "dev", mode: 0o040755 },
    { name: "dev/console", mode: 0o020600, rdev: [5, 1] },
    { name: "proc", mode: 0o040755 },
    { name: "sys", mode: 0o040755 },
    { name: "init", mode: 0o100755, data: asciiBytes(INIT) },
  ]);
}

/** A second initrd that adds /extra.txt holding `text` (concatenated after the first, the kernel unpacks both). */
export function extraInitrd(text: string): Uint8Array {
  return cpioNewc([{ name: "extra.txt", mode: 0o100644, data: asciiBytes(text) }]);
}
