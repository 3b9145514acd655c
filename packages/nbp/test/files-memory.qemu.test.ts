// System test: files fetched into pxehttp.0's memory can be listed and
// freed, and running out of memory says what was asked, what is free and
// how to free it, for a download and for inflating a .gz that `load` got
// (QEMU, TCG, 48 MiB of RAM, nginx on the host's loopback).
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { withQemu, type QemuInstance } from "../../../tools/qemu/harness.js";
import { buildNbp } from "../src/cli/build.js";
import { BOOT_TIMEOUT, CMD_TIMEOUT, powerOff } from "./boot-checks.js";
import { startNginx, type HostServer } from "./host-servers.js";

const SIZE = 8 * 1024 * 1024;
const MFSROOT = 64 * 1024 * 1024;
let tftpDir = "";
let nginx: HostServer | undefined;
let sha = "";

beforeAll(async () => {
  tftpDir = mkdtempSync(join(tmpdir(), "pxe-nbp-files-"));
  await buildNbp({ out: join(tftpDir, "pxehttp.0") });
  const blob = randomBytes(SIZE);
  sha = createHash("sha256").update(blob).digest("hex");
  // 64 MiB of zeros in 64 KiB: downloads at once, cannot inflate in 48 MiB.
  nginx = await startNginx({ "blob.bin": blob, "mfsroot.gz": new Uint8Array(gzipSync(new Uint8Array(MFSROOT), { level: 9 })) });
}, 600_000);

afterAll(async () => {
  await nginx?.stop();
  if (tftpDir) rmSync(tftpDir, { recursive: true, force: true });
});

/** Types `line`; resolves with the text up to the next prompt. */
async function run(vm: QemuInstance, line: string, timeoutMs = CMD_TIMEOUT): Promise<string> {
  vm.mark();
  const from = vm.text().length;
  vm.send(line);
  await vm.waitFor(/\npxehttp> /, timeoutMs);
  return vm.text().slice(from);
}

test("fetch until memory runs out: the error names the file, its size, what is free and how to free; files and rm free it", async () => {
  await withQemu({ nic: "e1000", memoryMiB: 48, net: { kind: "user", tftpDir, bootfile: "pxehttp.0" } }, async (vm) => {
    await vm.waitFor(/pxehttp> /, BOOT_TIMEOUT);
    const url = `http://10.0.2.2:${nginx!.port}/blob.bin`;
    let kept = 0;
    let failure = "";
    for (let i = 1; i <= 8 && !failure; i++) {
      const out = await run(vm, `fetch ${url} --sha256 ${sha} -o f${i}`, 300_000);
      if (/checksum OK, 8388608 bytes in memory as 'f\d'/.test(out)) kept++;
      else failure = out;
    }
    expect(kept).toBeGreaterThan(0);
    expect(failure).toMatch(
      new RegExp(`error: fetch: out of memory for 'f${kept + 1}' from ${url.replace(/[.]/g, "\\.")} \\(8\\.00 MiB, 8388608 bytes\\); [\\d.]+ [KM]iB free; ${kept} files? in memory hold [\\d.]+ MiB: 'files' lists them, 'rm NAME' frees one`),
    );
    const list = await run(vm, "files");
    for (let i = 1; i <= kept; i++) expect(list).toMatch(new RegExp(`\\n +f${i} +8\\.00 MiB +8388608\\n`));
    expect(list).toMatch(new RegExp(`\\n${kept} files?, [\\d.]+ MiB, [\\d.]+ [KM]iB free; 'rm NAME' frees one\\n`));
    expect(await run(vm, "rm f1")).toMatch(/freed 8\.00 MiB \(1 file\)/);
    // The memory is really free again: the same fetch now fits.
    expect(await run(vm, `fetch ${url} --sha256 ${sha} -o again`, 300_000)).toMatch(/checksum OK, 8388608 bytes in memory as 'again'/);
    await powerOff(vm);
  });
}, 1_800_000);

test("a .gz that load cannot inflate for lack of memory says so (bytes needed, what is free, how to free), not 'bad gzip data'", async () => {
  await withQemu({ nic: "e1000", memoryMiB: 48, net: { kind: "user", tftpDir, bootfile: "pxehttp.0" } }, async (vm) => {
    await vm.waitFor(/pxehttp> /, BOOT_TIMEOUT);
    const base = `http://10.0.2.2:${nginx!.port}`;
    expect(await run(vm, `fetch ${base}/blob.bin --sha256 ${sha} -o held`, 300_000)).toMatch(/checksum OK/);
    const out = await run(vm, `load -t mfs_root ${base}/mfsroot.gz`, 300_000);
    expect(out).toMatch(
      new RegExp(
        `error: ${base.replace(/[.]/g, "\\.")}/mfsroot\\.gz: out of memory inflating gzip: needs ${MFSROOT + 1} bytes; [\\d.]+ [KM]iB free; ` +
          `1 file in memory hold 8\\.00 MiB: 'files' lists them, 'rm NAME' frees one`,
      ),
    );
    expect(out).not.toMatch(/bad gzip data/);
    // The console still works and nothing was kept.
    expect(await run(vm, "lsmod")).not.toMatch(/mfsroot/);
    expect(await run(vm, "rm held")).toMatch(/freed 8\.00 MiB \(1 file\)/);
    await powerOff(vm);
  });
}, 1_800_000);
