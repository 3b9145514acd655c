// Network test (root): StackResolver on our Stack over the undi TAP backend,
// against dnsmasq serving DNS on the TAP's peer side in a network namespace
// this test makes: A, AAAA, a CNAME chain, NXDOMAIN, the search domain, and a
// record set over 512 bytes (TC over UDP: DnsTruncatedError until TCP lands).
// Then again through undi's ImpairedLink at 20% loss each way.
// Needs Debian socat, iproute2, dnsmasq-base.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Platform } from "@pxe/core";
import { Stack } from "@pxe/sockets";
import { nodeHost } from "@pxe/sockets/node";
import { ImpairedLink } from "@pxe/undi";
import { TapLink } from "@pxe/undi/node";
import { installTcp } from "@pxe/tcp";
import { DnsNxDomainError, DnsTruncatedError, RecordType, StackResolver } from "@pxe/dns";

const tag = `${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
const NS = `pxedns-${tag}`;
const IF = `pxn${tag}`.slice(0, 15);
const SERVER = "10.213.11.1";
const CONFIG = { address: "10.213.11.2", prefix: 24, dns: [SERVER], domain: "lab.example" };
const dir = mkdtempSync(join(tmpdir(), "pxe-dns-net-"));

let link: TapLink | undefined;
let dnsmasq: ChildProcess | undefined;

const ip = (...args: string[]) => execFileSync("ip", args, { encoding: "utf8" });
const platform: Platform = { now: () => performance.now(), randomBytes: (b) => void randomFillSync(b), write: (s) => void process.stdout.write(s) };

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
    ip("netns", "add", NS);
    link = await TapLink.create({ ifname: IF, netns: NS, mac: Uint8Array.of(0x02, 0x50, 0x58, 0x45, 0x0b, 0x02) });
    ip("-n", NS, "addr", "add", `${SERVER}/24`, "dev", IF);
    ip("-n", NS, "link", "set", "lo", "up");
    writeFileSync(join(dir, "big.hosts"), Array.from({ length: 60 }, (_, i) => `10.213.12.${i + 1} big.lab.example\n`).join(""));
    dnsmasq = spawn("ip", ["netns", "exec", NS, "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--user=root", "--port=53", `--listen-address=${SERVER}`,
      "--bind-interfaces", "--no-resolv", "--no-hosts", `--addn-hosts=${join(dir, "big.hosts")}`, "--local-ttl=60",
      "--host-record=host.lab.example,10.213.11.5,fd00:213::5", "--cname=www.lab.example,alias.lab.example",
      "--cname=alias.lab.example,host.lab.example", "--local=/lab.example/", `--pid-file=${join(dir, "pid")}`,
      "--log-queries", `--log-facility=${join(dir, "log")}`], { stdio: "ignore" });
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

  it("A, AAAA, a CNAME chain, the search domain and NXDOMAIN", async () => {
    const stack = new Stack({ link: link!, platform, config: CONFIG, driver: nodeHost() });
    const r = new StackResolver(stack, { cache: null });
    await checkAll(r);
    // with the cache: the second lookup sends nothing
    const cached = new StackResolver(stack);
    await cached.lookup("host.lab.example");
    const again = await cached.lookup("host.lab.example");
    expect(again.source).toBe("cache");
  });

  it("a record set over 512 bytes comes back truncated: DnsTruncatedError on a stack without TCP", async () => {
    const stack = new Stack({ link: link!, platform, config: CONFIG, driver: nodeHost() });
    const e = await new StackResolver(stack).lookup("big.lab.example").catch((x) => x);
    expect(e).toBeInstanceOf(DnsTruncatedError);
    expect(e.qname).toBe("big.lab.example");
    expect(e.server).toBe(SERVER);
    expect(e.overTcp).toBe(false);
  });

  it("with @pxe/tcp installed, the truncated answer is fetched again over TCP: all 60 addresses", async () => {
    const stack = new Stack({ link: link!, platform, config: CONFIG, driver: nodeHost() });
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
      const lossy = new ImpairedLink(link!, { seed, tx: { loss: 0.2 }, rx: { loss: 0.2 } });
      const stack = new Stack({ link: lossy, platform, config: CONFIG, driver: nodeHost() });
      await checkAll(new StackResolver(stack, { cache: null, timeoutMs: 500, attempts: 8 }));
      lost += lossy.txQueue.counters.lost + lossy.rxQueue.counters.lost;
    }
    expect(lost).toBeGreaterThan(0);
  }, 120_000);
});
