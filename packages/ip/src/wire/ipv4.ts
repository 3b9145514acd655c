import { internetChecksum, need, WireError, type Codec, type Platform, readU16be, writeU16be } from "@pxe/core";
import { ChecksumError } from "../errors.js";
import { readIpv4, writeIpv4, type Ipv4Address } from "./address.js";
import { IPV4_MIN_HEADER_LEN } from "./constants.js";

/** Field offsets in an IPv4 header. */
export const IP_VER_IHL = 0;
/** Offset of the type-of-service byte (DSCP/ECN). */
export const IP_TOS = 1;
/** Offset of the total length. */
export const IP_LEN = 2;
/** Offset of the identification. */
export const IP_ID = 4;
/** Offset of flags and fragment offset. */
export const IP_FRAG = 6;
/** Offset of the time to live. */
export const IP_TTL = 8;
/** Offset of the protocol. */
export const IP_PROTO = 9;
/** Offset of the header checksum. */
export const IP_CSUM = 10;
/** Offset of the source address. */
export const IP_SRC = 12;
/** Offset of the destination address. */
export const IP_DST = 16;

/** Flag bit: don't fragment. */
export const IP_FLAG_DF = 0x4000;
/** Flag bit: more fragments. */
export const IP_FLAG_MF = 0x2000;

/** An IPv4 header (checksum is computed on encode and verified on decode). */
export interface Ipv4Header {
  /** The type-of-service byte (DSCP << 2 | ECN). */
  tos: number;
  /** Total datagram length, header included. */
  totalLength: number;
  /** Identification, for reassembly. */
  id: number;
  /** Don't-fragment flag. */
  dontFragment: boolean;
  /** More-fragments flag. */
  moreFragments: boolean;
  /** Offset of this fragment's data in bytes (a multiple of 8). */
  fragmentOffset: number;
  /** Time to live. */
  ttl: number;
  /** Protocol number (1 ICMP, 6 TCP, 17 UDP). */
  protocol: number;
  /** Source address. */
  src: Ipv4Address;
  /** Destination address. */
  dst: Ipv4Address;
  /** Raw options, a multiple of 4 bytes, at most 40. Empty when none. */
  options: Uint8Array;
}

/** Length of a header with these options. */
export function ipv4HeaderLength(h: Pick<Ipv4Header, "options">): number {
  return IPV4_MIN_HEADER_LEN + h.options.length;
}

/**
 * Writes an IPv4 header at `off`, checksum included; returns the next
 * offset. Throws RangeError when options are not a multiple of 4 or > 40.
 */
export function writeIpv4Header(out: Uint8Array, off: number, h: Ipv4Header, platform?: Platform): number {
  const ol = h.options.length;
  if (ol % 4 !== 0 || ol > 40) throw new RangeError(`IPv4 options must be a multiple of 4 up to 40 bytes, got ${ol}`);
  const hl = IPV4_MIN_HEADER_LEN + ol;
  out[off + IP_VER_IHL] = 0x40 | (hl >>> 2);
  out[off + IP_TOS] = h.tos & 255;
  writeU16be(out, off + IP_LEN, h.totalLength);
  writeU16be(out, off + IP_ID, h.id);
  const frag = (h.dontFragment ? IP_FLAG_DF : 0) | (h.moreFragments ? IP_FLAG_MF : 0) | ((h.fragmentOffset >>> 3) & 0x1fff);
  writeU16be(out, off + IP_FRAG, frag);
  out[off + IP_TTL] = h.ttl & 255;
  out[off + IP_PROTO] = h.protocol & 255;
  out[off + IP_CSUM] = 0;
  out[off + IP_CSUM + 1] = 0;
  writeIpv4(out, off + IP_SRC, h.src);
  writeIpv4(out, off + IP_DST, h.dst);
  out.set(h.options, off + IPV4_MIN_HEADER_LEN);
  const c = internetChecksum(out, off, off + hl, 0, platform);
  writeU16be(out, off + IP_CSUM, c);
  return off + hl;
}

/**
 * Reads and checks an IPv4 header in [off, end): version 4, header length
 * at least 20 and within the bytes present, total length at least the
 * header length, checksum correct (else ChecksumError). Does not check the
 * total length against `end` (parseIpv4Datagram does).
 */
