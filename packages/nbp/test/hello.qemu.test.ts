// System tests: pxehttp.0 PXE-booted by the iPXE ROM in QEMU (TCG), driven
// over its serial console. One boot per configuration, several checks each.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { withQemu } from "../../../tools/qemu/harness.js";
import { canRunDnsmasqLab, startDnsmasqLab } from "../../../tools/qemu/dnsmasq-lab.js";
import { buildNbp } from "../src/cli/build.js";
import { CMD_TIMEOUT, checkBootReport, command, powerOff } from "./boot-checks.js";

let tftpDir = "";
let image: Uint8Array;
let loaderFile: Uint8Array;

beforeAll(async () => {
  tftpDir = mkdtempSync(join(tmpdir(), "pxe-nbp-test-"));
  const { out, loaderOut } = await buildNbp({ out: join(tftpDir, "pxehttp.0") });
  image = new Uint8Array(readFileSync(out));
  loaderFile = new Uint8Array(readFileSync(loaderOut!));
}, 600_000);

afterAll(() => {
  if (tftpDir) rmSync(tftpDir, { recursive: true, force: true });
});

const user = () => ({ kind: "user" as const, tftpDir, bootfile: "pxehttp.0" });

describe("pxehttp.0 under QEMU user-mode networking", () => {
  test("e1000, 128 MiB: Hello PXE report, show, mem, help, stats, unknown command, PC keyboard, poweroff", async () => {
    await withQemu({ nic: "e1000", memoryMiB: 128, net: user(), monitor: true }, async (vm) => {
      await checkBootReport(vm, {
        mac: "52:54:00:12:34:56", ip: /^10\.0\.2\.15$/, server: "10.0.2.2", bootfile: "pxehttp.0",
        pciIds: "0x8086:0x100e", minUsableMiB: 100,
      });
      expect(vm.text()).toMatch(/gateway:\s+10\.0\.2\.2/);
      expect(vm.text()).toMatch(/DNS servers:\s+10\.0\.2\.3/);
      expect(vm.text()).toMatch(/received:\s+ARP reply: 10\.0\.2\.2 is at 52:55:0a:00:02:02/);
      await command(vm, "show", /ip:\s+10\.0\.2\.15[\s\S]*bootfile:\s+pxehttp\.0[\s\S]*pci:\s+0x8086:0x100e/);
      await command(vm, "mem", /0x0000000000100000\s+0x[0-9a-f]{16}\s+\d+ MiB\s+usable[\s\S]*usable: 1\d\d MiB in 2 ranges[\s\S]*heap used:\s+\d+(\.\d+)? [KM]iB\n\s+heap never used:\s+\d+ MiB\n\s+conventional free:\s+\d+ KiB/);
      const help = await command(vm, "help", /Commands:[\s\S]*Type 'help COMMAND'/);
      for (const c of ["help", "show", "mem", "stats", "reboot", "poweroff"]) expect(help).toMatch(new RegExp(`\\n\\s+${c}\\s`));
      await command(vm, "stats", /link\.tx\s+1\n/);
      await command(vm, "frobnicate", /error: unknown command 'frobnicate'/);
      // The PC keyboard (INT 16h through the thunk): type a command, then
      // recall it with the Up arrow (mapped to ESC [ A) and run it again.
      vm.mark();
      await vm.sendKeys("show pxe\n");
      await vm.waitFor(/show pxe\npxe:\n  version:\s+2\.1/, CMD_TIMEOUT);
      await vm.waitFor(/pxehttp> /, CMD_TIMEOUT);
      await vm.sendKeys("{up}\n");
      await vm.waitFor(/^show pxe\npxe:/, CMD_TIMEOUT);
      await vm.waitFor(/pxehttp> /, CMD_TIMEOUT);
      await powerOff(vm);
    });
  });

  test("rtl8139, 128 MiB: boot report and reboot (QEMU -no-reboot exits)", async () => {
    await withQemu({ nic: "rtl8139", memoryMiB: 128, net: user() }, async (vm) => {
      await checkBootReport(vm, {
        mac: "52:54:00:12:34:56", ip: /^10\.0\.2\.15$/, server: "10.0.2.2", bootfile: "pxehttp.0",
        pciIds: "0x10ec:0x8139", minUsableMiB: 100,
      });
      await command(vm, "show network", /ip:\s+10\.0\.2\.15/);
      vm.mark();
      vm.send("reboot");
      await vm.waitFor(/\[nbp\] rebooting/, 30_000);
      expect(await vm.waitExit(30_000)).toBe(0);
    });
  });

  test("without pxehttp.ldr beside it: a message naming the missing second stage", async () => {
    const lone = mkdtempSync(join(tmpdir(), "pxe-nbp-lone-"));
    try {
      writeFileSync(join(lone, "pxehttp.0"), image);
      await withQemu({ nic: "e1000", memoryMiB: 128, net: { kind: "user", tftpDir: lone, bootfile: "pxehttp.0" } }, async (vm) => {
        await vm.waitFor(/\[nbp\] loader pxehttp\.ldr: file not found on the TFTP server \(serve it beside pxehttp\.0\) \(PXE status 0x3b\); halted/, 240_000);
      });
    } finally {
      rmSync(lone, { recursive: true, force: true });
    }
  });

  test("virtio-net, 2 GiB: boot report, mem and poweroff", async () => {
    await withQemu({ nic: "virtio-net-pci", memoryMiB: 2048, net: user() }, async (vm) => {
      await checkBootReport(vm, {
        mac: "52:54:00:12:34:56", ip: /^10\.0\.2\.15$/, server: "10.0.2.2", bootfile: "pxehttp.0",
        pciIds: "0x1af4:0x1000", minUsableMiB: 1900,
      });
      await command(vm, "mem", /usable: (1\.9\d|2\.0\d?) GiB in 2 ranges/);
      await powerOff(vm);
    });
  });
});

