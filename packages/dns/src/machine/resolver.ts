import { WireError, readU16be } from "@pxe/core";
import {
  DnsCnameError, DnsError, DnsNameError, DnsNoDataError, DnsNoServerError, DnsNxDomainError, DnsRefusedError, DnsServerError,
  DnsServFailError, DnsTimeoutError, DnsTruncatedError,
} from "../errors.js";
import { addressLiteral } from "../wire/address.js";
import { DNS_PORT, Rcode, RecordClass, RecordType } from "../wire/constants.js";
import { type DnsMessage, dnsMessage } from "../wire/message.js";
import { lowerAscii, namesEqual, nameToLabels, normalizeName } from "../wire/name.js";
import type { DnsRecord } from "../wire/record.js";
import { DnsCache } from "./cache.js";
import { type ResolverConfig, serverText } from "./config.js";
import { buildQuery, mismatch } from "./query.js";

/** The record types the resolver looks up: A (1) or AAAA (28). */
export type AddressType = 1 | 28;

/** A successful lookup. */
export interface DnsAnswer {
  /** The name as asked. */
  readonly name: string;
  /** The name actually queried (after applying a search domain). */
  readonly queriedName: string;
  /** The name the addresses belong to, after following CNAMEs. */
  readonly canonicalName: string;
  /** The CNAME chain followed, starting with queriedName (just [queriedName] when none). */
  readonly chain: readonly string[];
  /** A or AAAA. */
  readonly type: AddressType;
  /** Addresses as text, in the server's order. */
  readonly addresses: readonly string[];
  /** Seconds the answer stays valid (lowest TTL along the chain). */
  readonly ttl: number;
  /** The server that gave the final answer; undefined from cache or literal. */
  readonly server?: string;
  /** Where the answer came from. */
  readonly source: "network" | "cache" | "literal";
}

/** Errors a lookup ends with. */
export type DnsLookupError = DnsError | DnsTimeoutError | DnsNameError;

/** The outcome of a lookup, handed to its callback. */
export type DnsResult = { readonly ok: true; readonly answer: DnsAnswer } | { readonly ok: false; readonly error: DnsLookupError };

/** A UDP datagram the resolver wants sent. */
export interface DnsTransmit {
  /** Server address (text). */
  readonly server: string;
  /** Server port (53). */
  readonly port: number;
  /** Our (randomised) source port; the answer must come back to it. */
  readonly srcPort: number;
  /** The DNS query. */
  readonly payload: Uint8Array;
  /**
   * "udp", or "tcp" for the retry after a truncated answer (only when the
   * resolver was created with `tcp: true`). Over TCP the adapter connects
   * to server:port, sends the payload with its 2-byte length prefix
   * (RFC 1035 §4.2.2), and hands the answer back with `key`; on failure
   * it calls {@link DnsResolver.transportFailed}.
   */
  readonly transport: "udp" | "tcp";
  /** Identifies this try (unique per resolver); TCP answers and failures quote it. */
  readonly key: number;
}

/** A datagram received for the resolver. */
export interface DnsDatagram {
  /** Sender address (text, as in DnsTransmit.server). */
  readonly server: string;
  /** Sender port. */
  readonly port: number;
  /** Our port it arrived on. */
  readonly dstPort: number;
  /** The DNS message (for TCP without its length prefix). */
  readonly payload: Uint8Array;
  /** For an answer over TCP: the `key` of the transmit it answers. Absent for UDP. */
  readonly key?: number;
}

/** Why received datagrams were dropped. */
export type DnsIgnoreReason = "unsolicited" | "malformed" | "id" | "not-response" | "question";

interface Outstanding {
  readonly id: number;
  readonly srcPort: number;
  readonly server: string;
  readonly deadline: number;
  readonly transport: "udp" | "tcp";
  readonly key: number;
}

