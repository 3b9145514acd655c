// Network test (root): a TAP in a network namespace this test makes, driven
// by the TAP backend; Linux's own ARP and ICMP answer. The namespace and its
// teardown come from tools/lab (LabNetns); the TAPs are made here, by TapLink
// itself and as a persistent TAP. Needs Debian socat and iproute2.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bytesEqual, internetChecksum } from "@pxe/core";
import { parsePcap, macToString } from "@pxe/undi";
import { TapLink } from "@pxe/undi/node";
import { ip, ipTry, killPid, LabNetns } from "../../../tools/lab/lab.js";

const LINUX_IP = [10, 213, 7, 1];
const OUR_IP = [10, 213, 7, 2];
const OUR_MAC = Uint8Array.of(0x02, 0x50, 0x58, 0x45, 0x00, 0x02);
let lab: LabNetns;
let NS: string;
let IF: string; // made by the TAP backend (socat)
let IF2: string; // made beforehand as a persistent TAP
let link: TapLink | undefined;
let socatPid: number | undefined;
let link2: TapLink | undefined;

function arpRequest(): Uint8Array {
  const f = new Uint8Array(42);
  f.fill(0xff, 0, 6);
  f.set(OUR_MAC, 6);
  f.set([0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1], 12);
  f.set(OUR_MAC, 22);
  f.set(OUR_IP, 28);
  f.set(LINUX_IP, 38);
  return f;
}

function echoRequest(dstMac: Uint8Array, id: number, payloadLen: number): Uint8Array {
  const f = new Uint8Array(14 + 20 + 8 + payloadLen);
  f.set(dstMac);
  f.set(OUR_MAC, 6);
  f.set([0x08, 0x00], 12);
  const iph = 14;
  const total = 20 + 8 + payloadLen;
  f.set([0x45, 0, total >> 8, total & 255, 0, id, 0x40, 0, 64, 1, 0, 0, ...OUR_IP, ...LINUX_IP], iph);
  const c = internetChecksum(f, iph, iph + 20);
  f[iph + 10] = c >> 8;
  f[iph + 11] = c & 255;
  const icmp = iph + 20;
  f.set([8, 0, 0, 0, 0x12, 0x34, 0, id], icmp);
  for (let i = 0; i < payloadLen; i++) f[icmp + 8 + i] = (i * 7 + id) & 255;
  const ic = internetChecksum(f, icmp, f.length);
  f[icmp + 2] = ic >> 8;
  f[icmp + 3] = ic & 255;
  return f;
}

