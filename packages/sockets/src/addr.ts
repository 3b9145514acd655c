import { formatIpv4, toIpv4, type Ipv4Address } from "@pxe/ip";

/** A socket address: IPv4 address and port. */
export interface SockAddr {
  /** IPv4 address as a u32 (0 = any). */
  address: Ipv4Address;
  /** Port (0 = any/ephemeral when binding). */
  port: number;
}

/** A socket address as callers may write it: address as number or dotted text. */
export interface SockAddrInput {
  /** IPv4 address, u32 or "10.0.2.2"; default 0.0.0.0. */
  address?: Ipv4Address | string;
  /** Port. */
  port: number;
}

/** Normalizes a SockAddrInput; throws RangeError on a bad address or port. */
export function sockAddr(a: SockAddrInput): SockAddr {
  if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535) throw new RangeError(`bad port ${a.port}`);
  return { address: a.address === undefined ? 0 : toIpv4(a.address), port: a.port };
}

/** "10.0.2.2:53". */
export function formatSockAddr(a: SockAddr): string {
  return `${formatIpv4(a.address)}:${a.port}`;
}
