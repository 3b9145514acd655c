// Network test (root): acquireLease on our Stack over the undi TAP backend,
// against dnsmasq serving DHCP on the TAP's peer side in a network namespace
// this test makes. Then again through undi's ImpairedLink at 20% loss each
// way. Needs Debian socat, iproute2, dnsmasq-base.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Platform } from "@pxe/core";
import { Stack } from "@pxe/sockets";
import { nodeHost } from "@pxe/sockets/node";
import { ImpairedLink } from "@pxe/undi";
import { TapLink } from "@pxe/undi/node";
import { acquireLease, ipv4Text, parseIpv4Text, type DhcpLease } from "@pxe/dhcp";

const tag = `${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
const NS = `pxedhcp-${tag}`;
const IF = `pxd${tag}`.slice(0, 15);
const SERVER = "10.213.10.1";
const OUR_MAC = Uint8Array.of(0x02, 0x50, 0x58, 0x45, 0x0a, 0x02);
const MAC_TEXT = "02:50:58:45:0a:02";
const dir = mkdtempSync(join(tmpdir(), "pxe-dhcp-net-"));

let link: TapLink | undefined;
let dnsmasq: ChildProcess | undefined;

const ip = (...args: string[]) => execFileSync("ip", args, { encoding: "utf8" });
const platform: Platform = { now: () => performance.now(), randomBytes: (b) => void randomFillSync(b), write: (s) => void process.stdout.write(s) };

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
    ip("netns", "add", NS);
    link = await TapLink.create({ ifname: IF, netns: NS, mac: OUR_MAC });
    ip("-n", NS, "addr", "add", `${SERVER}/24`, "dev", IF);
    ip("-n", NS, "link", "set", "lo", "up");
    dnsmasq = spawn("ip", ["netns", "exec", NS, "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--user=root", "--port=0", `--interface=${IF}`, "--bind-interfaces",
      "--dhcp-range=10.213.10.50,10.213.10.60,255.255.255.0,1h", `--dhcp-option=3,${SERVER}`, `--dhcp-option=6,${SERVER},10.213.10.9`,
      "--domain=lab.example", `--dhcp-boot=pxehttp.0,bootsrv,${SERVER}`, "--dhcp-option=17,/srv/freebsd", `--dhcp-option=72,${SERVER}`,
      `--dhcp-host=${MAC_TEXT},node7,10.213.10.50`, `--dhcp-leasefile=${join(dir, "leases")}`, `--pid-file=${join(dir, "pid")}`,
      "--log-dhcp", `--log-facility=${join(dir, "log")}`], { stdio: "ignore" });
    for (let i = 0; i < 50 && !existsSync(join(dir, "pid")); i++) await new Promise((r) => setTimeout(r, 100));
  }, 30_000);

  afterAll(async () => {
    try {
      dnsmasq?.kill("SIGKILL");
      if (existsSync(join(dir, "pid"))) {
        try {
          process.kill(Number(readFileSync(join(dir, "pid"), "utf8").trim()), "SIGKILL");
        } catch {
          // already gone
        }
      }
      await link?.dispose();
    } finally {
      for (const args of [["-n", NS, "link", "del", IF], ["netns", "del", NS]]) {
        try {
          execFileSync("ip", args, { stdio: "ignore" });
        } catch {
          // already gone
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("acquires a lease with every option and configures the stack", async () => {
    const stack = new Stack({ link: link!, platform, driver: nodeHost() });
    const lease = await acquireLease(stack, { hostname: "node7", totalTimeoutMs: 30_000 });
    expectLease(lease, stack);
    // the configured stack talks to the server by unicast now
    const st = await stack.ping(SERVER, { count: 1, timeoutMs: 2000 });
    expect(st.received).toBe(1);
  });

  it("still gets the lease through 20% loss each way (retries with backoff)", async () => {
    let lost = 0;
    for (const seed of [11, 12, 13]) {
      const lossy = new ImpairedLink(link!, { seed, tx: { loss: 0.2 }, rx: { loss: 0.2 } });
      const stack = new Stack({ link: lossy, platform, driver: nodeHost() });
      // Shorter backoff keeps the wall-clock time of the test small; the schedule's shape is unit-tested.
      const lease = await acquireLease(stack, { totalTimeoutMs: 60_000, backoff: { initialMs: 500, maxMs: 4000, jitterMs: 100 } });
      expectLease(lease, stack);
      lost += lossy.txQueue.counters.lost + lossy.rxQueue.counters.lost;
    }
    expect(lost).toBeGreaterThan(0);
  }, 190_000);
});
