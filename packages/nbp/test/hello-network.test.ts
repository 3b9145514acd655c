// The default loader's network stack on a simulated PXE firmware with a
// peer on the wire (a second Stack at 10.0.2.2 serving DNS): configured
// from the cached ACK, ping, nslookup with a CNAME chain and NXDOMAIN, in
// Node and (tools/engine/run.mjs) inside QuickJS as in pxehttp.0.
import { encode, ManualClock, seededPlatform } from "@pxe/core";
import { dnsMessage, Rcode, RecordType, type DnsRecord } from "@pxe/dns";
import { MemoryLink } from "@pxe/ip/testing";
import { Stack } from "@pxe/sockets";
import { SimPxeFirmware } from "@pxe/undi/testing";
import { describe, expect, test } from "vitest";
import { runHelloPxe } from "../src/loader/hello-loader.js";
import { simHost, Stop } from "./sim-host.js";

const ZONE: Record<string, DnsRecord[]> = {
  "boot.test": [{ name: "boot.test", type: RecordType.A, class: 1, ttl: 300, data: "10.0.2.2" }],
  "www.boot.test": [{ name: "www.boot.test", type: RecordType.CNAME, class: 1, ttl: 60, data: "alias.boot.test" }],
  "alias.boot.test": [{ name: "alias.boot.test", type: RecordType.CNAME, class: 1, ttl: 60, data: "boot.test" }],
};

/** The peer: a Stack at 10.0.2.2 wired to the firmware, answering DNS on port 53. */
function peer(fw: SimPxeFirmware): { tick: (now: number) => void; queries: string[] } {
  const clock = new ManualClock(0);
  const link = new MemoryLink(Uint8Array.of(0x52, 0x55, 10, 0, 2, 2));
  link.open();
  const b = new Stack({ link, platform: seededPlatform(7, clock), config: { address: "10.0.2.2", prefix: 24 } });
  fw.onTransmit = (f) => void link.inbox.push(f.slice());
  const dns = b.udpSocket({ port: 53 });
  const queries: string[] = [];
  let sent = 0;
  const tick = (now: number): void => {
    clock.time = now;
    b.poll(now);
    for (let d = dns.tryRecvFrom(); d; d = dns.tryRecvFrom()) {
      const q = dnsMessage.decode(d.data, 0, d.data.length).value;
      const name = q.questions[0].name.toLowerCase();
      queries.push(name);
      const answers: DnsRecord[] = [];
      for (let n = name, i = 0; i < 8 && ZONE[n]; i++) {
        const rr = ZONE[n][0];
        answers.push(rr);
        if (rr.type !== RecordType.CNAME) break;
        n = String(rr.data);
      }
      const rcode = ZONE[name] ? Rcode.NoError : Rcode.NxDomain;
      dns.sendTo(encode(dnsMessage, { ...q, qr: true, ra: true, aa: true, rcode, answers, authorities: [], additionals: [] }), d.from);
    }
    for (; sent < link.sentFrames.length; sent++) fw.inject(link.sentFrames[sent]);
  };
  return { tick, queries };
}

describe("default loader: the network stack over the simulated UNDI", () => {
  test("configured from the cached ACK; ping, nslookup (CNAME chain, NXDOMAIN), ifconfig", async () => {
    const fw = new SimPxeFirmware();
    const p = peer(fw);
    const sim = simHost(
      fw,
      "ifconfig\rping 10.0.2.2 -c 2 -i 100\rset dns.servers=10.0.2.2\rnslookup www.boot.test\rnslookup nope.boot.test\rping boot.test -c 1\r",
      p.tick,
    );
    await expect(runHelloPxe(sim.host)).rejects.toThrow(Stop);
    const out = sim.out();
    expect(out).toMatch(/Network stack: 10\.0\.2\.15\/24 via 10\.0\.2\.2 \(from the cached DHCP ACK\)/);
    expect(out).toMatch(/address:\s+10\.0\.2\.15\/24/);
    expect(out).toMatch(/2 packets transmitted, 2 received, 0% packet loss/);
    expect(out).toMatch(/www\.boot\.test[\s\S]*alias\.boot\.test[\s\S]*10\.0\.2\.2/);
    expect(out).toMatch(/nope\.boot\.test[^\n]*(NXDOMAIN|does not exist|no such)/i);
    expect(out).toMatch(/1 packets transmitted, 1 received/);
    expect(p.queries).toContain("www.boot.test");
  });
});
