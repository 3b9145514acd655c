/**
 * The memory-disk root for real-kernel boots: a cd9660 image (Rock Ridge,
 * for names and modes) holding the test's /sbin/init and an empty /dev,
 * where the kernel mounts devfs. Preloaded as an `md_image` with
 * `vfs.root.mountfrom="cd9660:/dev/md0"`, a FreeBSD kernel mounts it as
 * root and starts /sbin/init. Needs nasm and xorriso.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildFreebsdInit, FreebsdFixtureError, type FreebsdArch, type FreebsdInitOptions } from "./init.js";

/** The kenv `vfs.root.mountfrom` value that mounts the image as root. */
export const MD_ROOT_MOUNTFROM = "cd9660:/dev/md0";

/** Builds the cd9660 root image for `arch`; returns its bytes. */
export function buildFreebsdRoot(arch: FreebsdArch, opts: FreebsdInitOptions = {}): Uint8Array {
  const init = buildFreebsdInit(arch, opts);
  const dir = mkdtempSync(join(tmpdir(), "pxe-fbsd-root-"));
  try {
    const tree = join(dir, "tree");
    mkdirSync(join(tree, "sbin"), { recursive: true });
    mkdirSync(join(tree, "dev"));
    writeFileSync(join(tree, "sbin", "init"), init);
    chmodSync(join(tree, "sbin", "init"), 0o755);
    const iso = join(dir, "root.iso");
    try {
      execFileSync("xorriso", ["-as", "mkisofs", "-R", "-V", "PXEROOT", "-o", iso, tree], { stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
      throw new FreebsdFixtureError(`xorriso could not build the cd9660 root${stderr ? `: ${stderr.slice(-500)}` : ""}`, { cause: e });
    }
    return new Uint8Array(readFileSync(iso));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
