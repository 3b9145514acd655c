import { describe, expect, it } from "vitest";
import { encode, seededPlatform } from "@pxe/core";
import { DnsResolver, dnsMessage, RecordType } from "@pxe/dns";

describe("README example", () => {
  it("the machine on its own", () => {
    const out: unknown[] = [];
    const resolver = new DnsResolver({ servers: ["10.0.0.1"], searchDomains: ["lab.example"], random: seededPlatform(1) });
    resolver.lookup(0, "host", RecordType.A, (r) => out.push(r.ok ? r.answer.addresses : r.error.message));
    const [q] = resolver.poll(0);
    const query = dnsMessage.decode(q.payload, 0, q.payload.length).value;
    expect(query.questions[0].name).toBe("host.lab.example");
    const answer = encode(dnsMessage, { ...query, qr: true, ra: true,
      answers: [{ name: "host.lab.example", type: RecordType.A, class: 1, ttl: 60, data: "10.0.0.5" }] });
    resolver.receive(0, { server: q.server, port: 53, dstPort: q.srcPort, payload: answer });
    expect(out).toEqual([["10.0.0.5"]]);
  });
});
