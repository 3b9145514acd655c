// Network test (root): our Stack on the undi TAP backend, against Linux's own
// stack in a network namespace this test makes. ARP both ways, pings both
// ways (busybox ping in the namespace), UDP echo with a python3 echo server,
// fragmented UDP, and ICMP port unreachable from Linux delivered to our socket.
// Needs Debian socat, iproute2, busybox, python3.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { bytesEqual, type Platform } from "@pxe/core";
import { formatMac, IcmpErrorReport, parseIpv4 } from "@pxe/ip";
import { Stack } from "@pxe/sockets";
import { nodeHost } from "@pxe/sockets/node";
import { TapLink } from "@pxe/undi/node";

const tag = `${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
const NS = `pxeip-${tag}`;
const IF = `pxi${tag}`.slice(0, 15);
const LINUX = "10.213.9.1";
const OURS = "10.213.9.2";
const OUR_MAC = Uint8Array.of(0x02, 0x50, 0x58, 0x45, 0x09, 0x02);
const ECHO_PORT = 7777;

let link: TapLink | undefined;
let stack: Stack | undefined;
let echo: ChildProcess | undefined;
let linuxMac = "";

const ip = (...args: string[]) => execFileSync("ip", args, { encoding: "utf8" });
const platform: Platform = { now: () => performance.now(), randomBytes: (b) => void randomFillSync(b), write: (s) => void process.stdout.write(s) };

/** Runs a command in the namespace while our stack keeps being polled. */
async function inNs(cmd: string[]): Promise<{ code: number; out: string }> {
  let result: { code: number; out: string } | undefined;
  execFile("ip", ["netns", "exec", NS, ...cmd], { encoding: "utf8", timeout: 20_000 }, (err, stdout, stderr) => {
    result = { code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr };
  });
  await stack!.waitFor(() => result !== undefined, stack!.now() + 25_000);
  return result ?? { code: -1, out: "timed out" };
}

describe("Stack on a TAP in a network namespace, against Linux", () => {
  beforeAll(async () => {
    ip("netns", "add", NS);
    execFileSync("ip", ["netns", "exec", NS, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1", "net.ipv6.conf.all.disable_ipv6=1"]);
    link = await TapLink.create({ ifname: IF, netns: NS, mac: OUR_MAC });
    ip("-n", NS, "addr", "add", `${LINUX}/24`, "dev", IF);
    ip("-n", NS, "link", "set", "lo", "up");
    linuxMac = JSON.parse(ip("-n", NS, "-j", "link", "show", "dev", IF))[0].address;
    const tap = link;
    stack = new Stack({ link, platform, config: { address: OURS, prefix: 24 }, driver: nodeHost({ wake: (l) => tap.onReadable(l), maxSleepMs: 5 }) });
    echo = spawn("ip", ["netns", "exec", NS, "python3", "-c",
      `import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(('0.0.0.0',${ECHO_PORT}))\nwhile True:\n d,a=s.recvfrom(65535)\n s.sendto(d,a)`], { stdio: "ignore" });
  }, 30_000);

  afterAll(async () => {
    try {
      stack?.close();
      echo?.kill("SIGKILL");
      await link?.dispose();
    } finally {
      for (const args of [["-n", NS, "link", "del", IF], ["netns", "del", NS]]) {
        try {
          execFileSync("ip", args, { stdio: "ignore" });
        } catch {
          // already gone
        }
      }
    }
  });

  it("we ping Linux (ARP first) and get every reply", async () => {
    const st = await stack!.ping(LINUX, { count: 3, intervalMs: 200, timeoutMs: 2000 });
    expect(st).toMatchObject({ transmitted: 3, received: 3, lossPercent: 0 });
    const e = stack!.arpEntries().find((x) => x.address === parseIpv4(LINUX));
    expect(e && e.mac && formatMac(e.mac)).toBe(linuxMac);
  });

  it("Linux pings us (and learns our MAC by ARP)", async () => {
    ip("-n", NS, "neigh", "flush", "dev", IF);
    const r = await inNs(["busybox", "ping", "-c", "3", "-W", "2", OURS]);
    expect(r.out).toMatch(/3 packets transmitted, 3 packets received/);
    expect(r.code).toBe(0);
    expect(ip("-n", NS, "neigh", "show", OURS)).toContain(formatMac(OUR_MAC));
    expect(stack!.stats().icmp.sent).toBeGreaterThanOrEqual(3);
  });

  it("UDP echo through a Linux echo server, small and fragmented", async () => {
    const s = stack!.socket("dgram");
    await s.connect({ address: LINUX, port: ECHO_PORT });
    for (const size of [5, 1472, 4000, 20000]) {
      const data = Uint8Array.from({ length: size }, (_, i) => (i * 13 + size) & 255);
      let back: Uint8Array | undefined;
      for (let attempt = 0; attempt < 5 && !back; attempt++) {
        await s.send(data);
        back = await s.recv({ timeoutMs: 1000 }).catch(() => undefined);
      }
      expect(back && bytesEqual(back, data), `echo of ${size} bytes`).toBe(true);
    }
    expect(stack!.stats().reassembly.reassembled).toBeGreaterThanOrEqual(2);
    s.close();
  });

  it("Linux's ICMP port unreachable reaches the socket that sent the datagram", async () => {
    const s = stack!.socket("dgram");
    await s.connect({ address: LINUX, port: ECHO_PORT + 1 });
    await s.send(Uint8Array.of(1, 2, 3));
    const e = await s.recv({ timeoutMs: 2000 }).catch((x) => x);
    expect(e).toBeInstanceOf(IcmpErrorReport);
    expect((e as IcmpErrorReport).port).toBe(ECHO_PORT + 1);
    s.close();
  });

  it("counters account for every frame received", () => {
    const s = stack!.stats().link;
    let d = 0;
    for (const k in s.dropped) d += s.dropped[k];
    expect(s.received).toBe(s.delivered + d);
    expect(s.received).toBeGreaterThan(10);
  });
});
