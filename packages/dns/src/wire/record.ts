import { need, WireError } from "@pxe/core";
import { DnsEncodeError } from "../errors.js";
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from "./address.js";
import { RecordType } from "./constants.js";
import { readName } from "./name.js";
import type { DnsWriter } from "./writer.js";

/** A question: what is asked. */
export interface DnsQuestion {
  /** Name in presentation form. */
  readonly name: string;
  /** Record type (RecordType). */
  readonly type: number;
  /** Record class (RecordClass.IN). */
  readonly class: number;
}

/** SOA rdata (RFC 1035 §3.3.13); `minimum` is the negative-caching TTL (RFC 2308). */
export interface DnsSoa {
  /** Primary name server. */
  readonly mname: string;
  /** Responsible mailbox, as a name. */
  readonly rname: string;
  /** Zone serial. */
  readonly serial: number;
  /** Secondary refresh interval, seconds. */
  readonly refresh: number;
  /** Secondary retry interval, seconds. */
  readonly retry: number;
  /** Secondary expiry, seconds. */
  readonly expire: number;
  /** Negative-caching TTL, seconds (RFC 2308). */
  readonly minimum: number;
}

/**
 * Record data: A and AAAA as address text ("192.0.2.1", "2001:db8::1");
 * CNAME, NS and PTR as a name; SOA as {@link DnsSoa}; any other type as the
 * raw rdata bytes.
 */
export type DnsRecordData = string | DnsSoa | Uint8Array;

/** A resource record. */
export interface DnsRecord {
  /** Owner name. */
  readonly name: string;
  /** Record type. */
  readonly type: number;
  /** Record class (for OPT: the UDP payload size). */
  readonly class: number;
  /** Time to live, seconds (u32). */
  readonly ttl: number;
  /** Decoded rdata, see {@link DnsRecordData}. */
  readonly data: DnsRecordData;
}

/** True for the types whose rdata is one domain name. */
export function isNameType(type: number): boolean {
  return type === RecordType.CNAME || type === RecordType.NS || type === RecordType.PTR;
}

/** Writes a question. */
export function writeQuestion(w: DnsWriter, q: DnsQuestion): void {
  w.name(q.name);
  w.u16(q.type);
  w.u16(q.class);
}

/** Reads a question at `pos` of the message [msgStart, msgEnd). */
export function readQuestion(data: Uint8Array, msgStart: number, pos: number, msgEnd: number): { value: DnsQuestion; next: number } {
  const n = readName(data, msgStart, pos, msgEnd, msgEnd);
  need("DNS question", data, n.next, msgEnd, 4);
  const v = new DataView(data.buffer, data.byteOffset + n.next, 4);
  return { value: { name: n.name, type: v.getUint16(0), class: v.getUint16(2) }, next: n.next + 4 };
}

/** Writes a resource record (names in CNAME/NS/PTR/SOA rdata may be compressed). */
export function writeRecord(w: DnsWriter, r: DnsRecord): void {
  w.name(r.name);
  w.u16(r.type);
  w.u16(r.class);
  w.u32(r.ttl);
  const lenAt = w.reserve16();
  const start = w.pos;
  const d = r.data;
  const bad = (why: string) => new DnsEncodeError(`type ${r.type} rdata of ${r.name}`, why);
  if (r.type === RecordType.A) {
    const a = typeof d === "string" ? parseIpv4(d) : undefined;
    if (!a) throw bad("A data must be IPv4 text");
    w.bytes(a);
  } else if (r.type === RecordType.AAAA) {
    const a = typeof d === "string" ? parseIpv6(d) : undefined;
    if (!a) throw bad("AAAA data must be IPv6 text");
    w.bytes(a);
  } else if (isNameType(r.type)) {
    if (typeof d !== "string") throw bad("data must be a name");
    w.name(d);
  } else if (r.type === RecordType.SOA) {
    if (typeof d !== "object" || d instanceof Uint8Array) throw bad("SOA data must be a DnsSoa");
    w.name(d.mname);
    w.name(d.rname);
    w.u32(d.serial);
    w.u32(d.refresh);
    w.u32(d.retry);
    w.u32(d.expire);
    w.u32(d.minimum);
  } else {
    if (!(d instanceof Uint8Array)) throw bad("data of this type must be raw bytes");
    w.bytes(d);
  }
  w.patch16(lenAt, w.pos - start);
}

/** Reads a resource record at `pos` of the message [msgStart, msgEnd); rdata must be consumed exactly. */
export function readRecord(data: Uint8Array, msgStart: number, pos: number, msgEnd: number): { value: DnsRecord; next: number } {
  const what = "DNS record";
  const n = readName(data, msgStart, pos, msgEnd, msgEnd);
  need(what, data, n.next, msgEnd, 10);
  const v = new DataView(data.buffer, data.byteOffset + n.next, 10);
  const type = v.getUint16(0);
  const cls = v.getUint16(2);
  const ttl = v.getUint32(4);
  const rdlen = v.getUint16(8);
  const start = n.next + 10;
  need(what, data, start, msgEnd, rdlen);
  const end = start + rdlen;
  let rd: DnsRecordData;
  const exact = (len: number) => {
    if (rdlen !== len) throw new WireError(what, start, `type ${type} rdata must be ${len} bytes, is ${rdlen}`);
  };
  const nameIn = (p: number) => readName(data, msgStart, p, end, msgEnd);
  if (type === RecordType.A) {
    exact(4);
    rd = formatIpv4(data, start);
  } else if (type === RecordType.AAAA) {
    exact(16);
    rd = formatIpv6(data, start);
  } else if (isNameType(type)) {
    const t = nameIn(start);
    if (t.next !== end) throw new WireError(what, t.next, "name does not fill the rdata");
    rd = t.name;
  } else if (type === RecordType.SOA) {
    const m = nameIn(start);
    const r = nameIn(m.next);
    if (end - r.next !== 20) throw new WireError(what, r.next, "SOA counters must be 20 bytes");
    const c = new DataView(data.buffer, data.byteOffset + r.next, 20);
    rd = { mname: m.name, rname: r.name, serial: c.getUint32(0), refresh: c.getUint32(4), retry: c.getUint32(8), expire: c.getUint32(12), minimum: c.getUint32(16) };
  } else {
    rd = data.slice(start, end);
  }
  return { value: { name: n.name, type, class: cls, ttl, data: rd }, next: end };
}
