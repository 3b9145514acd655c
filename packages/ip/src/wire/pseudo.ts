import type { Ipv4Address } from "./address.js";

/**
 * Unfolded ones'-complement sum of the IPv4 pseudo-header used by UDP and
 * TCP checksums (RFC 768, RFC 793): source, destination, zero, protocol,
 * and the transport length. Add it as `initial` to the segment's sum.
 */
export function pseudoHeaderSum(src: Ipv4Address, dst: Ipv4Address, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}
