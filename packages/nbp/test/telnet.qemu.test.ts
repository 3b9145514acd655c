// System test: pxehttp.0 (QEMU, TCG, e1000) telnets into busybox telnetd.
// QEMU runs inside a lab namespace with user-mode net, so the guest's
// 10.0.2.2 is the namespace's 127.0.0.1, where busybox telnetd (Debian
// busybox-static) listens with a login script that starts sh. The guest
// logs in, runs a command and sees its output, then Ctrl-] and `quit` bring
// it back to the pxehttp> prompt.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { withQemu } from "../../../tools/qemu/harness.js";
import { LabNetns } from "../../../tools/lab/lab.js";
import { hasBusyboxTelnetd, startBusyboxTelnetd } from "../../../tools/lab/telnetd.js";
import { buildNbp } from "../src/cli/build.js";
import { BOOT_TIMEOUT, CMD_TIMEOUT } from "./boot-checks.js";

const PORT = 2323;
let tftpDir = "";
let lab: LabNetns | undefined;

beforeAll(async () => {
  if (!hasBusyboxTelnetd()) return;
  tftpDir = mkdtempSync(join(tmpdir(), "pxe-nbp-telnet-"));
  await buildNbp({ out: join(tftpDir, "pxehttp.0") });
  lab = await LabNetns.create({ name: "nbptel" });
  await startBusyboxTelnetd(lab, PORT, "127.0.0.1");
}, 600_000);

afterAll(async () => {
  await lab?.close();
  if (tftpDir) rmSync(tftpDir, { recursive: true, force: true });
});

describe("pxehttp.0: telnet from the console (QEMU, user-mode net in a lab namespace)", () => {
  test.skipIf(!hasBusyboxTelnetd())("telnet 10.0.2.2: a command's output, then Ctrl-] quit back at pxehttp>", async () => {
    await withQemu({ nic: "e1000", memoryMiB: 256, netns: lab!.ns, net: { kind: "user", tftpDir, bootfile: "pxehttp.0" } }, async (vm) => {
      await vm.waitFor(/pxehttp> /, BOOT_TIMEOUT);
      vm.mark();
      vm.send(`telnet 10.0.2.2 ${PORT}`);
      await vm.waitFor(/Connected to 10\.0\.2\.2:2323\.\nEscape character is '\^\]'\./, CMD_TIMEOUT);
      await vm.waitFor(/pxe\$ $/, CMD_TIMEOUT);
      vm.send("echo out-$((6*7)); stty size");
      const m = await vm.waitFor(/\nout-42\n(\d+) (\d+)\n/, CMD_TIMEOUT);
      expect(Number(m[1])).toBe(24); // NAWS: telnet.rows
      expect(Number(m[2])).toBeGreaterThan(0); // NAWS: the console's columns
      await vm.waitFor(/pxe\$ $/, CMD_TIMEOUT);
      vm.sendRaw("\x1d");
      await vm.waitFor(/telnet> $/, CMD_TIMEOUT);
      vm.send("status");
      await vm.waitFor(/Mode: character at a time; we do: NAWS; server does: ECHO SGA\./, CMD_TIMEOUT);
      vm.sendRaw("\x1d");
      await vm.waitFor(/telnet> $/, CMD_TIMEOUT);
      vm.send("quit");
      await vm.waitFor(/Connection closed\.\n/, CMD_TIMEOUT);
      await vm.waitFor(/pxehttp> $/, CMD_TIMEOUT);
      // The console works on after the session.
      vm.send("help telnet");
      await vm.waitFor(/telnet \[--direct\] HOST \[PORT\]/, CMD_TIMEOUT);
    });
  }, 900_000);
});
