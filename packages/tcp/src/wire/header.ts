import { WireError, need, readU16be, readU32be, type Codec, type Decoded } from "@pxe/core";
import { TCP_HEADER_LEN, TCP_MAX_HEADER_LEN, TcpField as F } from "./constants.js";
import { tcpOptionsCodec, type TcpOption } from "./options.js";

/** The option list of a header without options (shared, never mutated). */
const NO_OPTIONS: readonly TcpOption[] = [];

/**
 * A TCP header as plain data (smoltcp's `TcpRepr` without the payload).
 * `flags` holds the control bits of byte 13 (see `TcpFlags`); the four
 * reserved bits of byte 12 are carried in `reserved` so decoding and
 * re-encoding is byte-exact.
 */
export interface TcpHeader {
  /** Source port. */
  readonly srcPort: number;
  /** Destination port. */
  readonly dstPort: number;
  /** Sequence number (u32). */
  readonly seq: number;
  /** Acknowledgment number (u32; meaningful with ACK). */
  readonly ack: number;
  /** Control bits (TcpFlags). */
  readonly flags: number;
  /** Raw 16-bit window field (unscaled). */
  readonly window: number;
  /** Checksum field as on the wire (0 until `encodeSegment` fills it). */
  readonly checksum: number;
  /** Urgent pointer. */
  readonly urgent: number;
  /** Options in order, including NOP/EOL padding entries. */
  readonly options: readonly TcpOption[];
  /** Reserved bits (low nibble of byte 12); 0 when omitted. */
  readonly reserved?: number;
}

const WHAT = "TCP header";

/**
 * Codec for a TCP header with options. `decode` checks the data offset
 * against the bytes that are there (at least 20, at most `end - offset`)
 * and returns `next` = where the payload starts.
 */
export const tcpHeaderCodec: Codec<TcpHeader> = {
  encodingLength(h) {
    return TCP_HEADER_LEN + tcpOptionsCodec.encodingLength(h.options);
  },
  encodeInto(h, out, offset) {
    const len = tcpHeaderCodec.encodingLength(h);
    if (len > TCP_MAX_HEADER_LEN) throw new RangeError(`TCP header of ${len} bytes exceeds ${TCP_MAX_HEADER_LEN}`);
    const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
    dv.setUint16(offset + F.SRC_PORT, h.srcPort);
    dv.setUint16(offset + F.DST_PORT, h.dstPort);
    dv.setUint32(offset + F.SEQ, h.seq >>> 0);
    dv.setUint32(offset + F.ACK, h.ack >>> 0);
    out[offset + F.DATA_OFFSET] = ((len >> 2) << 4) | ((h.reserved ?? 0) & 0x0f);
    out[offset + F.FLAGS] = h.flags & 0xff;
    dv.setUint16(offset + F.WINDOW, h.window);
    dv.setUint16(offset + F.CHECKSUM, h.checksum);
    dv.setUint16(offset + F.URGENT, h.urgent);
    return tcpOptionsCodec.encodeInto(h.options, out, offset + TCP_HEADER_LEN);
  },
  decode(data, offset, end): Decoded<TcpHeader> {
    need(WHAT, data, offset, end, TCP_HEADER_LEN);
    const b12 = data[offset + F.DATA_OFFSET];
    const hlen = (b12 >> 4) * 4;
    if (hlen < TCP_HEADER_LEN) throw new WireError(WHAT, offset + F.DATA_OFFSET, `data offset ${hlen >> 2} words is below 5`);
    if (hlen > end - offset) throw new WireError(WHAT, offset + F.DATA_OFFSET, `data offset ${hlen} bytes exceeds the ${end - offset} bytes there`);
    // Per received segment: no DataView, no option list for a bare header.
    const options = hlen === TCP_HEADER_LEN ? NO_OPTIONS : tcpOptionsCodec.decode(data, offset + TCP_HEADER_LEN, offset + hlen).value;
    const value: TcpHeader = {
      srcPort: readU16be(data, offset + F.SRC_PORT),
      dstPort: readU16be(data, offset + F.DST_PORT),
      seq: readU32be(data, offset + F.SEQ),
      ack: readU32be(data, offset + F.ACK),
      flags: data[offset + F.FLAGS],
      window: readU16be(data, offset + F.WINDOW),
      checksum: readU16be(data, offset + F.CHECKSUM),
      urgent: readU16be(data, offset + F.URGENT),
      options,
      reserved: b12 & 0x0f,
    };
    return { value, next: offset + hlen };
  },
};

/** Human-readable flags, e.g. "SYN|ACK" (for logs and test messages). */
export function flagsToString(flags: number): string {
  const names = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"];
  const out: string[] = [];
  for (let i = 0; i < 8; i++) if (flags & (1 << i)) out.push(names[i]);
  return out.join("|") || "-";
}
