// Network test (root): acquireLease on our Stack over the undi TAP backend,
// against dnsmasq serving DHCP on the TAP's peer side in a network namespace
// this test makes. Then again through undi's ImpairedLink at 20% loss each
// way. The namespace, TAP and dnsmasq come from tools/lab.
// Needs Debian socat, iproute2, dnsmasq-base.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "@pxe/sockets";
import { ImpairedLink } from "@pxe/undi";
import { acquireLease, ipv4Text, parseIpv4Text, type DhcpLease } from "@pxe/dhcp";
import { Lab } from "../../../tools/lab/lab.js";
import { startDnsmasq } from "../../../tools/lab/servers.js";

const SERVER = "10.213.10.1";
const OUR_MAC = Uint8Array.of(0x02, 0x50, 0x58, 0x45, 0x0a, 0x02);
const MAC_TEXT = "02:50:58:45:0a:02";

let lab: Lab;

function expectLease(lease: DhcpLease, stack: Stack): void {
  expect(ipv4Text(lease.address)).toBe("10.213.10.50");
  expect(lease.subnetMask).toBe(0xffffff00);
  expect(lease.routers.map(ipv4Text)).toEqual([SERVER]);
  expect(lease.dnsServers.map(ipv4Text)).toEqual([SERVER, "10.213.10.9"]);
  expect(lease.domainName).toBe("lab.example");
  expect(lease.hostname).toBe("node7");
  expect(lease.bootFile).toBe("pxehttp.0");
  expect(lease.tftpServerName).toBe("bootsrv");
  expect(ipv4Text(lease.nextServer)).toBe(SERVER);
  expect(lease.rootPath).toBe("/srv/freebsd");
  expect(lease.wwwServers.map(ipv4Text)).toEqual([SERVER]);
  expect(lease.leaseTime).toBe(3600);
  expect(ipv4Text(lease.serverId!)).toBe(SERVER);
  // the stack is configured from the lease
  expect(stack.config.address).toBe(parseIpv4Text("10.213.10.50"));
  expect(stack.config.prefix).toBe(24);
  expect(stack.config.gateway).toBe(parseIpv4Text(SERVER));
  expect(stack.config.domain).toBe("lab.example");
}

describe("DHCP from dnsmasq over a TAP in a network namespace", () => {
  beforeAll(async () => {
    lab = await Lab.create({ name: "dhcp", subnet: "10.213.10", mac: OUR_MAC });
    await startDnsmasq(lab, ["--port=0", `--interface=${lab.ifname}`, "--bind-interfaces",
      "--dhcp-range=10.213.10.50,10.213.10.60,255.255.255.0,1h", `--dhcp-option=3,${SERVER}`, `--dhcp-option=6,${SERVER},10.213.10.9`,
      "--domain=lab.example", `--dhcp-boot=pxehttp.0,bootsrv,${SERVER}`, "--dhcp-option=17,/srv/freebsd", `--dhcp-option=72,${SERVER}`,
      `--dhcp-host=${MAC_TEXT},node7,10.213.10.50`, "--log-dhcp"]);
  }, 30_000);

  afterAll(async () => {
    await lab?.close();
  });

  it("acquires a lease with every option and configures the stack", async () => {
    const stack = lab.stack(lab.link, { config: null });
    const lease = await acquireLease(stack, { hostname: "node7", totalTimeoutMs: 30_000 });
    expectLease(lease, stack);
    // the configured stack talks to the server by unicast now
    const st = await stack.ping(SERVER, { count: 1, timeoutMs: 2000 });
    expect(st.received).toBe(1);
  });

  it("still gets the lease through 20% loss each way (retries with backoff)", async () => {
    let lost = 0;
    for (const seed of [11, 12, 13]) {
      const lossy = new ImpairedLink(lab.link, { seed, tx: { loss: 0.2 }, rx: { loss: 0.2 } });
      const stack = lab.stack(lossy, { config: null });
      // Shorter backoff keeps the wall-clock time of the test small; the schedule's shape is unit-tested.
      const lease = await acquireLease(stack, { totalTimeoutMs: 60_000, backoff: { initialMs: 500, maxMs: 4000, jitterMs: 100 } });
      expectLease(lease, stack);
      lost += lossy.txQueue.counters.lost + lossy.rxQueue.counters.lost;
    }
    expect(lost).toBeGreaterThan(0);
  }, 190_000);
});
