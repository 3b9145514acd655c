/**
 * Real FreeBSD kernels for the opt-in tests. They are never in the
 * repository: the environment variable PXE_FREEBSD_BOOT_DIR names a
 * directory holding FreeBSD /boot trees, one per subdirectory:
 *
 *     $PXE_FREEBSD_BOOT_DIR/amd64-GENERIC/boot/kernel/kernel
 *     $PXE_FREEBSD_BOOT_DIR/amd64-MINIMAL/boot/kernel/{kernel,cd9660.ko}
 *     $PXE_FREEBSD_BOOT_DIR/i386-GENERIC/boot/kernel/kernel
 *     $PXE_FREEBSD_BOOT_DIR/i386-MINIMAL/boot/kernel/{kernel,cd9660.ko}
 *     $PXE_FREEBSD_BOOT_DIR/amd64-GENERIC-gz/boot/kernel/kernel.gz   (gzip -9 of GENERIC's kernel)
 *
 * (an unpacked release's kernel.txz gives such a tree for GENERIC; MINIMAL
 * here means a kernel config that includes MINIMAL and adds `device md`
 * and `device uart`, shared/DESIGN.md §5). amd64 modules must come from a
 * compiler FreeBSD's kernel linker can take: upstream clang before 19 (e.g.
 * Debian 12's clang 14) reaches __stack_chk_guard through the GOT
 * (R_X86_64_REX_GOTPCRELX), which the kernel cannot relocate and kboot
 * refuses (RelocationError); build such modules with MK_SSP=no (FreeBSD's
 * own clang needs nothing). Tests ask for a tree and, when
 * it is missing, register a skipped test whose name says what to set.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { FreebsdArch } from "./init.js";

/** The environment variable naming the directory of FreeBSD /boot trees. */
export const FREEBSD_BOOT_DIR_ENV = "PXE_FREEBSD_BOOT_DIR";

/** The kernel configurations the tests use ("GENERIC-gz": GENERIC's kernel as kernel.gz only). */
export type FreebsdKernconf = "GENERIC" | "MINIMAL" | "GENERIC-gz";

/** One tree: its root (the directory holding `boot/`) and kernel directory. */
export interface FreebsdBootTree {
  readonly arch: FreebsdArch;
  readonly kernconf: FreebsdKernconf;
  /** The directory holding `boot/` (what a web server would serve). */
  readonly root: string;
  /** `<root>/boot/kernel`. */
  readonly kernelDir: string;
}

/**
 * The tree `<arch>-<kernconf>` holding `kernel` (default "kernel") and
 * `needs` in boot/kernel, or why it is not there (a sentence starting with
 * "skipped:").
 */
export function freebsdBootTree(arch: FreebsdArch, kernconf: FreebsdKernconf, needs: string[] = [], kernel = "kernel"): FreebsdBootTree | { skipped: string } {
  const base = process.env[FREEBSD_BOOT_DIR_ENV];
  const name = `${arch}-${kernconf}`;
  const wanted = [kernel, ...needs];
  const layout = `${name}/boot/kernel/{${wanted.join(",")}}`;
  if (!base) return { skipped: `skipped: set ${FREEBSD_BOOT_DIR_ENV} to a directory of FreeBSD 13 /boot trees (${layout}); see tools/freebsd/boot-trees.ts` };
  const root = join(base, name);
  const kernelDir = join(root, "boot", "kernel");
  const missing = wanted.filter((f) => !existsSync(join(kernelDir, f)));
  if (missing.length) return { skipped: `skipped: ${FREEBSD_BOOT_DIR_ENV}=${base} has no ${missing.map((f) => `${name}/boot/kernel/${f}`).join(", ")}` };
  return { arch, kernconf, root, kernelDir };
}

/** True when {@link freebsdBootTree} found the tree. */
export function hasTree(t: FreebsdBootTree | { skipped: string }): t is FreebsdBootTree {
  return !("skipped" in t);
}
