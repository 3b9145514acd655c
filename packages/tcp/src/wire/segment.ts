import { WireError, type Platform, writeU16be } from "@pxe/core";
import { tcpChecksum } from "./checksum.js";
import { TcpField } from "./constants.js";
import { tcpHeaderCodec, type TcpHeader } from "./header.js";

/** A decoded segment: the header and a view of the payload (a lease: copy what you keep). */
export interface TcpSegment {
  /** The header. */
  readonly header: TcpHeader;
  /** Payload bytes (a subarray of the input, not a copy). */
  readonly payload: Uint8Array;
}

/** Bytes a segment with this header and payload length occupies. */
export function segmentLength(h: TcpHeader, payloadLength: number): number {
  return tcpHeaderCodec.encodingLength(h) + payloadLength;
}

/**
 * Writes header and payload at `offset` of `out` and fills in the checksum
 * for the IPv4 pseudo-header of `srcAddr`/`dstAddr` (u32). The header's own
 * `checksum` field is ignored. Returns the offset after the payload.
 */
export function encodeSegmentInto(h: TcpHeader, payload: Uint8Array, srcAddr: number, dstAddr: number, out: Uint8Array, offset: number, platform?: Platform): number {
  const p = tcpHeaderCodec.encodeInto(h, out, offset);
  out.set(payload, p);
  const end = p + payload.length;
  out[offset + TcpField.CHECKSUM] = 0;
  out[offset + TcpField.CHECKSUM + 1] = 0;
  const c = tcpChecksum(srcAddr, dstAddr, out, offset, end, platform);
  writeU16be(out, offset + TcpField.CHECKSUM, c);
  return end;
}

/** Encodes a segment into a fresh buffer (see `encodeSegmentInto`). */
export function encodeSegment(h: TcpHeader, payload: Uint8Array, srcAddr: number, dstAddr: number, platform?: Platform): Uint8Array {
  const out = new Uint8Array(segmentLength(h, payload.length));
  encodeSegmentInto(h, payload, srcAddr, dstAddr, out, 0, platform);
  return out;
}

/**
 * Decodes the segment in [offset, end). With `addrs` the checksum is
 * verified against that pseudo-header and a mismatch throws WireError.
 * Throws only WireError.
 */
export function decodeSegment(data: Uint8Array, offset: number, end: number, addrs?: { readonly src: number; readonly dst: number }, platform?: Platform): TcpSegment {
  const { value, next } = tcpHeaderCodec.decode(data, offset, end);
  if (addrs && tcpChecksum(addrs.src, addrs.dst, data, offset, end, platform) !== 0) {
    throw new WireError("TCP segment", offset + TcpField.CHECKSUM, "bad checksum");
  }
  return { header: value, payload: data.subarray(next, end) };
}
