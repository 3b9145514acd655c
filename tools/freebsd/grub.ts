/**
 * Debian's GRUB 2 (grub-pc-bin) as an independent FreeBSD loader: its
 * `kfreebsd` command starts i386 FreeBSD kernels (not amd64 ones: Debian
 * 12's GRUB triple-faults those, shared/DESIGN.md §5). The real-kernel
 * tests use it to show the init and root fixtures work without our loader;
 * the FreeBSD boot benchmark uses the same script over http.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FreebsdFixtureError } from "./init.js";

/** What GRUB loads and hands to the kernel. */
export interface GrubKfreebsdBoot {
  /** The kernel as GRUB names it: "/fbsd/kernel" on the boot medium, "(http,10.0.2.2)/boot/kernel/kernel" over http. */
  kernel: string;
  /** Preloaded files: GRUB path and FreeBSD type (e.g. "md_image"). */
  files?: { path: string; type: string }[];
  /** Kernel environment (kenv) name -> value. */
  kenv?: Record<string, string>;
  /** Boot flags as kfreebsd takes them, e.g. ["-s", "-v"]; "-h" (RB_SERIAL) is always added. */
  flags?: string[];
}

/** Kenv a FreeBSD kernel needs to print on COM1 at 115200 (what FreeBSD's loader sets for console="comconsole"). */
export const SERIAL_CONSOLE_KENV: Readonly<Record<string, string>> = { "hw.uart.console": "io:0x3f8,br:115200" };

/** Printed by the script just before `boot`, so a benchmark can time GRUB's part. */
export const GRUB_BOOTING_LINE = "GRUB-KFREEBSD: booting";

/** The GRUB script: serial console, kfreebsd with -h, the files, kenv, boot. */
export function grubKfreebsdScript(b: GrubKfreebsdBoot): string {
  const q = (s: string): string => {
    if (/['\n]/.test(s)) throw new FreebsdFixtureError(`GRUB script value ${JSON.stringify(s)} holds a quote or newline`);
    return `'${s}'`;
  };
  const lines = [
    "serial --unit=0 --speed=115200",
    "terminal_input serial",
    "terminal_output serial",
    `kfreebsd ${q(b.kernel)} -h ${(b.flags ?? []).join(" ")}`.trimEnd(),
    ...(b.files ?? []).map((f) => `kfreebsd_module ${q(f.path)} type=${f.type}`),
    ...Object.entries({ ...SERIAL_CONSOLE_KENV, ...b.kenv }).map(([k, v]) => `set kFreeBSD.${k}=${q(v)}`),
    `echo ${GRUB_BOOTING_LINE}`,
    "boot",
  ];
  return lines.join("\n") + "\n";
}

/**
 * A bootable CD image (grub-mkrescue, BIOS) holding `files` (name -> path on
 * this machine, copied under /fbsd/) and a grub.cfg running
 * {@link grubKfreebsdScript} with `boot`; file paths in `boot` name them as
 * "/fbsd/<name>". Returns the image's bytes. Needs grub-pc-bin and xorriso.
 */
export function buildGrubKfreebsdIso(files: Record<string, string>, boot: GrubKfreebsdBoot): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "pxe-grub-fbsd-"));
  try {
    const tree = join(dir, "tree");
    mkdirSync(join(tree, "boot", "grub"), { recursive: true });
    mkdirSync(join(tree, "fbsd"));
    for (const [name, path] of Object.entries(files)) copyFileSync(path, join(tree, "fbsd", name));
    writeFileSync(join(tree, "boot", "grub", "grub.cfg"), `set timeout=0\n${grubKfreebsdScript(boot)}`);
    const iso = join(dir, "grub.iso");
    try {
      execFileSync("grub-mkrescue", ["-o", iso, tree], { stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
      throw new FreebsdFixtureError(`grub-mkrescue failed${stderr ? `: ${stderr.slice(-500)}` : ""}`, { cause: e });
    }
    return new Uint8Array(readFileSync(iso));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