interface Lookup {
  readonly handle: number;
  readonly asked: string;
  readonly type: AddressType;
  readonly candidates: readonly string[];
  readonly cb: (r: DnsResult) => void;
  ci: number;
  qname: string;
  chain: string[];
  ttl: number;
  fromNetwork: boolean;
  tries: number;
  triedServers: string[];
  rcodeError: DnsError | undefined;
  /** The TCP retry of a truncated answer that failed, and how (reported when no try succeeds). */
  tcpFailure?: { server: string; reason: string };
  earlierError: DnsError | undefined;
  q: Outstanding | undefined;
}

/**
 * A sans-IO stub resolver. Start lookups with {@link lookup}; send what
 * {@link poll} returns; hand answers to {@link receive}; call poll again
 * at {@link pollAt}. Results arrive through each lookup's callback (at
 * once for literals and cache hits).
 *
 * Per question it tries the servers in turn (`attempts` rounds, each try
 * waiting `timeoutMs`), moving on after a timeout, SERVFAIL, REFUSED or
 * other error RCODE, and starts later lookups at the server that last
 * answered. Responses must come from the server and port asked, to the
 * random source port, with the query's random id and question.
 */
export class DnsResolver {
  /** The cache (shared by all lookups), or null. */
  readonly cache: DnsCache | null;
  /** Dropped datagrams by reason. */
  readonly ignored: Record<DnsIgnoreReason, number> = { unsolicited: 0, malformed: 0, id: 0, "not-response": 0, question: 0 };
  private servers: string[];
  private search: string[];
  private readonly random: { randomBytes(out: Uint8Array): void };
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly maxChain: number;
  private readonly port: number;
  private readonly minPort: number;
  private readonly tcp: boolean;
  private preferred = 0;
  private nextHandle = 1;
  private nextKey = 1;
  private readonly lookups = new Map<number, Lookup>();
  private pending: DnsTransmit[] = [];

  /** Creates a resolver. */
  constructor(config: ResolverConfig) {
    this.servers = config.servers.map(serverText);
    this.search = (config.searchDomains ?? []).filter((d) => d && d !== ".").map(normalizeName);
    this.random = config.random;
    this.timeoutMs = config.timeoutMs ?? 2000;
    this.attempts = Math.max(1, config.attempts ?? 2);
    this.maxChain = config.maxCnameChain ?? 8;
    this.cache = config.cache === undefined ? new DnsCache() : config.cache;
    this.port = config.port ?? DNS_PORT;
    this.minPort = Math.min(65535, Math.max(1024, config.minSourcePort ?? 49152));
    this.tcp = config.tcp ?? false;
  }

  /** Replaces the server list and search domains (e.g. after a new DHCP lease). */
  configure(servers: readonly (string | number)[], searchDomains?: readonly string[]): void {
    this.servers = servers.map(serverText);
    if (searchDomains) this.search = searchDomains.filter((d) => d && d !== ".").map(normalizeName);
    this.preferred = 0;
  }

  /** Lookups in progress. */
  get active(): number {
    return this.lookups.size;
  }

  /**
   * Starts looking up `name` (A or AAAA). Address literals answer at once
   * without a query. Returns a handle for {@link cancel}.
   */
  lookup(now: number, name: string, type: AddressType, cb: (r: DnsResult) => void): number {
    const handle = this.nextHandle++;
    const lit = addressLiteral(name);
    if (lit) {
      const want = type === RecordType.A ? 4 : 6;
      if (lit.family === want) {
        cb({ ok: true, answer: { name, queriedName: lit.address, canonicalName: lit.address, chain: [lit.address], type, addresses: [lit.address], ttl: 0, source: "literal" } });
      } else cb({ ok: false, error: new DnsNoDataError(name, type, undefined) });
      return handle;
    }
    let candidates: string[];
    try {
      candidates = this.candidates(name);
    } catch (e) {
      if (e instanceof DnsNameError) cb({ ok: false, error: e });
      else throw e;
      return handle;
    }
    const l: Lookup = {
      handle, asked: name, type, candidates, cb, ci: 0, qname: candidates[0], chain: [], ttl: Infinity, fromNetwork: false,
      tries: 0, triedServers: [], rcodeError: undefined, earlierError: undefined, q: undefined,
    };
    this.lookups.set(handle, l);
    this.startCandidate(now, l);
    return handle;
  }

