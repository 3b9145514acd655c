import { formatIpv4 } from "@pxe/ip";
import type { Resolver } from "../transport.js";

/** What the adapter needs from @pxe/dns's StackResolver (its public `resolve4`). */
export interface Ipv4Lookup {
  /** One IPv4 address of `name` as a u32; rejects with @pxe/dns's typed errors. */
  resolve4(name: string): Promise<number>;
}

/**
 * The HttpClient's Resolver over @pxe/dns (`new StackResolver(stack)`): the
 * first A record as a dotted quad. A failure (NXDOMAIN, timeout) rejects
 * with the DNS error, which the client wraps in a DnsError naming the URL.
 */
export function dnsResolver(dns: Ipv4Lookup): Resolver {
  return {
    async resolve(hostname: string): Promise<string> {
      return formatIpv4((await dns.resolve4(hostname)) >>> 0);
    },
  };
}
