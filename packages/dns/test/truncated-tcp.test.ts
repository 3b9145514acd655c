// Issue 15, item 11: a truncated UDP answer whose TCP retry is refused or
// silent must say so (DnsTruncatedError with the TCP failure), not end at
// once in "DnsTimeoutError: timed out after 1000 ms". Two stacks, virtual time.
import { describe, expect, it } from "vitest";
import { installTcp } from "@pxe/tcp";
import { DnsTimeoutError, DnsTruncatedError, RecordType, StackResolver } from "@pxe/dns";
import { serveUdp, stackPair } from "@pxe/sockets/testing";
import { FakeDnsServer, rr } from "./fake-dns.js";

const SERVER = { address: "10.0.0.1", prefix: 24 };
const CLIENT = { address: "10.0.0.2", prefix: 24, dns: ["10.0.0.1"] };

function setup(tcpServer: "none" | "silent") {
  const p = stackPair({ b: SERVER, a: CLIENT });
  const fake = new FakeDnsServer("10.0.0.1", [rr("big.lab.example", RecordType.A, "10.0.0.9")]);
  fake.truncate.add("big.lab.example");
  serveUdp(p, 53, (d) =>
    fake.handle({ server: "10.0.0.1", port: 53, srcPort: d.from.port, payload: d.data, transport: "udp", key: 0 }).map((r) => ({ data: r.payload, to: { address: d.from.address, port: r.dstPort } })),
  );
  installTcp(p.a);
  const serverTcp = installTcp(p.b);
  if (tcpServer === "silent") serverTcp.listen(53, () => undefined); // accepts, never answers
  return { p, resolver: new StackResolver(p.a, { timeoutMs: 1000, cache: null }) };
}

describe("truncated answer, TCP retry fails (issue 15.11)", () => {
  it("TCP refused: DnsTruncatedError saying the retry over TCP was refused", async () => {
    const { resolver } = setup("none");
    const e = await resolver.lookup("big.lab.example").catch((x) => x);
    expect(e).toBeInstanceOf(DnsTruncatedError);
    expect(e).not.toBeInstanceOf(DnsTimeoutError);
    expect(e.tcpFailure).toBe("was refused");
    expect(e.message).toContain("truncated");
    expect(e.message).toContain("TCP was refused");
  });
  it("TCP silent: DnsTruncatedError saying the retry over TCP timed out", async () => {
    const { resolver, p } = setup("silent");
    const t0 = p.clock.time;
    const e = await resolver.lookup("big.lab.example").catch((x) => x);
    expect(e).toBeInstanceOf(DnsTruncatedError);
    expect(e.tcpFailure).toMatch(/^timed out/);
    expect(e.message).toMatch(/TCP timed out/);
    expect(p.clock.time - t0).toBeGreaterThanOrEqual(1000); // it did wait for TCP
  });
});
