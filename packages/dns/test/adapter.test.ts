import { describe, expect, it } from "vitest";
import { DnsNxDomainError, DnsTimeoutError, DnsTruncatedError, StackResolver, RecordType } from "@pxe/dns";
import { FakeDnsServer, rr } from "./fake-dns.js";
import { serveUdp, stackPair, type StackPair } from "@pxe/sockets/testing";

/** The server stack, as in the fake servers' fixtures. */
const SERVER = { address: "10.0.0.1", prefix: 24 };

const ZONE = [
  rr("host.lab.example", RecordType.A, "10.0.0.5"),
  rr("host.lab.example", RecordType.AAAA, "fd00::5"),
  rr("www.lab.example", RecordType.CNAME, "host.lab.example"),
];

/** Runs a FakeDnsServer on the server stack's UDP port 53. */
function serveDns(p: StackPair, fake = new FakeDnsServer("10.0.0.1", ZONE)) {
  serveUdp(p, 53, (d) =>
    fake
      .handle({ server: "10.0.0.1", port: 53, srcPort: d.from.port, payload: d.data, transport: "udp", key: 0 })
      .map((r) => ({ data: r.payload, to: { address: d.from.address, port: r.dstPort } })),
  );
  return fake;
}

const CLIENT = { address: "10.0.0.2", prefix: 24, dns: ["10.0.0.1"], domain: "lab.example" };

describe("StackResolver over a Stack (UDP sockets, virtual time)", () => {
  it("resolves with servers and search domain from the stack's configuration", async () => {
    const p = stackPair({ b: SERVER, a: CLIENT });
    const fake = serveDns(p);
    const r = new StackResolver(p.a);
    const a = await r.lookup("host");
    expect(a).toMatchObject({ queriedName: "host.lab.example", addresses: ["10.0.0.5"], server: "10.0.0.1" });
    expect(await r.resolve4("www.lab.example")).toBe(0x0a000005);
    expect((await r.lookup("host.lab.example", RecordType.AAAA)).addresses).toEqual(["fd00::5"]);
    await expect(r.lookup("nope.lab.example")).rejects.toBeInstanceOf(DnsNxDomainError);
    fake.truncate.add("big.lab.example");
    await expect(r.lookup("big.lab.example")).rejects.toBeInstanceOf(DnsTruncatedError);
    // every query socket is closed again
    expect(r.machine.activePorts()).toEqual([]);
    expect(p.a.udp.counters.snapshot().sent).toBe(5);
  });

  it("runs concurrent lookups on one resolver", async () => {
    const p = stackPair({ b: SERVER, a: CLIENT });
    serveDns(p);
    const r = new StackResolver(p.a, { cache: null });
    const got = await Promise.all([r.lookup("host.lab.example"), r.lookup("www.lab.example"), r.lookup("host", RecordType.AAAA)]);
    expect(got.map((a) => a.addresses[0])).toEqual(["10.0.0.5", "10.0.0.5", "fd00::5"]);
  });

  it("still resolves through 20% frame loss each way", async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const p = stackPair({ b: SERVER, a: CLIENT, loss: 0.2, seed, stepMs: 20 });
      serveDns(p);
      const r = new StackResolver(p.a, { attempts: 6, timeoutMs: 1000, cache: null });
      expect((await r.lookup("www.lab.example")).addresses).toEqual(["10.0.0.5"]);
    }
  });

  it("times out with DnsTimeoutError when nobody answers", async () => {
    const p = stackPair({ b: SERVER, a: CLIENT, stepMs: 50 });
    const r = new StackResolver(p.a, { timeoutMs: 1000, attempts: 2 });
    const t0 = p.clock.time;
    await expect(r.lookup("host.lab.example")).rejects.toBeInstanceOf(DnsTimeoutError);
    expect(p.clock.time - t0).toBeGreaterThanOrEqual(2000);
  });
});
