import { formatIpv4 } from "@pxe/ip";
import type { DnsCache } from "./cache.js";

/** Configuration of a {@link DnsResolver}. */
export interface ResolverConfig {
  /** Servers in order of preference: IPv4/IPv6 text, or IPv4 as a u32 (as DHCP leases give them). */
  readonly servers: readonly (string | number)[];
  /** Source of randomness for query ids and source ports (a @pxe/core Platform fits). */
  readonly random: { randomBytes(out: Uint8Array): void };
  /** Search domains tried for single-label names (e.g. DHCP option 15), in order. */
  readonly searchDomains?: readonly string[];
  /** Time to wait for each try, ms (default 2000). */
  readonly timeoutMs?: number;
  /** Rounds over the server list before giving up (default 2). */
  readonly attempts?: number;
  /** Most CNAMEs followed for one lookup (default 8). */
  readonly maxCnameChain?: number;
  /** The cache to use; null for none (default: a new 256-entry DnsCache). */
  readonly cache?: DnsCache | null;
  /** Server port (default 53). */
  readonly port?: number;
  /**
   * Retry a truncated (TC) answer over TCP (default false: DnsTruncatedError).
   * The adapter must then carry "tcp" transmits; StackResolver turns this on
   * when the stack has stream sockets (@pxe/tcp's installTcp).
   */
  readonly tcp?: boolean;
  /** Lowest source port chosen at random (default 49152); ports are drawn from [min, 65535]. */
  readonly minSourcePort?: number;
}

/** Turns a server given as a u32 into IPv4 text. */
export function serverText(s: string | number): string {
  return typeof s === "number" ? formatIpv4(s >>> 0) : s;
}
