import { ManualClock, seededPlatform, encode, TimeoutError } from "@pxe/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DnsCache, DnsCnameError, DnsNameError, DnsNoDataError, DnsNxDomainError, DnsRefusedError, DnsResolver, DnsServerError, DnsServFailError,
  DnsTimeoutError, DnsTruncatedError, dnsMessage, RecordType, type DnsAnswer, type DnsResult, type ResolverConfig, type DnsLookupError,
} from "@pxe/dns";
import { FakeDnsServer, Net, rr } from "./fake-dns.js";

const A = RecordType.A, AAAA = RecordType.AAAA, CNAME = RecordType.CNAME;
const ZONE = [
  rr("host.lab.example", A, "10.0.0.5", 300),
  rr("host.lab.example", A, "10.0.0.6", 120),
  rr("host.lab.example", AAAA, "fd00::5"),
  rr("www.lab.example", CNAME, "alias.lab.example", 100),
  rr("alias.lab.example", CNAME, "host.lab.example", 200),
  rr("loop1.lab.example", CNAME, "loop2.lab.example"),
  rr("loop2.lab.example", CNAME, "loop1.lab.example"),
  rr("v4only.lab.example", A, "10.0.0.7"),
  rr("single", A, "10.9.9.9"),
  ...Array.from({ length: 12 }, (_, i) => rr(`c${i}.lab.example`, CNAME, `c${i + 1}.lab.example`)),
  rr("c12.lab.example", A, "10.0.0.12"),
];

function setup(opts: Partial<ResolverConfig> & { servers?: string[]; loss?: number; seed?: number } = {}) {
  const clock = new ManualClock(0);
  const addrs = opts.servers ?? ["10.0.0.1", "10.0.0.2"];
  const servers = addrs.map((a) => new FakeDnsServer(a, ZONE));
  const resolver = new DnsResolver({ random: seededPlatform(opts.seed ?? 1), ...opts, servers: addrs });
  const net = new Net(resolver, servers, clock, opts.loss ?? 0, (opts.seed ?? 1) * 31);
  return { clock, servers, resolver, net };
}

function ok(r: DnsResult): DnsAnswer {
  if (!r.ok) throw r.error;
  return r.answer;
}
function err(r: DnsResult): DnsLookupError {
  if (r.ok) throw new Error(`expected an error, got ${r.answer.addresses}`);
  return r.error;
}

