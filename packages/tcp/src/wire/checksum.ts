import { fold, onesSum, type Platform } from "@pxe/core";
import { IP_PROTO_TCP, pseudoHeaderSum as ipPseudoHeaderSum } from "@pxe/ip";

/**
 * Unfolded ones'-complement sum of the IPv4 pseudo-header (RFC 9293 §3.1):
 * source and destination addresses (u32, big-endian value), zero, protocol
 * 6, and the TCP length (header + data). @pxe/ip's pseudoHeaderSum for TCP.
 */
export function pseudoHeaderSum(srcAddr: number, dstAddr: number, tcpLength: number): number {
  return ipPseudoHeaderSum(srcAddr, dstAddr, IP_PROTO_TCP, tcpLength);
}

/**
 * The TCP checksum of the segment in [start, end) of `data` with the
 * checksum field taken as it is (so it is 0 for a valid segment whose field
 * is filled in, and the value to store when the field is zero).
 */
export function tcpChecksum(srcAddr: number, dstAddr: number, data: Uint8Array, start: number, end: number, platform?: Platform): number {
  const sum = onesSum(platform, data, start, end, pseudoHeaderSum(srcAddr, dstAddr, end - start));
  return ~fold(sum) & 0xffff;
}

/** True when the segment in [start, end) carries a correct checksum. */
export function verifyTcpChecksum(srcAddr: number, dstAddr: number, data: Uint8Array, start: number, end: number, platform?: Platform): boolean {
  return tcpChecksum(srcAddr, dstAddr, data, start, end, platform) === 0;
}
