// The stub's other ways to the PXE API, forced with test-only stub builds:
// INT 1Ah AX=5650h when the ROM passes no pointers (then !PXE through
// PXENV+'s PXEPtr), and a PXENV+-only ROM (every call through RMEntry with
// ES:DI and BX, including the UNDI transmit and the console's stats).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { withQemu } from "../../../tools/qemu/harness.js";
import { buildNbp } from "../src/cli/build.js";
import { checkBootReport, command, powerOff } from "./boot-checks.js";

const dir = mkdtempSync(join(tmpdir(), "pxe-nbp-entry-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const expected = { mac: "52:54:00:12:34:56", ip: /^10\.0\.2\.15$/, server: "10.0.2.2", pciIds: "0x8086:0x100e", minUsableMiB: 100 };

describe("PXE API discovery and entry points", () => {
  test("INT 1Ah fallback: PXENV+ found by interrupt, !PXE through PXEPtr", async () => {
    await buildNbp({ out: join(dir, "int1a.0"), stubDefines: ["TEST_NO_ENTRY_POINTERS"] });
    await withQemu({ nic: "e1000", memoryMiB: 128, net: { kind: "user", tftpDir: dir, bootfile: "int1a.0" } }, async (vm) => {
      await checkBootReport(vm, { ...expected, bootfile: "int1a.0", entry: "!PXE", foundBy: "int1a" });
      await powerOff(vm);
    });
  }, 600_000);

  test("PXENV+-only: every call through RMEntry (ES:DI, BX)", async () => {
    await buildNbp({ out: join(dir, "pxenv.0"), stubDefines: ["TEST_NO_ENTRY_POINTERS", "TEST_NO_PXEPTR"] });
    await withQemu({ nic: "e1000", memoryMiB: 128, net: { kind: "user", tftpDir: dir, bootfile: "pxenv.0" } }, async (vm) => {
      await checkBootReport(vm, { ...expected, bootfile: "pxenv.0", entry: "PXENV+", foundBy: "int1a" });
      await command(vm, "stats", /link\.tx\s+1\n/);
      await command(vm, "show pxe", /entry:\s+PXENV\+/);
      await powerOff(vm);
    });
  }, 600_000);
});