export function readIpv4Header(data: Uint8Array, off: number, end: number, platform?: Platform): Ipv4Header {
  need("IPv4 header", data, off, end, IPV4_MIN_HEADER_LEN);
  const vi = data[off + IP_VER_IHL];
  if (vi >>> 4 !== 4) throw new WireError("IPv4 header", off, `version ${vi >>> 4}`);
  const hl = (vi & 15) * 4;
  if (hl < IPV4_MIN_HEADER_LEN) throw new WireError("IPv4 header", off, `header length ${hl} < 20`);
  need("IPv4 header", data, off, end, hl);
  const totalLength = readU16be(data, off + IP_LEN);
  if (totalLength < hl) throw new WireError("IPv4 header", off + IP_LEN, `total length ${totalLength} < header length ${hl}`);
  if (internetChecksum(data, off, off + hl, 0, platform) !== 0) {
    throw new ChecksumError("IPv4 header", off + IP_CSUM, readU16be(data, off + IP_CSUM));
  }
  const frag = readU16be(data, off + IP_FRAG);
  return {
    tos: data[off + IP_TOS],
    totalLength,
    id: readU16be(data, off + IP_ID),
    dontFragment: (frag & IP_FLAG_DF) !== 0,
    moreFragments: (frag & IP_FLAG_MF) !== 0,
    fragmentOffset: (frag & 0x1fff) * 8,
    ttl: data[off + IP_TTL],
    protocol: data[off + IP_PROTO],
    src: readIpv4(data, off + IP_SRC),
    dst: readIpv4(data, off + IP_DST),
    options: data.slice(off + IPV4_MIN_HEADER_LEN, off + hl),
  };
}

/** Codec of the IPv4 header alone (totalLength is carried, not derived). */
export const ipv4Header: Codec<Ipv4Header> = {
  encodingLength: ipv4HeaderLength,
  encodeInto: (h, out, off) => writeIpv4Header(out, off, h),
  decode(data, off, end) {
    const value = readIpv4Header(data, off, end);
    return { value, next: off + ipv4HeaderLength(value) };
  },
};

/** A checked view of an IPv4 datagram: the header and where its payload lies. */
export interface Ipv4View {
  /** The decoded header. */
  header: Ipv4Header;
  /** Offset of the first payload byte in the buffer. */
  payloadStart: number;
  /** Offset just past the payload (link padding beyond totalLength excluded). */
  payloadEnd: number;
}

/**
 * Checks an IPv4 datagram in [off, end): the header (readIpv4Header) and
 * that totalLength fits in the bytes present. Bytes past totalLength (e.g.
 * Ethernet padding) are ignored.
 */
export function parseIpv4Datagram(data: Uint8Array, off: number, end: number, platform?: Platform): Ipv4View {
  const header = readIpv4Header(data, off, end, platform);
  need("IPv4 datagram", data, off, end, header.totalLength);
  return { header, payloadStart: off + ipv4HeaderLength(header), payloadEnd: off + header.totalLength };
}

/** An IPv4 datagram with its payload; the total length is derived. */
export interface Ipv4Datagram {
  /** Header fields (totalLength is ignored on encode and set on decode). */
  header: Omit<Ipv4Header, "totalLength">;
  /** The payload (a copy on decode). */
  payload: Uint8Array;
}

/** Codec of a whole IPv4 datagram; decode stops at totalLength. */
export const ipv4Datagram: Codec<Ipv4Datagram> = {
  encodingLength: (d) => ipv4HeaderLength(d.header) + d.payload.length,
  encodeInto(d, out, off) {
    const next = writeIpv4Header(out, off, { ...d.header, totalLength: ipv4HeaderLength(d.header) + d.payload.length });
    out.set(d.payload, next);
    return next + d.payload.length;
  },
  decode(data, off, end) {
    const v = parseIpv4Datagram(data, off, end);
    const { totalLength: _t, ...header } = v.header;
    return { value: { header, payload: data.slice(v.payloadStart, v.payloadEnd) }, next: v.payloadEnd };
  },
};
