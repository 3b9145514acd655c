import { type Codec, type Decoded, need, WireError, readU16be } from "@pxe/core";
import { HEADER_LEN } from "./constants.js";
import { type DnsQuestion, type DnsRecord, readQuestion, readRecord, writeQuestion, writeRecord } from "./record.js";
import { DnsWriter } from "./writer.js";

/** A DNS message (RFC 1035 §4.1): header fields spelled out, then the four sections. */
export interface DnsMessage {
  /** Query id. */
  readonly id: number;
  /** True for a response. */
  readonly qr: boolean;
  /** Opcode (0 = QUERY). */
  readonly opcode: number;
  /** Authoritative answer. */
  readonly aa: boolean;
  /** Truncated: the answer did not fit. */
  readonly tc: boolean;
  /** Recursion desired. */
  readonly rd: boolean;
  /** Recursion available. */
  readonly ra: boolean;
  /** The reserved Z bit. */
  readonly z: boolean;
  /** Authentic data (DNSSEC). */
  readonly ad: boolean;
  /** Checking disabled (DNSSEC). */
  readonly cd: boolean;
  /** Response code (Rcode). */
  readonly rcode: number;
  /** Question section. */
  readonly questions: readonly DnsQuestion[];
  /** Answer section. */
  readonly answers: readonly DnsRecord[];
  /** Authority section (SOA of negative answers, NS). */
  readonly authorities: readonly DnsRecord[];
  /** Additional section. */
  readonly additionals: readonly DnsRecord[];
}

/** Options of {@link dnsMessageCodec}. */
export interface DnsCodecOptions {
  /** Compress names on encode (default true). Decoding always understands compression. */
  readonly compress?: boolean;
}

/** A DNS message codec; `decode` takes one whole message [offset, end). */
export function dnsMessageCodec(opts: DnsCodecOptions = {}): Codec<DnsMessage> {
  const compress = opts.compress ?? true;
  const write = (m: DnsMessage, w: DnsWriter) => {
    for (const [n, what] of [[m.questions.length, "questions"], [m.answers.length, "answers"], [m.authorities.length, "authorities"], [m.additionals.length, "additionals"]] as const) {
      if (n > 0xffff) throw new RangeError(`too many ${what}: ${n}`);
    }
    w.u16(m.id);
    w.u16(
      (m.qr ? 0x8000 : 0) | ((m.opcode & 15) << 11) | (m.aa ? 0x400 : 0) | (m.tc ? 0x200 : 0) | (m.rd ? 0x100 : 0) |
        (m.ra ? 0x80 : 0) | (m.z ? 0x40 : 0) | (m.ad ? 0x20 : 0) | (m.cd ? 0x10 : 0) | (m.rcode & 15),
    );
    w.u16(m.questions.length);
    w.u16(m.answers.length);
    w.u16(m.authorities.length);
    w.u16(m.additionals.length);
    for (const q of m.questions) writeQuestion(w, q);
    for (const r of m.answers) writeRecord(w, r);
    for (const r of m.authorities) writeRecord(w, r);
    for (const r of m.additionals) writeRecord(w, r);
  };
  return {
    encodingLength(m: DnsMessage): number {
      const w = new DnsWriter(null, 0, compress);
      write(m, w);
      return w.pos;
    },
    encodeInto(m: DnsMessage, out: Uint8Array, offset: number): number {
      const w = new DnsWriter(out, offset, compress);
      write(m, w);
      return w.pos;
    },
    decode(data: Uint8Array, offset: number, end: number): Decoded<DnsMessage> {
      need("DNS header", data, offset, end, HEADER_LEN);
      const u16 = (p: number) => readU16be(data, p);
      const flags = u16(offset + 2);
      const counts = [u16(offset + 4), u16(offset + 6), u16(offset + 8), u16(offset + 10)];
      // Each question takes at least 5 bytes and each record 11: reject absurd counts before looping.
      if (counts[0] * 5 + (counts[1] + counts[2] + counts[3]) * 11 > end - offset - HEADER_LEN) {
        throw new WireError("DNS header", offset + 4, `section counts ${counts.join("/")} cannot fit in ${end - offset} bytes`);
      }
      let p = offset + HEADER_LEN;
      const questions: DnsQuestion[] = [];
      for (let i = 0; i < counts[0]; i++) {
        const q = readQuestion(data, offset, p, end);
        questions.push(q.value);
        p = q.next;
      }
      const sections: DnsRecord[][] = [[], [], []];
      for (let s = 0; s < 3; s++) {
        for (let i = 0; i < counts[s + 1]; i++) {
          const r = readRecord(data, offset, p, end);
          sections[s].push(r.value);
          p = r.next;
        }
      }
      const value: DnsMessage = {
        id: u16(offset),
        qr: (flags & 0x8000) !== 0,
        opcode: (flags >> 11) & 15,
        aa: (flags & 0x400) !== 0,
        tc: (flags & 0x200) !== 0,
        rd: (flags & 0x100) !== 0,
        ra: (flags & 0x80) !== 0,
        z: (flags & 0x40) !== 0,
        ad: (flags & 0x20) !== 0,
        cd: (flags & 0x10) !== 0,
        rcode: flags & 15,
        questions,
        answers: sections[0],
        authorities: sections[1],
        additionals: sections[2],
      };
      return { value, next: p };
    },
  };
}

/** The default codec: compresses names on encode. */
export const dnsMessage: Codec<DnsMessage> = dnsMessageCodec();

/** A codec that never compresses (for tests and servers that want plain names). */
export const dnsMessageUncompressed: Codec<DnsMessage> = dnsMessageCodec({ compress: false });
