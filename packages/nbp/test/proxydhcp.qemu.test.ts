// docs/dnsmasq.md's proxyDHCP set-up, booted: an "existing" DHCP server
// (dnsmasq at .2, addresses only) and dnsmasq in proxy mode at .1 (boot
// information and TFTP) on one bridge; pxehttp.0 boots from the proxy and its
// boot report names the proxy as the TFTP server, not the DHCP server.
import { describe, expect, test } from "vitest";
import { withQemu } from "../../../tools/qemu/harness.js";
import { canRunDnsmasqLab, startDnsmasqLab } from "../../../tools/qemu/dnsmasq-lab.js";
import { checkBootReport, powerOff } from "./boot-checks.js";
import { defaultNbp } from "./freebsd-lab.js";

describe.skipIf(!canRunDnsmasqLab())("pxehttp.0 next to an existing DHCP server (dnsmasq proxyDHCP)", () => {
  test("e1000: address and router from the DHCP server, pxehttp.0 and its loader from the proxy's TFTP, which the report names", async () => {
    const { image, loader } = await defaultNbp();
    const lab = await startDnsmasqLab({ files: { "pxehttp.0": image, "pxehttp.ldr": loader }, bootfile: "pxehttp.0", proxyDhcp: true, subnet: "192.168.78" });
    try {
      expect(lab.dhcpServerIp).not.toBe(lab.serverIp);
      await withQemu({ nic: "e1000", memoryMiB: 256, netns: lab.netns, net: { kind: "tap", ifname: lab.tap }, mac: "52:54:00:aa:bb:02" }, async (vm) => {
        await checkBootReport(vm, {
          mac: "52:54:00:aa:bb:02", ip: /^192\.168\.78\.(1[0-4]\d|150)$/, server: lab.serverIp, bootfile: "pxehttp.0",
          pciIds: "0x8086:0x100e", minUsableMiB: 200, domain: lab.domain,
        });
        expect(vm.text()).toMatch(new RegExp(`gateway:\\s+${lab.dhcpServerIp.replace(/\./g, "\\.")}\\n`));
        await powerOff(vm);
      });
      expect(lab.log()).toMatch(/DHCPACK\(eth0\) 192\.168\.78\.\d+ 52:54:00:aa:bb:02/); // the address from the DHCP server
      expect(lab.log()).toMatch(/proxy/i);
      expect(lab.log()).toMatch(/sent .*pxehttp\.0/);
      expect(lab.log()).toMatch(/sent .*pxehttp\.ldr/); // fetched by pxehttp.0 itself, from the proxy
    } finally {
      await lab.stop();
    }
  });
});
