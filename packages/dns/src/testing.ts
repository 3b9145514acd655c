import fc from "fast-check";
import { formatIpv4, formatIpv6 } from "./wire/address.js";
import { RecordType } from "./wire/constants.js";
import type { DnsMessage } from "./wire/message.js";
import { labelsToName } from "./wire/name.js";
import type { DnsQuestion, DnsRecord, DnsSoa } from "./wire/record.js";

const hostChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

/** A label: usually host-name characters, sometimes any bytes (escaped in presentation form). */
export const arbLabel: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...hostChars.split("").map((c) => c.charCodeAt(0))), { minLength: 1, maxLength: 63 }).map((a) => Uint8Array.from(a)) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 63 }) },
);

/** A valid name in canonical presentation form (at most 255 bytes on the wire), "." included. */
export const arbDnsName: fc.Arbitrary<string> = fc
  .array(arbLabel, { maxLength: 8 })
  .filter((ls) => ls.reduce((n, l) => n + l.length + 1, 1) <= 255)
  .map(labelsToName);

/** Names that share suffixes, so compression has something to do. */
export const arbRelatedNames: fc.Arbitrary<string[]> = fc
  .tuple(fc.array(arbLabel, { minLength: 1, maxLength: 3 }), fc.array(fc.array(arbLabel, { maxLength: 3 }), { minLength: 1, maxLength: 8 }))
  .map(([suffix, prefixes]) => prefixes.map((p) => [...p, ...suffix]))
  .filter((names) => names.every((ls) => ls.reduce((n, l) => n + l.length + 1, 1) <= 255))
  .map((names) => names.map(labelsToName));

/** A question of any type and class. */
export const arbQuestion: fc.Arbitrary<DnsQuestion> = fc.record({
  name: arbDnsName,
  type: fc.integer({ min: 0, max: 0xffff }),
  class: fc.integer({ min: 0, max: 0xffff }),
});

const arbSoa: fc.Arbitrary<DnsSoa> = fc.record({
  mname: arbDnsName, rname: arbDnsName,
  serial: fc.nat({ max: 0xffffffff }), refresh: fc.nat({ max: 0xffffffff }), retry: fc.nat({ max: 0xffffffff }),
  expire: fc.nat({ max: 0xffffffff }), minimum: fc.nat({ max: 0xffffffff }),
});

const interpreted: readonly number[] = [RecordType.A, RecordType.AAAA, RecordType.CNAME, RecordType.NS, RecordType.PTR, RecordType.SOA];

/** A resource record whose data matches its type (A/AAAA text, names, SOA, raw bytes otherwise). */
export function arbRecordOf(names: fc.Arbitrary<string> = arbDnsName): fc.Arbitrary<DnsRecord> {
  const head = { name: names, class: fc.integer({ min: 0, max: 0xffff }), ttl: fc.nat({ max: 0xffffffff }) };
  return fc.oneof(
    fc.record({ ...head, type: fc.constant(RecordType.A), data: fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => formatIpv4(b)) }),
    fc.record({ ...head, type: fc.constant(RecordType.AAAA), data: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => formatIpv6(b)) }),
    fc.record({ ...head, type: fc.constantFrom(RecordType.CNAME, RecordType.NS, RecordType.PTR), data: names }),
    fc.record({ ...head, type: fc.constant(RecordType.SOA), data: arbSoa }),
    fc.record({ ...head, type: fc.integer({ min: 0, max: 0xffff }).filter((t) => interpreted.indexOf(t) < 0), data: fc.uint8Array({ maxLength: 80 }) }),
  );
}

/** Any resource record. */
export const arbRecord: fc.Arbitrary<DnsRecord> = arbRecordOf();

/** Any DNS message the encoder accepts. */
export const arbDnsMessage: fc.Arbitrary<DnsMessage> = fc.record({
  id: fc.integer({ min: 0, max: 0xffff }),
  qr: fc.boolean(), opcode: fc.integer({ min: 0, max: 15 }), aa: fc.boolean(), tc: fc.boolean(), rd: fc.boolean(),
  ra: fc.boolean(), z: fc.boolean(), ad: fc.boolean(), cd: fc.boolean(), rcode: fc.integer({ min: 0, max: 15 }),
  questions: fc.array(arbQuestion, { maxLength: 3 }),
  answers: fc.array(arbRecord, { maxLength: 4 }),
  authorities: fc.array(arbRecord, { maxLength: 2 }),
  additionals: fc.array(arbRecord, { maxLength: 2 }),
});