describe.skipIf(!canRunDnsmasqLab())("pxehttp.0 served by dnsmasq (netns bridge + TAP)", () => {
  let lastText = "";
  test("e1000, 256 MiB: DHCP and TFTP from dnsmasq; the boot config found as pxelinux looks it up", async () => {
    // Only a 6-digit IP prefix exists: 01-<mac>, the 8- and 7-digit names and then it are asked for, in order.
    const config = new TextEncoder().encode("# pxehttp.0 boot config\nset dns.servers=192.168.77.9\n\nshow pxe\n");
    const lab = await startDnsmasqLab({
      files: { "pxehttp.0": image, "pxehttp.ldr": loaderFile, "pxehttp.cfg/C0A84D": config, "pxehttp.cfg/default": new TextEncoder().encode("show nothing-here\n") },
      bootfile: "pxehttp.0",
    });
    try {
      await withQemu(
        { nic: "e1000", memoryMiB: 256, netns: lab.netns, net: { kind: "tap", ifname: lab.tap }, mac: "52:54:00:aa:bb:01" },
        async (vm) => {
          lastText = "";
          await checkBootReport(vm, {
            mac: "52:54:00:aa:bb:01", ip: /^192\.168\.77\.(1[0-4]\d|150)$/, server: lab.serverIp, bootfile: "pxehttp.0",
            pciIds: "0x8086:0x100e", minUsableMiB: 200, domain: lab.domain,
          });
          expect(vm.text()).toMatch(/received:\s+ARP reply: 192\.168\.77\.1 is at/);
          expect(vm.text()).toMatch(/Boot config: pxehttp\.cfg\/C0A84D \(2 commands\)/);
          await vm.waitFor(/pxehttp> show pxe\npxe:\n\s+version:\s+2\.1/, CMD_TIMEOUT);
          await command(vm, "set", /dns\.servers:?\s+192\.168\.77\.9/);
          await command(vm, "show network", /domain:\s+pxe\.test/);
          lastText = vm.text();
          await powerOff(vm);
        },
      );
      expect(lab.log()).toMatch(/sent .*pxehttp\.0/);
      expect(lab.log()).toMatch(/sent .*pxehttp\.ldr/); // the second stage, fetched by pxehttp.0 itself
      // The names asked for, in pxelinux's order, up to the one that exists.
      const asked = [...lab.log().matchAll(/(?:file|cannot access|sent) \S*?(pxehttp\.cfg\/[0-9A-Za-z-]+)/g)].map((m) => m[1]);
      const ip = /client IP:\s+192\.168\.77\.(\d+)/.exec(lastText)![1];
      const hexIp = `C0A84D${Number(ip).toString(16).toUpperCase().padStart(2, "0")}`;
      expect(asked).toEqual(["pxehttp.cfg/01-52-54-00-aa-bb-01", `pxehttp.cfg/${hexIp}`, `pxehttp.cfg/${hexIp.slice(0, 7)}`, "pxehttp.cfg/C0A84D"]);
    } finally {
      await lab.stop();
    }
  });
});