  /** Source ports of the queries in flight (an adapter keeps exactly these sockets open). */
  activePorts(): number[] {
    const out: number[] = [];
    for (const l of this.lookups.values()) if (l.q && l.q.transport === "udp") out.push(l.q.srcPort);
    for (const t of this.pending) if (t.transport === "udp") out.push(t.srcPort);
    return out;
  }

  /** Abandons a lookup; its callback is not called. */
  cancel(handle: number): void {
    this.lookups.delete(handle);
  }

  /** When poll() must next be called: 0 when datagrams wait to be sent, Infinity when idle. */
  pollAt(): number {
    if (this.pending.length) return 0;
    let t = Infinity;
    for (const l of this.lookups.values()) if (l.q && l.q.deadline < t) t = l.q.deadline;
    return t;
  }

  /** Handles tries that timed out by `now`; returns the datagrams to send. */
  poll(now: number): DnsTransmit[] {
    for (const l of [...this.lookups.values()]) {
      if (l.q && l.q.deadline <= now) {
        const q = l.q;
        l.q = undefined;
        // The TCP retry of a truncated answer got nothing back: say so rather than a bare timeout.
        if (q.transport === "tcp") l.tcpFailure = { server: q.server, reason: `timed out after ${this.timeoutMs * 2} ms` };
        this.sendTry(now, l);
      }
    }
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /** Hands the resolver one received datagram; anything unasked-for is counted and dropped. */
  receive(now: number, d: DnsDatagram): void {
    let l: Lookup | undefined;
    for (const x of this.lookups.values()) {
      const q = x.q;
      if (!q || q.server !== d.server || d.port !== this.port) continue;
      if (q.transport === "udp" ? d.key === undefined && q.srcPort === d.dstPort : d.key === q.key) {
        l = x;
        break;
      }
    }
    if (!l) return void this.ignored.unsolicited++;
    let m: DnsMessage;
    try {
      m = dnsMessage.decode(d.payload, 0, d.payload.length).value;
    } catch (e) {
      if (e instanceof WireError) return void this.ignored.malformed++;
      throw e;
    }
    const why = mismatch(m, l.q!.id, l.qname, l.type);
    if (why) return void this.ignored[why as DnsIgnoreReason]++;
    const { server, transport } = l.q!;
    l.q = undefined;
    l.fromNetwork = true;
    this.answer(now, l, m, server, transport);
  }

  /**
   * The adapter could not carry the try `key` (TCP refused, reset or timed
   * out; or no TCP at all): the resolver moves on to the next try at once.
   * A failed TCP retry of a truncated answer is remembered: when no try
   * succeeds the lookup ends in DnsTruncatedError naming `reason` (e.g.
   * "was refused"), not in a bare timeout.
   */
  transportFailed(now: number, key: number, reason = "failed"): void {
    for (const l of this.lookups.values()) {
      if (l.q && l.q.key === key) {
        const q = l.q;
        l.q = undefined;
        if (q.transport === "tcp") l.tcpFailure = { server: q.server, reason };
        this.sendTry(now, l);
        return;
      }
    }
  }

  private candidates(name: string): string[] {
    const labels = nameToLabels(name);
    if (labels.length === 0) throw new DnsNameError(name, "the root has no address");
    const n = normalizeName(name);
    if (name.endsWith(".") || labels.length > 1 || this.search.length === 0) return [n];
    return [...this.search.map((d) => normalizeName(`${n}.${d}`)), n];
  }

  private startCandidate(now: number, l: Lookup): void {
    l.qname = l.candidates[l.ci];
    l.chain = [l.qname];
    l.ttl = Infinity;
    this.ask(now, l);
  }

  /** Answers from the cache as far as it goes, else sends a query for l.qname. */
  private ask(now: number, l: Lookup): void {
    const cache = this.cache;
    while (cache) {
      const e = cache.get(now, l.qname, l.type);
      if (!e) break;
      const left = Math.max(0, Math.floor((e.expires - now) / 1000));
      if (e.kind === "records") {
        l.ttl = Math.min(l.ttl, left);
        return this.succeed(l, e.values, undefined);
      }
      if (e.kind === "cname") {
        l.ttl = Math.min(l.ttl, left);
        if (!this.follow(l, e.target, undefined)) return;
        continue;
      }
      const err = e.kind === "nxdomain" ? new DnsNxDomainError(l.chain[0], undefined) : new DnsNoDataError(l.chain[0], l.type, undefined);
      return this.candidateFailed(now, l, err);
    }
    if (this.servers.length === 0) return this.finish(l, { ok: false, error: new DnsNoServerError(l.qname) });
    l.tries = 0;
    l.triedServers = [];
    l.rcodeError = undefined;
    l.tcpFailure = undefined;
    this.sendTry(now, l);
  }

  private sendTry(now: number, l: Lookup): void {
    const n = this.servers.length;
    if (l.tries >= this.attempts * n) {
      const tcp = l.tcpFailure;
      const error = l.rcodeError ?? (tcp ? new DnsTruncatedError(l.chain[0], tcp.server, false, tcp.reason) : new DnsTimeoutError(l.chain[0], l.triedServers, this.timeoutMs));
      return this.finish(l, { ok: false, error });
    }
    const server = this.servers[(this.preferred + l.tries) % n];
    l.tries++;
    l.triedServers.push(server);
    this.query(now, l, server, "udp");
  }

  private query(now: number, l: Lookup, server: string, transport: "udp" | "tcp"): void {
    const id = this.random16();
    const srcPort = transport === "udp" ? this.freePort() : 0;
    const key = this.nextKey++;
    // TCP needs a handshake before the question: give it twice the time.
    l.q = { id, srcPort, server, deadline: now + this.timeoutMs * (transport === "tcp" ? 2 : 1), transport, key };
    this.pending.push({ server, port: this.port, srcPort, payload: buildQuery(id, l.qname, l.type), transport, key });
  }

  private answer(now: number, l: Lookup, m: DnsMessage, server: string, transport: "udp" | "tcp"): void {
    if (m.tc) return this.truncated(now, l, server, transport);
    if (m.rcode !== Rcode.NoError && m.rcode !== Rcode.NxDomain) {
      l.rcodeError =
        m.rcode === Rcode.ServFail ? new DnsServFailError(l.chain[0], server)
        : m.rcode === Rcode.Refused ? new DnsRefusedError(l.chain[0], server)
        : new DnsServerError(l.chain[0], server, m.rcode);
      return this.sendTry(now, l);
    }
    this.preferred = Math.max(0, this.servers.indexOf(server));
    const start = l.qname;
    let cur = start;
    for (;;) {
      const found = m.answers.filter((r) => r.type === l.type && r.class === RecordClass.IN && typeof r.data === "string" && namesEqual(r.name, cur));
      if (found.length && m.rcode === Rcode.NoError) {
        const ttl = minTtl(found);
        this.cache?.putRecords(now, cur, l.type, found.map((r) => r.data as string), ttl);
        l.ttl = Math.min(l.ttl, ttl);
        l.qname = cur;
        return this.succeed(l, found.map((r) => r.data as string), server);
      }
      const cn = m.answers.find((r) => r.type === RecordType.CNAME && r.class === RecordClass.IN && typeof r.data === "string" && namesEqual(r.name, cur));
      if (!cn) break;
      const target = cn.data as string;
      this.cache?.putCname(now, cur, target, cn.ttl);
      l.ttl = Math.min(l.ttl, cn.ttl);
      if (!this.follow(l, target, server)) return;
      cur = target;
    }
    const neg = negativeTtl(m.authorities);
    if (m.rcode === Rcode.NxDomain) {
      if (neg !== undefined) this.cache?.putNxDomain(now, cur, neg);
      return this.candidateFailed(now, l, new DnsNxDomainError(l.chain[0], server));
    }
    if (namesEqual(cur, start)) {
      if (neg !== undefined) this.cache?.putNoData(now, cur, l.type, neg);
      return this.candidateFailed(now, l, new DnsNoDataError(l.chain[0], l.type, server));
    }
    // The chain ended at a name without the records we want: ask about the target itself.
    l.qname = cur;
    this.ask(now, l);
  }

  /**
   * TC set: the answer did not fit in UDP. With `tcp` enabled the same
   * question goes to the same server over TCP (one more try); otherwise,
   * or when even the TCP answer is truncated, the lookup ends with
   * DnsTruncatedError.
   */
  private truncated(now: number, l: Lookup, server: string, transport: "udp" | "tcp"): void {
    if (this.tcp && transport === "udp") return this.query(now, l, server, "tcp");
    this.finish(l, { ok: false, error: new DnsTruncatedError(l.chain[0], server, transport === "tcp") });
  }

  /** Adds a CNAME target to the chain; false (and the lookup finished) on a loop or an over-long chain. */
  private follow(l: Lookup, target: string, server: string | undefined): boolean {
    const low = lowerAscii(target);
    if (l.chain.some((n) => lowerAscii(n) === low)) {
      this.finish(l, { ok: false, error: new DnsCnameError(l.chain[0], [...l.chain, target], "loop", server) });
      return false;
    }
    if (l.chain.length > this.maxChain) {
      this.finish(l, { ok: false, error: new DnsCnameError(l.chain[0], [...l.chain, target], "too-long", server) });
      return false;
    }
    l.chain.push(target);
    l.qname = target;
    return true;
  }

  private candidateFailed(now: number, l: Lookup, err: DnsError): void {
    if (!l.earlierError || err instanceof DnsNoDataError) l.earlierError = err;
    if (l.ci + 1 < l.candidates.length) {
      l.ci++;
      return this.startCandidate(now, l);
    }
    const e = l.earlierError instanceof DnsNoDataError ? l.earlierError : err;
    this.finish(l, { ok: false, error: e });
  }

  private succeed(l: Lookup, addresses: readonly string[], server: string | undefined): void {
    this.finish(l, {
      ok: true,
      answer: {
        name: l.asked, queriedName: l.chain[0], canonicalName: l.chain[l.chain.length - 1], chain: l.chain.slice(), type: l.type,
        addresses: addresses.slice(), ttl: l.ttl === Infinity ? 0 : l.ttl, server, source: l.fromNetwork ? "network" : "cache",
      },
    });
  }

  private finish(l: Lookup, r: DnsResult): void {
    if (!this.lookups.delete(l.handle)) return;
    l.q = undefined;
    l.cb(r);
  }

  private random16(): number {
    const b = new Uint8Array(2);
    this.random.randomBytes(b);
    return readU16be(b, 0);
  }

  private freePort(): number {
    const span = 65536 - this.minPort;
    for (;;) {
      const p = this.minPort + (this.random16() % span);
      let used = false;
      for (const l of this.lookups.values()) if (l.q && l.q.srcPort === p) used = true;
      if (!used) return p;
    }
  }
}

function minTtl(rs: readonly DnsRecord[]): number {
  let t = Infinity;
  for (const r of rs) t = Math.min(t, r.ttl >= 0x80000000 ? 0 : r.ttl);
  return t;
}

/** RFC 2308 §5: the negative TTL is min(SOA TTL, SOA minimum); without an SOA, do not cache. */
function negativeTtl(authorities: readonly DnsRecord[]): number | undefined {
  for (const r of authorities) {
    if (r.type === RecordType.SOA && typeof r.data === "object" && !(r.data instanceof Uint8Array)) return Math.min(r.ttl, r.data.minimum);
  }
  return undefined;
}
