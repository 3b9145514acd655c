// The init and root fixtures on a real i386 FreeBSD kernel, loaded by
// Debian's GRUB (`kfreebsd`) from a CD: independent of our loader, this shows
// the fixtures are right, so a failure of the pxehttp.0 real-kernel tests
// is the loader's. Opt-in: PXE_FREEBSD_BOOT_DIR (tools/freebsd/boot-trees.ts).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startQemu, type QemuInstance } from "../qemu/harness.js";
import { freebsdBootTree, hasTree } from "./boot-trees.js";
import { buildGrubKfreebsdIso, type GrubKfreebsdBoot } from "./grub.js";
import { initLines } from "./init.js";
import { buildFreebsdRoot, MD_ROOT_MOUNTFROM } from "./rootfs.js";

const tree = freebsdBootTree("i386", "GENERIC");
const dir = mkdtempSync(join(tmpdir(), "pxe-grub-kfreebsd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bootWithGrub(flags: string[], kenvValue: string): Promise<QemuInstance> {
  if (!hasTree(tree)) throw new Error(tree.skipped);
  const root = join(dir, "root.iso");
  writeFileSync(root, buildFreebsdRoot("i386"));
  const boot: GrubKfreebsdBoot = {
    kernel: "/fbsd/kernel",
    files: [{ path: "/fbsd/root.iso", type: "md_image" }],
    kenv: { "vfs.root.mountfrom": MD_ROOT_MOUNTFROM, "pxe.test": kenvValue },
    flags,
  };
  const iso = join(dir, "grub.iso");
  writeFileSync(iso, buildGrubKfreebsdIso({ kernel: join(tree.kernelDir, "kernel"), "root.iso": root }, boot));
  return startQemu({
    qemu: "qemu-system-i386", memoryMiB: 256, net: { kind: "user", tftpDir: dir, bootfile: "none" },
    extraArgs: ["-cdrom", iso, "-boot", "d"],
  });
}

describe("FreeBSD init + cd9660 root on a real i386 GENERIC kernel, loaded by GRUB kfreebsd", () => {
  if (!hasTree(tree)) {
    it.skip(tree.skipped, () => {});
    return;
  }

  it("mounts the md root, init prints its marker, argv and the kenv value, then powers off", async () => {
    const vm = await bootWithGrub([], "grub-plain");
    try {
      await vm.waitFor(/FreeBSD 13\.\d-RELEASE/, 120_000);
      await vm.waitFor(/Trying to mount root from cd9660:\/dev\/md0/, 300_000);
      expect((await vm.waitFor(initLines.started(), 120_000))[1]).toBe("i386");
      expect((await vm.waitFor(initLines.argv(), 10_000))[1]).toBe("/sbin/init");
      expect((await vm.waitFor(initLines.kenv(), 10_000))[1]).toBe("grub-plain");
      await vm.waitFor(initLines.poweroff(), 10_000);
      await vm.waitExit(120_000);
    } finally {
      await vm.kill();
    }
  });

  it("boot -s -v: init gets -s, the kernel lists the preloaded kernel and md_image", async () => {
    const vm = await bootWithGrub(["-s", "-v"], "grub-single");
    try {
      await vm.waitFor(/Preloaded elf kernel "[^"]*kernel" at 0x[0-9a-f]+\./, 300_000);
      await vm.waitFor(/Preloaded md_image "[^"]*root\.iso" at 0x[0-9a-f]+\./, 10_000);
      expect((await vm.waitFor(initLines.argv(), 300_000))[1]).toBe("/sbin/init -s");
      expect((await vm.waitFor(initLines.kenv(), 10_000))[1]).toBe("grub-single");
      await vm.waitExit(120_000);
    } finally {
      await vm.kill();
    }
  });
});