describe("TAP backend in a network namespace", () => {
  const seen: Array<{ dir: "tx" | "rx"; frame: Uint8Array }> = [];

  beforeAll(async () => {
    // The lab's namespace has IPv6 off: no chatter (router solicitations, MLD) on the TAP, the exchange stays exactly ARP + ICMP.
    lab = await LabNetns.create({ name: "undi", subnet: "10.213.7" });
    NS = lab.ns;
    IF = lab.ifname;
    IF2 = `pp${IF.slice(2)}`;
    lab.onClose(async () => {
      await link?.dispose();
      await link2?.dispose();
    });
    lab.onClose(() => killPid(socatPid));
    lab.onClose(() => ipTry("-n", NS, "link", "del", IF2) || ipTry("link", "del", IF2)); // persistent: deleted by hand (in the root namespace if the move failed)
  });

  afterAll(async () => {
    await lab?.close();
  });

  const send = (f: Uint8Array) => {
    expect(link!.transmit(f)).toBe(true);
    seen.push({ dir: "tx", frame: f.slice() });
  };

  async function receiveUntil(pred: (f: Uint8Array) => boolean, ms: number): Promise<Uint8Array | undefined> {
    const deadline = Date.now() + ms;
    let hit: Uint8Array | undefined;
    while (!hit && Date.now() < deadline) {
      await link!.waitForFrame(Math.max(1, deadline - Date.now()));
      link!.poll(Date.now(), (f) => {
        seen.push({ dir: "rx", frame: f.slice() });
        if (!hit && pred(f)) hit = f.slice();
      });
    }
    return hit;
  }

  it("ARP request from the TAP backend gets Linux's real ARP reply; the pcap holds the same frames", async () => {
    const PCAP = join(lab.dir, "exchange.pcap");
    link = await TapLink.create({ ifname: IF, netns: NS, pcapFile: PCAP, mac: OUR_MAC });
    socatPid = link.socatPid;
    ip("-n", NS, "addr", "add", `${LINUX_IP.join(".")}/24`, "dev", IF);
    const linuxMac = lab.linuxMac();
    expect(ip("link", "show").includes(IF)).toBe(false);

    link.open();
    expect(await link.waitForFrame(50)).toBe(false);

    let reply: Uint8Array | undefined;
    for (let attempt = 0; attempt < 5 && !reply; attempt++) {
      send(arpRequest());
      reply = await receiveUntil((f) => f.length >= 42 && f[12] === 0x08 && f[13] === 0x06 && f[21] === 2, 1000);
    }
    expect(reply).toBeDefined();
    const r = reply!;
    expect(r.length).toBe(42);
    expect(macToString(r.subarray(0, 6))).toBe(macToString(OUR_MAC));
    expect(macToString(r.subarray(22, 28))).toBe(linuxMac);
    expect(Array.from(r.subarray(28, 32))).toEqual(LINUX_IP);
    expect(macToString(r.subarray(32, 38))).toBe(macToString(OUR_MAC));
    expect(Array.from(r.subarray(38, 42))).toEqual(OUR_IP);

    // Frame boundaries hold both ways: two back-to-back echo requests of
    // different sizes come back as two replies of exactly those sizes.
    const mac = r.subarray(22, 28).slice();
    const sizes = [1000, 1400 - 28];
    sizes.forEach((n, i) => send(echoRequest(mac, i + 1, n)));
    const replies = new Map<number, Uint8Array>();
    await receiveUntil((f) => {
      if (f.length > 34 && f[12] === 0x08 && f[13] === 0x00 && f[23] === 1 && f[34] === 0) replies.set(f[14 + 20 + 7], f.slice());
      return replies.size === 2;
    }, 3000);
    expect(replies.size).toBe(2);
    sizes.forEach((n, i) => {
      const e = replies.get(i + 1)!;
      expect(e.length).toBe(14 + 20 + 8 + n);
      for (let k = 0; k < n; k++) if (e[42 + k] !== ((k * 7 + i + 1) & 255)) throw new Error(`payload differs at ${k}`);
    });

    const stats = link.statistics();
    expect(stats.xmitGoodFrames).toBe(seen.filter((s) => s.dir === "tx").length);
    expect(stats.rcvGoodFrames).toBe(seen.filter((s) => s.dir === "rx").length);

    await link.dispose();
    expect(() => process.kill(socatPid!, 0)).toThrow();

    const file = parsePcap(new Uint8Array(readFileSync(PCAP)));
    expect(file.linktype).toBe(1);
    expect(file.records.length).toBe(seen.length);
    file.records.forEach((rec, i) => expect(bytesEqual(rec.data, seen[i].frame)).toBe(true));
    expect(file.records.some((rec) => bytesEqual(rec.data, r))).toBe(true);
  });

  it("attaches to an existing persistent TAP, which stays after dispose", async () => {
    ip("tuntap", "add", "dev", IF2, "mode", "tap");
    link2 = await TapLink.create({ ifname: IF2, netns: NS, mac: OUR_MAC });
    ip("-n", NS, "addr", "add", "10.213.8.1/24", "dev", IF2);
    link2.open();
    const req = arpRequest();
    req.set([10, 213, 8, 2], 28);
    req.set([10, 213, 8, 1], 38);
    let reply: Uint8Array | undefined;
    for (let attempt = 0; attempt < 5 && !reply; attempt++) {
      link2.transmit(req);
      const deadline = Date.now() + 1000;
      while (!reply && Date.now() < deadline) {
        await link2.waitForFrame(deadline - Date.now());
        link2.poll(0, (f) => {
          if (f.length === 42 && f[21] === 2) reply = f.slice();
        });
      }
    }
    expect(reply).toBeDefined();
    expect(Array.from(reply!.subarray(28, 32))).toEqual([10, 213, 8, 1]);
    await link2.dispose();
    expect(ip("-n", NS, "link", "show").includes(IF2)).toBe(true);
  });
});
