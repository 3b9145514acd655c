// A custom loader built with the `pxe-nbp build` CLI, booted in QEMU: the
// host API checks itself from inside pxehttp.0 (onesSum equals onesSumTs,
// memory round trips, allocLow/allocHigh ranges, clock, E820) and prints the
// engine benchmark (recorded, never asserted: a test never fails on timing).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { withQemu } from "../../../tools/qemu/harness.js";
import { main } from "../src/cli/main.js";
import { BOOT_TIMEOUT } from "./boot-checks.js";

const dir = mkdtempSync(join(tmpdir(), "pxe-nbp-selftest-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("pxe-nbp build of a custom loader; host API self-test inside QEMU", async () => {
  const out = join(dir, "selftest.0");
  const code = await main(["build", join(__dirname, "fixtures", "selftest.ts"), "-o", out, "--quiet"]);
  expect(code).toBe(0);
  expect(statSync(out).size).toBeGreaterThan(100_000);
  await withQemu({ nic: "e1000", memoryMiB: 128, net: { kind: "user", tftpDir: dir, bootfile: "selftest.0" } }, async (vm) => {
    const m = await vm.waitFor(/SELFTEST (PASS|FAIL)/, BOOT_TIMEOUT);
    const bench = vm.text().split("\n").filter((l) => l.startsWith("BENCH"));
    console.log(`pxehttp.0 engine benchmark under QEMU TCG:\n${bench.join("\n")}`);
    expect(m[1], vm.tail(2000)).toBe("PASS");
    expect(vm.text()).toMatch(/onesSum: 300 cases compared/);
    expect(vm.text()).toMatch(/map keys: float-tagged integer (hits|misses) an int key/);
    expect(vm.text()).toMatch(/cached DHCP ACK: 10\.0\.2\.15 via !PXE, 10\.0\.2\.15 via PXENV\+/);
    expect(bench.length).toBe(3);
    expect(await vm.waitExit(30_000)).toBe(0);
  });
}, 600_000);

test("pxe-nbp rejects unknown options and missing entries", async () => {
  expect(await main(["build", "--frobnicate"])).toBe(2);
  expect(await main(["build", join(dir, "missing.ts"), "-o", join(dir, "x.0"), "--quiet"])).toBe(1);
  expect(await main([])).toBe(2);
});