describe("DnsResolver machine", () => {
  it("resolves A and AAAA, reporting the server and the lowest TTL", () => {
    const { net } = setup();
    const a = ok(net.lookup("host.lab.example"));
    expect(a.addresses).toEqual(["10.0.0.5", "10.0.0.6"]);
    expect(a.ttl).toBe(120);
    expect(a.server).toBe("10.0.0.1");
    expect(a.source).toBe("network");
    expect(ok(net.lookup("host.lab.example", AAAA)).addresses).toEqual(["fd00::5"]);
  });

  it("answers from the cache until the TTL runs out, then asks again", () => {
    const { net, clock, servers } = setup();
    ok(net.lookup("HOST.lab.example"));
    clock.time += 119_000;
    const c = ok(net.lookup("host.LAB.example"));
    expect(c.source).toBe("cache");
    expect(c.ttl).toBe(1);
    expect(servers[0].queries.length).toBe(1);
    clock.time += 1000;
    expect(ok(net.lookup("host.lab.example")).source).toBe("network");
    expect(servers[0].queries.length).toBe(2);
  });

  it("follows a CNAME chain within one answer", () => {
    const { net, servers } = setup();
    const a = ok(net.lookup("www.lab.example"));
    expect(a.chain).toEqual(["www.lab.example", "alias.lab.example", "host.lab.example"]);
    expect(a.canonicalName).toBe("host.lab.example");
    expect(a.addresses).toEqual(["10.0.0.5", "10.0.0.6"]);
    expect(a.ttl).toBe(100);
    expect(servers[0].queries.length).toBe(1);
    // the links are cached: alias resolves without a query
    expect(ok(net.lookup("alias.lab.example")).source).toBe("cache");
  });

  it("re-queries the target when a chain ends without addresses", () => {
    const { net, servers } = setup();
    servers[0].followCnames = false;
    const a = ok(net.lookup("www.lab.example"));
    expect(a.addresses).toEqual(["10.0.0.5", "10.0.0.6"]);
    expect(servers[0].queries.map((q) => q.questions[0].name)).toEqual(["www.lab.example", "alias.lab.example", "host.lab.example"]);
  });

  it("stops CNAME loops and over-long chains with DnsCnameError", () => {
    const { net, servers } = setup();
    const e = err(net.lookup("loop1.lab.example"));
    expect(e).toBeInstanceOf(DnsCnameError);
    expect((e as DnsCnameError).reason).toBe("loop");
    const long = err(net.lookup("c0.lab.example"));
    expect(long).toBeInstanceOf(DnsCnameError);
    expect((long as DnsCnameError).reason).toBe("too-long");
    // same loop when each hop is a separate query
    const s2 = setup();
    s2.servers[0].followCnames = false;
    expect(err(s2.net.lookup("loop1.lab.example"))).toBeInstanceOf(DnsCnameError);
    expect(servers[0].queries.length).toBeGreaterThan(0);
    const { net: n3 } = setup({ maxCnameChain: 20 });
    expect(ok(n3.lookup("c0.lab.example")).addresses).toEqual(["10.0.0.12"]);
  });

  it("NXDOMAIN: typed error naming name and server, cached for min(SOA TTL, minimum)", () => {
    const { net, clock, servers } = setup();
    const e = err(net.lookup("nope.lab.example"));
    expect(e).toBeInstanceOf(DnsNxDomainError);
    expect((e as DnsNxDomainError).qname).toBe("nope.lab.example");
    expect((e as DnsNxDomainError).server).toBe("10.0.0.1");
    expect(e.message).toMatch(/nope\.lab\.example.*NXDOMAIN.*10\.0\.0\.1/);
    clock.time += 59_000;
    expect(err(net.lookup("nope.lab.example", AAAA))).toBeInstanceOf(DnsNxDomainError);
    expect(servers[0].queries.length).toBe(1);
    clock.time += 1000;
    err(net.lookup("nope.lab.example"));
    expect(servers[0].queries.length).toBe(2);
  });

  it("NODATA: DnsNoDataError, cached per type; no SOA means no negative caching", () => {
    const { net, servers } = setup();
    expect(err(net.lookup("v4only.lab.example", AAAA))).toBeInstanceOf(DnsNoDataError);
    err(net.lookup("v4only.lab.example", AAAA));
    expect(servers[0].queries.length).toBe(1);
    expect(ok(net.lookup("v4only.lab.example", A)).addresses).toEqual(["10.0.0.7"]);
    const s2 = setup();
    s2.servers[0].soa = undefined;
    err(s2.net.lookup("v4only.lab.example", AAAA));
    err(s2.net.lookup("v4only.lab.example", AAAA));
    expect(s2.servers[0].queries.length).toBe(2);
  });

  it("fails over on SERVFAIL and prefers the server that answered afterwards", () => {
    const { net, servers } = setup();
    servers[0].mode = "servfail";
    const a = ok(net.lookup("host.lab.example"));
    expect(a.server).toBe("10.0.0.2");
    ok(net.lookup("www.lab.example"));
    expect(servers[0].queries.length).toBe(1);
    expect(servers[1].queries.length).toBe(2);
  });

  it("SERVFAIL / REFUSED / FORMERR everywhere end in distinct typed errors", () => {
    for (const [mode, cls] of [["servfail", DnsServFailError], ["refused", DnsRefusedError], ["formerr", DnsServerError]] as const) {
      const { net, servers } = setup();
      for (const s of servers) s.mode = mode;
      const e = err(net.lookup("host.lab.example"));
      expect(e).toBeInstanceOf(cls);
      expect((e as DnsServFailError).server).toMatch(/^10\.0\.0\.[12]$/);
      expect(servers[0].queries.length + servers[1].queries.length).toBe(4);
    }
  });

  it("times out per try, rotating servers, then fails with DnsTimeoutError", () => {
    const { net, servers, clock } = setup({ timeoutMs: 1500, attempts: 3 });
    for (const s of servers) s.mode = "silent";
    const e = err(net.lookup("host.lab.example"));
    expect(e).toBeInstanceOf(DnsTimeoutError);
    expect(e).toBeInstanceOf(TimeoutError);
    expect((e as DnsTimeoutError).servers).toEqual(["10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.2"]);
    expect(net.sent.map((s) => s.at)).toEqual([0, 1500, 3000, 4500, 6000, 7500]);
    expect(clock.time).toBe(9000);
  });

  it("a silent first server fails over to the second after one timeout", () => {
    const { net, servers } = setup({ timeoutMs: 2000 });
    servers[0].mode = "silent";
    const a = ok(net.lookup("host.lab.example"));
    expect(a.server).toBe("10.0.0.2");
    expect(net.sent.map((s) => [s.at, s.t.server])).toEqual([[0, "10.0.0.1"], [2000, "10.0.0.2"]]);
  });

  it("a truncated answer is DnsTruncatedError", () => {
    const { net, servers } = setup();
    servers[0].truncate.add("host.lab.example");
    const e = err(net.lookup("host.lab.example"));
    expect(e).toBeInstanceOf(DnsTruncatedError);
    expect((e as DnsTruncatedError).server).toBe("10.0.0.1");
  });

  it("with tcp on, a truncated answer is asked again over TCP to the same server", () => {
    const { net, servers, resolver } = setup({ tcp: true });
    servers[0].truncate.add("host.lab.example");
    const a = ok(net.lookup("host.lab.example"));
    expect(a.addresses).toEqual(["10.0.0.5", "10.0.0.6"]);
    expect(net.sent.map((s) => [s.t.transport, s.t.server])).toEqual([["udp", "10.0.0.1"], ["tcp", "10.0.0.1"]]);
    expect(net.sent[1].t.srcPort).toBe(0);
    expect(servers[0].tcpQueries).toBe(1);
    expect(resolver.activePorts()).toEqual([]);
    // truncated even over TCP: the typed error says so
    servers[0].tcpMode = "truncate";
    const e = err(net.lookup("host.lab.example", AAAA));
    expect(e).toBeInstanceOf(DnsTruncatedError);
    expect((e as DnsTruncatedError).overTcp).toBe(true);
  });

  it("a TCP answer must quote the try's key; a failed TCP try moves on to the next server", () => {
    const { resolver, net, servers } = setup({ tcp: true });
    for (const s of servers) s.truncate.add("host.lab.example");
    let result: DnsResult | undefined;
    resolver.lookup(0, "host.lab.example", A, (r) => (result = r));
    const [u] = resolver.poll(0);
    for (const d of servers[0].handle(u)) resolver.receive(0, d);
    const [t] = resolver.poll(0);
    expect(t.transport).toBe("tcp");
    const [answer] = (servers[0].tcpMode = "ok", servers[0].handle(t));
    resolver.receive(0, { ...answer, key: t.key + 1 });
    resolver.receive(0, { ...answer, key: undefined, dstPort: 0 });
    expect(result).toBeUndefined();
    expect(resolver.ignored.unsolicited).toBe(2);
    resolver.transportFailed(0, t.key);
    const [next] = resolver.poll(0);
    expect([next.transport, next.server]).toEqual(["udp", "10.0.0.2"]);
    void net;
  });

  it("applies the search domain to single-label names only", () => {
    const { net, servers } = setup({ searchDomains: ["lab.example"] });
    const a = ok(net.lookup("host"));
    expect(a.queriedName).toBe("host.lab.example");
    expect(a.name).toBe("host");
    // NXDOMAIN under the search domain falls back to the bare name
    expect(ok(net.lookup("single")).queriedName).toBe("single");
    expect(err(net.lookup("missing"))).toBeInstanceOf(DnsNxDomainError);
    // dotted and absolute names are asked as they are
    servers[0].queries.length = 0;
    err(net.lookup("nope.other"));
    err(net.lookup("nope2."));
    expect(servers[0].queries.map((q) => q.questions[0].name)).toEqual(["nope.other", "nope2"]);
  });

  it("literals need no query; invalid names fail with DnsNameError", () => {
    const { net, servers } = setup();
    expect(ok(net.lookup("192.0.2.7"))).toMatchObject({ addresses: ["192.0.2.7"], source: "literal" });
    expect(ok(net.lookup("[2001:db8::1]", AAAA)).addresses).toEqual(["2001:db8::1"]);
    expect(err(net.lookup("192.0.2.7", AAAA))).toBeInstanceOf(DnsNoDataError);
    expect(err(net.lookup("a..b"))).toBeInstanceOf(DnsNameError);
    expect(err(net.lookup("."))).toBeInstanceOf(DnsNameError);
    expect(servers[0].queries.length).toBe(0);
  });

  it("drops responses with the wrong id, question, server or port, then takes the right one", () => {
    const { resolver } = setup();
    let result: DnsResult | undefined;
    resolver.lookup(0, "host.lab.example", A, (r) => (result = r));
    const [t] = resolver.poll(0);
    const q = dnsMessage.decode(t.payload, 0, t.payload.length).value;
    const resp = (over: object) => encode(dnsMessage, { ...q, qr: true, answers: [rr("host.lab.example", A, "6.6.6.6")], ...over });
    const good = { server: t.server, port: 53, dstPort: t.srcPort };
    resolver.receive(0, { ...good, payload: resp({ id: (q.id + 1) & 0xffff }) });
    resolver.receive(0, { ...good, payload: resp({ questions: [{ name: "evil.example", type: A, class: 1 }] }) });
    resolver.receive(0, { ...good, payload: resp({ questions: [{ name: "host.lab.example", type: AAAA, class: 1 }] }) });
    resolver.receive(0, { ...good, server: "10.0.0.2", payload: resp({}) });
    resolver.receive(0, { ...good, port: 5353, payload: resp({}) });
    resolver.receive(0, { ...good, dstPort: t.srcPort ^ 1, payload: resp({}) });
    resolver.receive(0, { ...good, payload: Uint8Array.of(1, 2, 3) });
    resolver.receive(0, { ...good, payload: resp({ qr: false }) });
    expect(result).toBeUndefined();
    expect(resolver.ignored).toEqual({ unsolicited: 3, malformed: 1, id: 1, "not-response": 1, question: 2 });
    resolver.receive(0, { ...good, payload: resp({ questions: [{ name: "HOST.lab.example", type: A, class: 1 }] }) });
    expect(result && ok(result).addresses).toEqual(["6.6.6.6"]);
  });

  it("randomises query ids and source ports through Platform.randomBytes (reproducible per seed)", () => {
    const ids = (seed: number) => {
      const { resolver } = setup({ seed, cache: null });
      const out: [number, number][] = [];
      for (let i = 0; i < 50; i++) {
        resolver.lookup(0, `h${i}.example`, A, () => {});
        const [t] = resolver.poll(0);
        out.push([dnsMessage.decode(t.payload, 0, t.payload.length).value.id, t.srcPort]);
      }
      return out;
    };
    const a = ids(5);
    expect(ids(5)).toEqual(a);
    expect(ids(6)).not.toEqual(a);
    expect(new Set(a.map((x) => x[0])).size).toBeGreaterThan(45);
    expect(new Set(a.map((x) => x[1])).size).toBe(50); // concurrent queries never share a port
    for (const [, p] of a) expect(p).toBeGreaterThanOrEqual(49152);
  });

  it("still resolves through 20% loss each way (retries and failover)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        // 16 tries: P(all lost) = 0.36^16 ≈ 8e-8 per lookup, so this cannot flake in practice.
        const { net } = setup({ loss: 0.2, seed, attempts: 8, timeoutMs: 1000, cache: null });
        for (const n of ["host.lab.example", "www.lab.example"]) expect(ok(net.lookup(n)).addresses).toEqual(["10.0.0.5", "10.0.0.6"]);
        expect(err(net.lookup("nope.lab.example"))).toBeInstanceOf(DnsNxDomainError);
      }),
      { numRuns: 100 },
    );
  });

  it("cancel() abandons a lookup silently", () => {
    const { resolver } = setup();
    let called = false;
    const h = resolver.lookup(0, "host.lab.example", A, () => (called = true));
    resolver.poll(0);
    resolver.cancel(h);
    expect(resolver.active).toBe(0);
    expect(resolver.poll(1e9)).toEqual([]);
    expect(called).toBe(false);
  });
});

