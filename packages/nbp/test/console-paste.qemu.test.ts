// System test: lines pasted into pxehttp.0's serial console arrive whole and
// in order, under the two QEMU set-ups users meet: `-nographic` (npm run
// demo, the dnsmasq guide; SeaBIOS's serial console then also takes COM1
// bytes into the 15-key BIOS keyboard buffer) and `-serial stdio`. Each
// paste is one write into QEMU's serial chardev, so QEMU feeds the 16550 as
// fast as the guest empties its FIFO. `echo` prints what the console got.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { withQemu, type QemuInstance } from "../../../tools/qemu/harness.js";
import { buildNbp } from "../src/cli/build.js";
import { BOOT_TIMEOUT, CMD_TIMEOUT, powerOff } from "./boot-checks.js";

let tftpDir = "";

beforeAll(async () => {
  tftpDir = mkdtempSync(join(tmpdir(), "pxe-nbp-paste-"));
  await buildNbp({ out: join(tftpDir, "pxehttp.0") });
}, 600_000);

afterAll(() => {
  if (tftpDir) rmSync(tftpDir, { recursive: true, force: true });
});

/** `n` printable characters (no quotes, backslash or runs of spaces, which echo would change), seeded. */
function pasteText(n: number, seed: number): string {
  const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&()*+,;=%^{}|<>` ";
  let x = seed >>> 0 || 1;
  let s = "";
  while (s.length < n) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    const c = chars.charAt(x % chars.length);
    if (c === " " && (s.length === 0 || s.endsWith(" ") || s.length === n - 1)) continue;
    s += c;
  }
  return s;
}

/** Pastes `echo TEXT` lines in one write and checks each echoed line byte for byte. */
async function pasteAndCheck(vm: QemuInstance, texts: string[]): Promise<void> {
  vm.mark();
  const before = vm.text().length;
  vm.sendRaw(texts.map((t) => `echo ${t}\r`).join(""));
  for (let i = 0; i < texts.length; i++) await vm.waitFor(/pxehttp> /, CMD_TIMEOUT * 4);
  const got = vm.text().slice(before).split("\n");
  for (const t of texts) expect(got, `echo of a ${t.length}-character paste`).toContain(t);
}

describe.each(["nographic", "stdio"] as const)("serial console paste, QEMU -serial %s", (serial) => {
  test("200-character lines pasted at once arrive whole, one per paste and three in one paste", async () => {
    await withQemu({ nic: "e1000", memoryMiB: 128, serial, net: { kind: "user", tftpDir, bootfile: "pxehttp.0" } }, async (vm) => {
      await vm.waitFor(/pxehttp> /, BOOT_TIMEOUT);
      for (let seed = 1; seed <= 5; seed++) await pasteAndCheck(vm, [pasteText(200, seed)]);
      await pasteAndCheck(vm, [pasteText(200, 6), pasteText(120, 7), pasteText(200, 8)]);
      await powerOff(vm);
    });
  });
});
