/**
 * Memory benchmark (not a test): at which guest RAM (`-m`) pxehttp.0 can
 * inflate a large `mfsroot.gz`. For each size given, a fresh QEMU (TCG,
 * e1000, user-mode net) boots the pxehttp.0 built from this tree, prints
 * `mem` (its heap), then runs `load -t mfs_root http://10.0.2.2:PORT/mfsroot.gz`
 * against nginx on the host's loopback. The file is SIZE MiB of zeros,
 * compressed here with zlib level 9 (as `gzip -9`). Printed per size: the
 * heap line of `mem`, the console's gzip line (or the error) and the time
 * from typing `load` to the prompt. With no kernel loaded the load itself
 * then ends with "no kernel loaded": the inflate is what is measured.
 *
 *   flock -s /tmp/pxe-qemu.lock npx tsx --tsconfig tsconfig.node.json tools/bench/gunzip-memory.ts [--size 64] 72 76 96
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { withQemu, type QemuInstance } from "../qemu/harness.js";
import { startNginx } from "../../packages/nbp/test/host-servers.js";
import { buildNbp } from "../../packages/nbp/src/cli/build.js";

const args = process.argv.slice(2);
const sizeAt = args.indexOf("--size");
const sizeMiB = sizeAt >= 0 ? Number(args.splice(sizeAt, 2)[1]) : 64;
const memories = args.map(Number);
if (!Number.isInteger(sizeMiB) || sizeMiB < 1) throw new Error(`--size: not a whole number of MiB >= 1`);
if (memories.length === 0 || memories.some((m) => !Number.isInteger(m) || m < 16)) {
  throw new Error("usage: gunzip-memory.ts [--size MIB] RAM_MIB ... (each >= 16)");
}

/** Types `line` at the prompt; resolves with the text up to the next prompt. */
async function run(vm: QemuInstance, line: string, timeoutMs: number): Promise<string> {
  const from = vm.text().length;
  vm.send(line);
  await vm.waitFor(/\npxehttp> /, timeoutMs);
  return vm.text().slice(from).replace(/\r/g, "");
}

const tftpDir = mkdtempSync(join(tmpdir(), "pxe-bench-gunzip-mem-"));
const gz = new Uint8Array(gzipSync(new Uint8Array(sizeMiB * 1024 * 1024), { level: 9 }));
const nginx = await startNginx({ "mfsroot.gz": gz });
try {
  await buildNbp({ out: join(tftpDir, "pxehttp.0") });
  console.log(`mfsroot.gz: ${sizeMiB} MiB of zeros, ${gz.length} bytes gzip -9`);
  for (const m of memories) {
    await withQemu({ nic: "e1000", memoryMiB: m, net: { kind: "user", tftpDir, bootfile: "pxehttp.0" } }, async (vm) => {
      await vm.waitFor(/pxehttp> /, 300_000);
      const heap = (await run(vm, "mem", 30_000)).split("\n").filter((l) => /heap/.test(l)).map((l) => l.trim());
      const t0 = Date.now();
      const out = await run(vm, `load -t mfs_root http://10.0.2.2:${nginx.port}/mfsroot.gz`, 900_000);
      const result = out.split("\n").filter((l) => /: gzip, |out of memory|bad gzip/.test(l));
      console.log(`-m ${m}: ${heap.join("; ")}\n  ${result.join("\n  ") || out.trim()}\n  load to prompt ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    });
  }
} finally {
  await nginx.stop();
  rmSync(tftpDir, { recursive: true, force: true });
}