describe("DnsCache", () => {
  it("is bounded: least recently used entries go first", () => {
    const c = new DnsCache({ maxEntries: 3 });
    for (let i = 0; i < 3; i++) c.putRecords(0, `n${i}`, A, [`10.0.0.${i}`], 100);
    c.get(1, "n0", A); // touch n0
    c.putRecords(1, "n3", A, ["10.0.0.3"], 100);
    expect(c.size).toBe(3);
    expect(c.get(2, "n1", A)).toBeUndefined();
    expect(c.get(2, "n0", A)).toBeDefined();
    expect(c.get(2, "n3", A)).toBeDefined();
  });
  it("caps TTLs, treats TTLs with the top bit as zero, and skips zero TTLs", () => {
    const c = new DnsCache({ maxTtl: 10, maxNegativeTtl: 5 });
    c.putRecords(0, "a", A, ["1.1.1.1"], 1_000_000);
    expect(c.get(10_000, "a", A)).toBeUndefined();
    c.putNxDomain(0, "b", 100);
    expect(c.get(4_999, "b", AAAA)?.kind).toBe("nxdomain");
    expect(c.get(5_000, "b", AAAA)).toBeUndefined();
    // regression (found by the model test in QuickJS): a TTL-0 answer must not leave older data behind
    c.putRecords(0, "x", A, ["1.1.1.1"], 10);
    c.putRecords(0, "x", A, ["2.2.2.2"], 0);
    expect(c.get(0, "x", A)).toBeUndefined();
    c.putRecords(0, "z", A, ["1.1.1.1"], 0x80000000);
    c.putRecords(0, "y", A, ["1.1.1.1"], 0);
    expect(c.size).toBe(0);
  });
});

describe("DnsResolver receive path fuzz", () => {
  it("arbitrary datagrams to an active query's port never throw and never complete it", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (datagrams) => {
        const { resolver } = setup();
        let done = false;
        resolver.lookup(0, "host.lab.example", A, () => (done = true));
        const [t] = resolver.poll(0);
        for (const payload of datagrams) resolver.receive(0, { server: t.server, port: 53, dstPort: t.srcPort, payload });
        expect(done).toBe(false);
        expect(resolver.active).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});
