import { encode } from "@pxe/core";
import { RecordClass } from "../wire/constants.js";
import { type DnsMessage, dnsMessage } from "../wire/message.js";
import { namesEqual } from "../wire/name.js";

/** Builds a standard recursive query (RD set, one question, no EDNS). */
export function buildQuery(id: number, name: string, type: number): Uint8Array {
  return encode(dnsMessage, {
    id, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, z: false, ad: false, cd: false, rcode: 0,
    questions: [{ name, type, class: RecordClass.IN }], answers: [], authorities: [], additionals: [],
  });
}

/** Why a response does not answer a query, or undefined when it does (RFC 5452 §9.1 checks besides address and port). */
export function mismatch(m: DnsMessage, id: number, name: string, type: number): string | undefined {
  if (m.id !== id) return "id";
  if (!m.qr || m.opcode !== 0) return "not-response";
  if (m.questions.length !== 1) return "question";
  const q = m.questions[0];
  if (q.type !== type || q.class !== RecordClass.IN || !namesEqual(q.name, name)) return "question";
  return undefined;
}
