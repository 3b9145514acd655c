// pxehttp.0 with the PXE_NBP_FPU=sse engine (SSE2 doubles), booted once in
// QEMU: it must start, print the Hello PXE report and run commands. gcc keeps
// 16-byte SSE values in stack slots with movaps, which faults (CPU exception
// 13) unless start.S enters C with the stack aligned as the i386 ABI says;
// libbf's mp_divnorm (BigInt division, used by the boot report) does so.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { withQemu } from "../../../tools/qemu/harness.js";
import { buildNbp } from "../src/cli/build.js";
import { BOOT_TIMEOUT, checkBootReport, command, powerOff } from "./boot-checks.js";

const dir = mkdtempSync(join(tmpdir(), "pxe-nbp-sse-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("PXE_NBP_FPU=sse build, e1000, 128 MiB: boot report, mem, poweroff", async () => {
  await buildNbp({ out: join(dir, "pxehttp.0"), fpu: "sse" });
  await withQemu({ nic: "e1000", memoryMiB: 128, net: { kind: "user", tftpDir: dir, bootfile: "pxehttp.0" } }, async (vm) => {
    // A lookahead: the mark stays before the prompt for checkBootReport.
    const m = await vm.waitFor(/(?=(pxehttp> |\[nbp\] halted))/, BOOT_TIMEOUT);
    expect(m[1], vm.tail(2000)).toBe("pxehttp> ");
    await checkBootReport(vm, { mac: "52:54:00:12:34:56", ip: /^10\.0\.2\.15$/, server: "10.0.2.2", bootfile: "pxehttp.0", minUsableMiB: 100 });
    await command(vm, "mem", /usable: 1\d\d MiB in 2 ranges/);
    await powerOff(vm);
  });
}, 600_000);
