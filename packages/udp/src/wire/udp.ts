import { fold, need, onesSum, WireError, type Codec, type Platform, readU16be, writeU16be } from "@pxe/core";
import { ChecksumError, IP_PROTO_UDP, pseudoHeaderSum, type Ipv4Address } from "@pxe/ip";

/** Length of the UDP header. */
export const UDP_HEADER_LEN = 8;
/** Field offsets in a UDP header. */
export const UDP_SRC_PORT = 0;
/** Offset of the destination port. */
export const UDP_DST_PORT = 2;
/** Offset of the length (header + payload). */
export const UDP_LENGTH = 4;
/** Offset of the checksum. */
export const UDP_CHECKSUM = 6;
/** Largest UDP payload over IPv4 without options (65535 - 20 - 8). */
export const UDP_MAX_PAYLOAD = 65507;

/** The raw 8-byte UDP header (checksum as found; 0 = none). */
export interface UdpHeader {
  /** Source port. */
  srcPort: number;
  /** Destination port. */
  dstPort: number;
  /** Length of header plus payload. */
  length: number;
  /** Checksum field as on the wire. */
  checksum: number;
}

/** Codec of the raw UDP header (no checksum computation: see writeUdp/readUdp). */
export const udpHeader: Codec<UdpHeader> = {
  encodingLength: () => UDP_HEADER_LEN,
  encodeInto(h, out, off) {
    writeU16be(out, off + UDP_SRC_PORT, h.srcPort);
    writeU16be(out, off + UDP_DST_PORT, h.dstPort);
    writeU16be(out, off + UDP_LENGTH, h.length);
    writeU16be(out, off + UDP_CHECKSUM, h.checksum);
    return off + UDP_HEADER_LEN;
  },
  decode(data, off, end) {
    need("UDP header", data, off, end, UDP_HEADER_LEN);
    return {
      value: { srcPort: readU16be(data, off), dstPort: readU16be(data, off + 2), length: readU16be(data, off + 4), checksum: readU16be(data, off + 6) },
      next: off + UDP_HEADER_LEN,
    };
  },
};

/** A UDP datagram's ports and payload. */
export interface UdpDatagram {
  /** Source port. */
  srcPort: number;
  /** Destination port. */
  dstPort: number;
  /** Payload (a copy on decode). */
  payload: Uint8Array;
}

/**
 * Writes a UDP datagram (header, payload, checksum over the pseudo-header
 * of src/dst) at `off`; returns the next offset. A computed checksum of 0
 * is sent as 0xffff (RFC 768).
 */
export function writeUdp(out: Uint8Array, off: number, srcPort: number, dstPort: number, payload: Uint8Array, src: Ipv4Address, dst: Ipv4Address, platform?: Platform): number {
  const len = UDP_HEADER_LEN + payload.length;
  writeU16be(out, off + UDP_SRC_PORT, srcPort);
  writeU16be(out, off + UDP_DST_PORT, dstPort);
  writeU16be(out, off + UDP_LENGTH, len);
  writeU16be(out, off + UDP_CHECKSUM, 0);
  out.set(payload, off + UDP_HEADER_LEN);
  writeU16be(out, off + UDP_CHECKSUM, udpChecksum(out, off, off + len, src, dst, platform) || 0xffff);
  return off + len;
}

/** The UDP checksum of the datagram in [start, end) (checksum field counted as is). */
export function udpChecksum(data: Uint8Array, start: number, end: number, src: Ipv4Address, dst: Ipv4Address, platform?: Platform): number {
  const s = onesSum(platform, data, start, end, pseudoHeaderSum(src, dst, IP_PROTO_UDP, end - start));
  return ~fold(s) & 0xffff;
}

/** A checked view of a received UDP datagram (payload is data[payloadStart, payloadEnd)). */
export interface UdpView {
  /** Source port. */
  srcPort: number;
  /** Destination port. */
  dstPort: number;
  /** First payload byte. */
  payloadStart: number;
  /** Just past the payload (per the UDP length field). */
  payloadEnd: number;
  /** False when the sender sent no checksum (0). */
  checksummed: boolean;
}

/**
 * Checks a UDP datagram in [start, end) received from src to dst: header
 * present, 8 <= length <= bytes present, checksum right unless it is zero
 * (ChecksumError). Bytes beyond the length field are ignored.
 */
export function readUdp(data: Uint8Array, start: number, end: number, src: Ipv4Address, dst: Ipv4Address, platform?: Platform): UdpView {
  need("UDP header", data, start, end, UDP_HEADER_LEN);
  const length = readU16be(data, start + UDP_LENGTH);
  if (length < UDP_HEADER_LEN) throw new WireError("UDP header", start + UDP_LENGTH, `length ${length} < 8`);
  need("UDP datagram", data, start, end, length);
  const csum = readU16be(data, start + UDP_CHECKSUM);
  if (csum !== 0 && udpChecksum(data, start, start + length, src, dst, platform) !== 0) throw new ChecksumError("UDP datagram", start + UDP_CHECKSUM, csum);
  return { srcPort: readU16be(data, start), dstPort: readU16be(data, start + UDP_DST_PORT), payloadStart: start + UDP_HEADER_LEN, payloadEnd: start + length, checksummed: csum !== 0 };
}

/** A codec of UDP datagrams between two fixed addresses (the pseudo-header needs them). */
export function udpDatagram(src: Ipv4Address, dst: Ipv4Address): Codec<UdpDatagram> {
  return {
    encodingLength: (d) => UDP_HEADER_LEN + d.payload.length,
    encodeInto: (d, out, off) => writeUdp(out, off, d.srcPort, d.dstPort, d.payload, src, dst),
    decode(data, off, end) {
      const v = readUdp(data, off, end, src, dst);
      return { value: { srcPort: v.srcPort, dstPort: v.dstPort, payload: data.slice(v.payloadStart, v.payloadEnd) }, next: v.payloadEnd };
    },
  };
}
