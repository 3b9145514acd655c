import { encode, fromHex, WireError } from "@pxe/core";
import { rejectsOnlyTyped, roundTrip } from "@pxe/core/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dnsMessage, dnsMessageUncompressed, DnsNameError, DnsEncodeError, formatIpv6, parseIpv6, parseIpv4, addressLiteral,
  nameToLabels, normalizeName, readName, Rcode, RecordType, type DnsMessage, type DnsRecord,
} from "@pxe/dns";
import { arbDnsMessage, arbRelatedNames, arbDnsName } from "@pxe/dns/testing";

import { DNSMASQ_RESPONSES as golden } from "./fixtures/dnsmasq-responses.js";
const g = (k: string) => {
  const b = fromHex(golden[k]);
  return dnsMessage.decode(b, 0, b.length).value;
};

function msg(over: Partial<DnsMessage> = {}): DnsMessage {
  return {
    id: 1, qr: true, opcode: 0, aa: false, tc: false, rd: true, ra: true, z: false, ad: false, cd: false, rcode: 0,
    questions: [], answers: [], authorities: [], additionals: [], ...over,
  };
}

describe("DNS message codec", () => {
  it("round-trips any message at nonzero offsets, compressed", () => {
    roundTrip(dnsMessage, arbDnsMessage, { numRuns: 300 });
  });

  it("round-trips any message at nonzero offsets, uncompressed", () => {
    roundTrip(dnsMessageUncompressed, arbDnsMessage, { numRuns: 150 });
  });

  it("names survive compression: any set of names decodes to itself, and compression never grows the message", () => {
    fc.assert(
      fc.property(arbRelatedNames, fc.array(arbDnsName, { maxLength: 3 }), (related, others) => {
        const names = [...related, ...others];
        const answers: DnsRecord[] = names.map((n, i) => ({ name: n, type: RecordType.CNAME, class: 1, ttl: i, data: names[(i + 1) % names.length] }));
        const m = msg({ questions: [{ name: names[0], type: 1, class: 1 }], answers });
        const c = encode(dnsMessage, m);
        const u = encode(dnsMessageUncompressed, m);
        expect(c.length).toBeLessThanOrEqual(u.length);
        if (related.length > 1) expect(c.length).toBeLessThan(u.length);
        const back = dnsMessage.decode(c, 0, c.length).value;
        expect(back.questions[0].name).toBe(names[0]);
        expect(back.answers.map((r) => r.name)).toEqual(names);
        expect(back.answers.map((r) => r.data)).toEqual(answers.map((r) => r.data));
      }),
      { numRuns: 300 },
    );
  });

  it("decodes arbitrary bytes or throws only WireError", () => {
    rejectsOnlyTyped((d) => dnsMessage.decode(d, 0, d.length), { numRuns: 500, maxLength: 600 });
  });

  it("mutated valid messages decode or throw only WireError", () => {
    fc.assert(
      fc.property(arbDnsMessage, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (m, flips) => {
        const b = encode(dnsMessage, m);
        if (b.length === 0) return;
        for (const [at, v] of flips) b[at % b.length] = v;
        try {
          dnsMessage.decode(b, 0, b.length);
        } catch (e) {
          if (!(e instanceof WireError)) throw e;
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe("name decompression is bounded and loop-free", () => {
  const header = new Uint8Array(12);
  const withBody = (body: number[]) => Uint8Array.from([...header, ...body]);

  it("rejects a pointer to itself", () => {
    const d = withBody([0xc0, 12]);
    expect(() => readName(d, 0, 12, d.length, d.length)).toThrow(/backwards/);
  });
  it("rejects a forward pointer", () => {
    const d = withBody([0xc0, 14, 1, 0x61, 0]);
    expect(() => readName(d, 0, 12, d.length, d.length)).toThrow(WireError);
  });
  it("rejects a pointer into the name's own labels (a loop)", () => {
    const d = withBody([1, 0x61, 0xc0, 12]);
    expect(() => readName(d, 0, 12, d.length, d.length)).toThrow(/backwards/);
  });
  it("rejects two names pointing at each other", () => {
    // name A at 12: "a" -> ptr 16 ; name B at 16: "b" -> ptr 12
    const d = withBody([1, 0x61, 0xc0, 16, 1, 0x62, 0xc0, 12]);
    expect(() => readName(d, 0, 16, d.length, d.length)).toThrow(WireError);
    expect(() => readName(d, 0, 12, d.length, d.length)).toThrow(WireError);
  });
  it("follows a legal backwards chain", () => {
    const d = withBody([3, 0x63, 0x6f, 0x6d, 0, 1, 0x62, 0xc0, 12, 1, 0x61, 0xc0, 17]);
    expect(readName(d, 0, 21, d.length, d.length)).toEqual({ name: "a.b.com", next: 25 });
  });
  it("rejects names over 255 bytes built from pointers, extended label types and truncation", () => {
    const body: number[] = [];
    // 5 names of 60-byte labels, each pointing to the previous: total > 255
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      starts.push(12 + body.length);
      body.push(60, ...new Array(60).fill(0x61));
      if (i === 0) body.push(0);
      else body.push(0xc0, starts[i - 1]);
    }
    const d = withBody(body);
    expect(() => readName(d, 0, starts[4], d.length, d.length)).toThrow(/255/);
    expect(readName(d, 0, starts[2], d.length, d.length).name.length).toBe(3 * 61 - 1);
    expect(() => readName(withBody([0x40, 1]), 0, 12, 14, 14)).toThrow(/label type/);
    expect(() => readName(withBody([5, 0x61]), 0, 12, 14, 14)).toThrow(/past the end/);
    expect(() => readName(withBody([0xc0]), 0, 12, 13, 13)).toThrow(/truncated/);
  });
  it("keeps an rdata name's inline part inside its rdata", () => {
    const m = msg({ answers: [{ name: "a.example", type: RecordType.CNAME, class: 1, ttl: 5, data: "b.example" }] });
    const b = encode(dnsMessageUncompressed, m);
    // shrink rdlength by one: the name now runs past its rdata
    const rdlenAt = b.length - nameToLabels("b.example").reduce((n, l) => n + l.length + 1, 1) - 2;
    b[rdlenAt + 1] -= 1;
    expect(() => dnsMessage.decode(b, 0, b.length)).toThrow(WireError);
  });
  it("rejects section counts that cannot fit", () => {
    const d = new Uint8Array(12);
    d[7] = 200;
    expect(() => dnsMessage.decode(d, 0, 12)).toThrow(/cannot fit/);
  });
});

describe("names and addresses", () => {
  it("presentation names: escapes, trailing dot, limits", () => {
    expect(normalizeName("Example.COM.")).toBe("Example.COM");
    expect(normalizeName(".")).toBe(".");
    expect(nameToLabels("a\\.b.c").map((l) => l.length)).toEqual([3, 1]);
    expect(normalizeName("\\065\\.x")).toBe("A\\.x");
    expect(() => nameToLabels("a..b")).toThrow(DnsNameError);
    expect(() => nameToLabels("x".repeat(64))).toThrow(/63/);
    expect(() => nameToLabels(Array(128).fill("a").join("."))).toThrow(/255/);
    expect(() => nameToLabels("a\\")).toThrow(DnsNameError);
    expect(() => nameToLabels("\u00e9\u4e00")).toThrow(DnsNameError);
  });
  it("IPv6 text: RFC 5952 canonical form and parsing", () => {
    const p = (s: string) => formatIpv6(parseIpv6(s)!);
    expect(p("2001:0db8:0000:0000:0000:0000:0000:0001")).toBe("2001:db8::1");
    expect(p("::")).toBe("::");
    expect(p("::1")).toBe("::1");
    expect(p("1::")).toBe("1::");
    expect(p("2001:db8:0:1:1:1:1:1")).toBe("2001:db8:0:1:1:1:1:1");
    expect(p("2001:0:0:1:0:0:0:1")).toBe("2001:0:0:1::1");
    expect(p("::ffff:192.0.2.1")).toBe("::ffff:c000:201");
    for (const bad of ["1:2:3:4:5:6:7", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "g::", ":1", "1.2.3.4::"]) expect(parseIpv6(bad)).toBeUndefined();
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
      expect(parseIpv6(formatIpv6(b))).toEqual(b);
    }));
  });
  it("address literals need no lookup", () => {
    expect(addressLiteral("10.0.2.2")).toEqual({ family: 4, address: "10.0.2.2" });
    expect(addressLiteral("[2001:DB8::1]")).toEqual({ family: 6, address: "2001:db8::1" });
    expect(addressLiteral("host.example")).toBeUndefined();
    expect(addressLiteral("256.1.1.1")).toBeUndefined();
    expect(parseIpv4("1.2.3")).toBeUndefined();
  });
  it("refuses to encode record data of the wrong shape", () => {
    expect(() => encode(dnsMessage, msg({ answers: [{ name: "a", type: 1, class: 1, ttl: 1, data: "::1" }] }))).toThrow(DnsEncodeError);
    expect(() => encode(dnsMessage, msg({ answers: [{ name: "a", type: 16, class: 1, ttl: 1, data: "text" }] }))).toThrow(DnsEncodeError);
  });
});

describe("golden: responses captured from dnsmasq 2.90", () => {
  it("A", () => {
    const m = g("a");
    expect(m).toMatchObject({ id: 0x1000, qr: true, aa: true, rd: true, ra: true, rcode: Rcode.NoError, tc: false });
    expect(m.questions).toEqual([{ name: "host.lab.example", type: 1, class: 1 }]);
    expect(m.answers).toEqual([{ name: "host.lab.example", type: 1, class: 1, ttl: 0, data: "10.0.0.5" }]);
  });
  it("AAAA", () => {
    expect(g("aaaa").answers[0].data).toBe("fd00::5");
  });
  it("a CNAME chain of two (compressed names inside rdata)", () => {
    expect(g("cname-chain").answers.map((r) => [r.name, r.type, r.data])).toEqual([
      ["www.lab.example", 5, "alias.lab.example"],
      ["alias.lab.example", 5, "host.lab.example"],
      ["host.lab.example", 1, "10.0.0.5"],
    ]);
  });
  it("NXDOMAIN and NODATA", () => {
    expect(g("nxdomain").rcode).toBe(Rcode.NxDomain);
    const nd = g("nodata");
    expect(nd.rcode).toBe(Rcode.NoError);
    expect(nd.answers).toEqual([]);
  });
  it("a record set over 512 bytes arrives truncated with TC set", () => {
    const b = fromHex(golden.truncated);
    const m = dnsMessage.decode(b, 0, b.length).value;
    expect(m.tc).toBe(true);
    expect(b.length).toBeLessThanOrEqual(512);
    expect(m.answers.length).toBe(29);
  });
  it("every capture re-encodes (compressed) to bytes that decode equal", () => {
    for (const k of Object.keys(golden)) {
      const m = g(k);
      const again = encode(dnsMessage, m);
      expect(dnsMessage.decode(again, 0, again.length).value).toEqual(m);
      if (k === "a" || k === "aaaa") expect(again).toEqual(fromHex(golden[k]));
    }
  });
});
