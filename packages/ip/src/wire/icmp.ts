import { internetChecksum, need, WireError, type Codec, type Platform, readU16be, readU32be, writeU16be, writeU32be } from "@pxe/core";
import { ChecksumError } from "../errors.js";
import { readIpv4, type Ipv4Address } from "./address.js";
import { IP_DST, IP_PROTO, IP_SRC, IP_VER_IHL, IP_ID } from "./ipv4.js";

/** ICMP type: echo reply. */
export const ICMP_ECHO_REPLY = 0;
/** ICMP type: destination unreachable. */
export const ICMP_DEST_UNREACHABLE = 3;
/** ICMP type: echo request. */
export const ICMP_ECHO_REQUEST = 8;
/** ICMP type: time exceeded. */
export const ICMP_TIME_EXCEEDED = 11;
/** Destination-unreachable code: port unreachable. */
export const ICMP_PORT_UNREACHABLE = 3;
/** Destination-unreachable code: protocol unreachable. */
export const ICMP_PROTO_UNREACHABLE = 2;
/** Length of the fixed ICMP header (type, code, checksum, 4 bytes "rest"). */
export const ICMP_HEADER_LEN = 8;

/** Echo request or reply. */
export interface IcmpEcho {
  /** "echoRequest" (type 8) or "echoReply" (type 0). */
  kind: "echoRequest" | "echoReply";
  /** Identifier (the pinger's session). */
  id: number;
  /** Sequence number. */
  seq: number;
  /** Payload echoed back. */
  data: Uint8Array;
}

/** Destination unreachable (type 3). */
export interface IcmpDestUnreachable {
  /** Discriminator. */
  kind: "destUnreachable";
  /** 0 net, 1 host, 2 protocol, 3 port, 4 fragmentation needed, ... */
  code: number;
  /** Next-hop MTU (RFC 1191), meaningful for code 4; 0 otherwise. */
  nextHopMtu: number;
  /** The quoted IP header and leading payload bytes of the offending datagram. */
  original: Uint8Array;
}

/** Time exceeded (type 11). */
export interface IcmpTimeExceeded {
  /** Discriminator. */
  kind: "timeExceeded";
  /** 0 TTL exceeded in transit, 1 fragment reassembly time exceeded. */
  code: number;
  /** The quoted IP header and leading payload bytes of the offending datagram. */
  original: Uint8Array;
}

/** Any other ICMP message, kept raw. */
export interface IcmpOther {
  /** Discriminator. */
  kind: "other";
  /** ICMP type (never 0, 3, 8, 11). */
  type: number;
  /** ICMP code. */
  code: number;
  /** The 4 header bytes after the checksum, as a u32. */
  rest: number;
  /** Everything after the 8-byte header. */
  data: Uint8Array;
}

/** An ICMP message. */
export type IcmpMessage = IcmpEcho | IcmpDestUnreachable | IcmpTimeExceeded | IcmpOther;

function bodyOf(m: IcmpMessage): Uint8Array {
  return m.kind === "destUnreachable" || m.kind === "timeExceeded" ? m.original : m.data;
}

/** Codec of ICMP messages; encode sets the checksum, decode verifies it (ChecksumError). */
export const icmpMessage: Codec<IcmpMessage> = {
  encodingLength: (m) => ICMP_HEADER_LEN + bodyOf(m).length,
  encodeInto: (m, out, off) => writeIcmp(out, off, m),
  decode(data, off, end) {
    return { value: readIcmp(data, off, end), next: end };
  },
};

/** Writes an ICMP message at `off` with its checksum; returns the next offset. */
export function writeIcmp(out: Uint8Array, off: number, m: IcmpMessage, platform?: Platform): number {
  let type: number, code: number, rest: number;
  switch (m.kind) {
    case "echoRequest":
    case "echoReply":
      type = m.kind === "echoRequest" ? ICMP_ECHO_REQUEST : ICMP_ECHO_REPLY;
      code = 0;
      rest = ((m.id & 0xffff) * 0x10000 + (m.seq & 0xffff)) >>> 0;
      break;
    case "destUnreachable":
      type = ICMP_DEST_UNREACHABLE;
      code = m.code;
      rest = m.nextHopMtu & 0xffff;
      break;
    case "timeExceeded":
      type = ICMP_TIME_EXCEEDED;
      code = m.code;
      rest = 0;
      break;
    default:
      type = m.type;
      code = m.code;
      rest = m.rest >>> 0;
  }
  const body = bodyOf(m);
  out[off] = type & 255;
  out[off + 1] = code & 255;
  out[off + 2] = 0;
  out[off + 3] = 0;
  writeU32be(out, off + 4, rest);
  out.set(body, off + ICMP_HEADER_LEN);
  const end = off + ICMP_HEADER_LEN + body.length;
  const c = internetChecksum(out, off, end, 0, platform);
  writeU16be(out, off + 2, c);
  return end;
}

/** Reads an ICMP message spanning [off, end); verifies the checksum. */
export function readIcmp(data: Uint8Array, off: number, end: number, platform?: Platform): IcmpMessage {
  need("ICMP message", data, off, end, ICMP_HEADER_LEN);
  if (internetChecksum(data, off, end, 0, platform) !== 0) throw new ChecksumError("ICMP message", off + 2, readU16be(data, off + 2));
  const type = data[off], code = data[off + 1];
  const rest = readU32be(data, off + 4);
  const body = data.slice(off + ICMP_HEADER_LEN, end);
  switch (type) {
    case ICMP_ECHO_REQUEST:
    case ICMP_ECHO_REPLY:
      if (code !== 0) break;
      return { kind: type === ICMP_ECHO_REQUEST ? "echoRequest" : "echoReply", id: rest >>> 16, seq: rest & 0xffff, data: body };
    case ICMP_DEST_UNREACHABLE:
      if (rest >>> 16 !== 0) break;
      return { kind: "destUnreachable", code, nextHopMtu: rest & 0xffff, original: body };
    case ICMP_TIME_EXCEEDED:
      if (rest !== 0) break;
      return { kind: "timeExceeded", code, original: body };
  }
  return { kind: "other", type, code, rest, data: body };
}

/** What an ICMP error quotes of the datagram that caused it. */
export interface QuotedDatagram {
  /** Source of the offending datagram (normally us). */
  src: Ipv4Address;
  /** Its destination. */
  dst: Ipv4Address;
  /** Its protocol. */
  protocol: number;
  /** Its identification. */
  id: number;
  /** The payload bytes quoted (at least the 8 that hold UDP/TCP ports when present). */
  payload: Uint8Array;
}

/**
 * Parses the quoted header of an ICMP error (RFC 792: IP header + at least
 * 8 payload bytes). Lenient: the checksum and total length of the quote are
 * not checked, since routers may quote a header they already altered.
 */
export function parseQuoted(original: Uint8Array): QuotedDatagram {
  need("quoted IPv4 header", original, 0, original.length, 20);
  const vi = original[IP_VER_IHL];
  const hl = (vi & 15) * 4;
  if (vi >>> 4 !== 4 || hl < 20) throw new WireError("quoted IPv4 header", 0, `version ${vi >>> 4} header length ${hl}`);
  need("quoted IPv4 header", original, 0, original.length, hl);
  return {
    src: readIpv4(original, IP_SRC),
    dst: readIpv4(original, IP_DST),
    protocol: original[IP_PROTO],
    id: readU16be(original, IP_ID),
    payload: original.subarray(hl),
  };
}
