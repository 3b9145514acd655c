// Network test (root): our Stack on the undi TAP backend, against Linux's own
// stack in a network namespace this test makes. ARP both ways, pings both
// ways (busybox ping in the namespace), UDP echo with a python3 echo server,
// fragmented UDP, and ICMP port unreachable from Linux delivered to our socket.
// The namespace and TAP come from tools/lab. Needs Debian socat, iproute2,
// busybox, python3.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesEqual } from "@pxe/core";
import { formatMac, IcmpErrorReport, parseIpv4 } from "@pxe/ip";
import type { Stack } from "@pxe/sockets";
import { ip, Lab } from "../../../tools/lab/lab.js";

const LINUX = "10.213.9.1";
const OURS = "10.213.9.2";
const OUR_MAC = Uint8Array.of(0x02, 0x50, 0x58, 0x45, 0x09, 0x02);
const ECHO_PORT = 7777;

let lab: Lab;
let stack: Stack | undefined;
let linuxMac = "";

describe("Stack on a TAP in a network namespace, against Linux", () => {
  beforeAll(async () => {
    lab = await Lab.create({ name: "ip", subnet: "10.213.9", mac: OUR_MAC });
    linuxMac = lab.linuxMac();
    stack = lab.stack();
    lab.spawn("udp-echo", "python3", ["-c",
      `import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(('0.0.0.0',${ECHO_PORT}))\nwhile True:\n d,a=s.recvfrom(65535)\n s.sendto(d,a)`]);
  }, 30_000);

  afterAll(async () => {
    stack?.close();
    await lab?.close();
  });

  it("we ping Linux (ARP first) and get every reply", async () => {
    const st = await stack!.ping(LINUX, { count: 3, intervalMs: 200, timeoutMs: 2000 });
    expect(st).toMatchObject({ transmitted: 3, received: 3, lossPercent: 0 });
    const e = stack!.arpEntries().find((x) => x.address === parseIpv4(LINUX));
    expect(e && e.mac && formatMac(e.mac)).toBe(linuxMac);
  });

  it("Linux pings us (and learns our MAC by ARP)", async () => {
    ip("-n", lab.ns, "neigh", "flush", "dev", lab.ifname);
    const r = await lab.run(["busybox", "ping", "-c", "3", "-W", "2", OURS], { poll: stack! });
    expect(r.out).toMatch(/3 packets transmitted, 3 packets received/);
    expect(r.code).toBe(0);
    expect(ip("-n", lab.ns, "neigh", "show", OURS)).toContain(formatMac(OUR_MAC));
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
