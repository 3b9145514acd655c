import { encode, SeededRandom } from "@pxe/core";
import {
  dnsMessage, namesEqual, Rcode, RecordType, type DnsDatagram, type DnsMessage, type DnsRecord, type DnsResolver, type DnsResult, type DnsTransmit,
} from "@pxe/dns";

/** How a scripted server behaves. */
export type Mode = "ok" | "silent" | "servfail" | "refused" | "formerr";

/** A scripted authoritative-ish DNS server for resolver machine tests. */
export class FakeDnsServer {
  /** Queries received, decoded. */
  readonly queries: DnsMessage[] = [];
  mode: Mode = "ok";
  /** Whether to put CNAME targets' records in the same answer. */
  followCnames = true;
  /** Queries that came over TCP. */
  tcpQueries = 0;
  /** How TCP queries are served: fully, truncated again, or not at all (the caller reports transportFailed). */
  tcpMode: "ok" | "truncate" | "fail" = "ok";
  /** Names answered with TC set (over UDP; over TCP too when tcpMode is "truncate"). */
  readonly truncate = new Set<string>();
  /** SOA put in the authority section of negative answers (TTL 600, minimum 60 by default). */
  soa: DnsRecord | undefined = {
    name: "lab.example", type: RecordType.SOA, class: 1, ttl: 600,
    data: { mname: "ns.lab.example", rname: "admin.lab.example", serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: 60 },
  };
  constructor(readonly address: string, readonly records: DnsRecord[]) {}

  /** Replies to one query. */
  handle(t: DnsTransmit): DnsDatagram[] {
    if (t.server !== this.address) return [];
    const q = dnsMessage.decode(t.payload, 0, t.payload.length).value;
    this.queries.push(q);
    if (this.mode === "silent") return [];
    const { name, type } = q.questions[0];
    const reply = (over: Partial<DnsMessage>): DnsDatagram[] => [{
      server: this.address, port: 53, dstPort: t.srcPort, payload: encode(dnsMessage, { ...q, qr: true, ra: true, aa: true, ...over }),
      ...(t.transport === "tcp" ? { key: t.key } : {}),
    }];
    if (t.transport === "tcp") this.tcpQueries++;
    if (t.transport === "tcp" && this.tcpMode === "fail") return [];
    if (this.mode === "servfail") return reply({ rcode: Rcode.ServFail });
    if (this.mode === "refused") return reply({ rcode: Rcode.Refused });
    if (this.mode === "formerr") return reply({ rcode: Rcode.FormErr });
    if (this.truncate.has(name) && (t.transport === "udp" || this.tcpMode === "truncate")) return reply({ tc: true, answers: this.records.filter((r) => namesEqual(r.name, name)).slice(0, 3) });
    const answers: DnsRecord[] = [];
    let cur = name;
    for (let i = 0; i < 20; i++) {
      const hit = this.records.filter((r) => namesEqual(r.name, cur) && r.type === type);
      if (hit.length) {
        answers.push(...hit);
        break;
      }
      const cn = this.records.find((r) => namesEqual(r.name, cur) && r.type === RecordType.CNAME);
      if (!cn) break;
      answers.push(cn);
      cur = cn.data as string;
      if (!this.followCnames) break;
    }
    const exists = this.records.some((r) => namesEqual(r.name, cur));
    const authorities = answers.length && answers[answers.length - 1].type === type ? [] : this.soa ? [this.soa] : [];
    return reply({ rcode: exists || answers.length ? Rcode.NoError : Rcode.NxDomain, answers, authorities });
  }
}

/** Shorthand for an A/AAAA/CNAME record. */
export function rr(name: string, type: number, data: string, ttl = 300): DnsRecord {
  return { name, type, class: 1, ttl, data };
}

/**
 * Runs the resolver against servers in virtual time until every lookup
 * started has finished. Drops datagrams with probability `loss` each way.
 */
export class Net {
  readonly sent: { at: number; t: DnsTransmit }[] = [];
  private readonly rng: SeededRandom;
  constructor(readonly resolver: DnsResolver, readonly servers: FakeDnsServer[], readonly clock: { time: number }, readonly loss = 0, seed = 1) {
    this.rng = new SeededRandom(seed);
  }

  /** Starts a lookup and runs until it completes; returns its result. */
  lookup(name: string, type: 1 | 28 = 1): DnsResult {
    let result: DnsResult | undefined;
    this.resolver.lookup(this.clock.time, name, type, (r) => (result = r));
    for (let i = 0; i < 10_000 && !result; i++) {
      const at = this.resolver.pollAt();
      if (at > this.clock.time && at !== Infinity) this.clock.time = at;
      for (const t of this.resolver.poll(this.clock.time)) {
        this.sent.push({ at: this.clock.time, t });
        if (this.rng.next() < this.loss) continue;
        for (const s of this.servers) {
          for (const d of s.handle(t)) {
            if (this.rng.next() < this.loss) continue;
            this.resolver.receive(this.clock.time, d);
          }
        }
      }
    }
    if (!result) throw new Error("lookup did not finish");
    return result;
  }
}
