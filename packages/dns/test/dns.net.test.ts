// Network test (root): StackResolver on our Stack over the undi TAP backend,
// against dnsmasq serving DNS on the TAP's peer side in a network namespace
// this test makes: A, AAAA, a CNAME chain, NXDOMAIN, the search domain, and a
// record set over 512 bytes (TC over UDP: DnsTruncatedError until TCP lands).
// Then again through undi's ImpairedLink at 20% loss each way. The namespace,
// TAP and dnsmasq come from tools/lab.
// Needs Debian socat, iproute2, dnsmasq-base.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImpairedLink, type LinkDriver } from "@pxe/undi";
import { installTcp } from "@pxe/tcp";
import { DnsNxDomainError, DnsTruncatedError, RecordType, StackResolver } from "@pxe/dns";
import { Lab } from "../../../tools/lab/lab.js";
import { startDnsmasq } from "../../../tools/lab/servers.js";

const SERVER = "10.213.11.1";
let lab: Lab;

/** Our stack at 10.213.11.2/24 with dnsmasq as its DNS server and lab.example as the search domain. */
const stackOn = (link: LinkDriver = lab.link) => lab.stack(link, { config: { dns: [SERVER], domain: "lab.example" } });

async function checkAll(r: StackResolver): Promise<void> {
  const a = await r.lookup("host.lab.example");
  expect(a.addresses).toEqual(["10.213.11.5"]);
  expect(a.server).toBe(SERVER);
  expect((await r.lookup("host.lab.example", RecordType.AAAA)).addresses).toEqual(["fd00:213::5"]);
  const chain = await r.lookup("www.lab.example");
  expect(chain.chain).toEqual(["www.lab.example", "alias.lab.example", "host.lab.example"]);
  expect(chain.addresses).toEqual(["10.213.11.5"]);
  const short = await r.lookup("host");
  expect(short.queriedName).toBe("host.lab.example");
  const nx = await r.lookup("nope.lab.example").catch((e) => e);
  expect(nx).toBeInstanceOf(DnsNxDomainError);
  expect(nx.qname).toBe("nope.lab.example");
  expect(nx.server).toBe(SERVER);
}

describe("DNS from dnsmasq over a TAP in a network namespace", () => {
  beforeAll(async () => {
    lab = await Lab.create({ name: "dns", subnet: "10.213.11", mac: Uint8Array.of(0x02, 0x50, 0x58, 0x45, 0x0b, 0x02) });
    const big = lab.writeConfig("big.hosts", Array.from({ length: 60 }, (_, i) => `10.213.12.${i + 1} big.lab.example\n`).join(""));
    await startDnsmasq(lab, ["--port=53", `--listen-address=${SERVER}`,
      "--bind-interfaces", "--no-resolv", "--no-hosts", `--addn-hosts=${big}`, "--local-ttl=60",
      "--host-record=host.lab.example,10.213.11.5,fd00:213::5", "--cname=www.lab.example,alias.lab.example",
      "--cname=alias.lab.example,host.lab.example", "--local=/lab.example/", "--log-queries"]);
  }, 30_000);

  afterAll(async () => {
    await lab?.close();
  });

  it("A, AAAA, a CNAME chain, the search domain and NXDOMAIN", async () => {
    const stack = stackOn();
    const r = new StackResolver(stack, { cache: null });
    await checkAll(r);
    // with the cache: the second lookup sends nothing
    const cached = new StackResolver(stack);
    await cached.lookup("host.lab.example");
    const again = await cached.lookup("host.lab.example");
    expect(again.source).toBe("cache");
  });

  it("a record set over 512 bytes comes back truncated: DnsTruncatedError on a stack without TCP", async () => {
    const stack = stackOn();
    const e = await new StackResolver(stack).lookup("big.lab.example").catch((x) => x);
    expect(e).toBeInstanceOf(DnsTruncatedError);
    expect(e.qname).toBe("big.lab.example");
    expect(e.server).toBe(SERVER);
    expect(e.overTcp).toBe(false);
  });

  it("with @pxe/tcp installed, the truncated answer is fetched again over TCP: all 60 addresses", async () => {
    const stack = stackOn();
    installTcp(stack);
    const a = await new StackResolver(stack).lookup("big.lab.example");
    expect(a.addresses.length).toBe(60);
    expect(new Set(a.addresses).size).toBe(60);
    expect(a.addresses).toContain("10.213.12.60");
    expect(a.server).toBe(SERVER);
  });

  it("still resolves through 20% loss each way (retries)", async () => {
    let lost = 0;
    for (const seed of [21, 22]) {
      const lossy = new ImpairedLink(lab.link, { seed, tx: { loss: 0.2 }, rx: { loss: 0.2 } });
      const stack = stackOn(lossy);
      await checkAll(new StackResolver(stack, { cache: null, timeoutMs: 500, attempts: 8 }));
      lost += lossy.txQueue.counters.lost + lossy.rxQueue.counters.lost;
    }
    expect(lost).toBeGreaterThan(0);
  }, 120_000);
});
