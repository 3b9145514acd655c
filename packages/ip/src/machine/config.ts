import { formatIpv4, maskToPrefix, prefixToMask, toIpv4, type Ipv4Address } from "../wire/address.js";

/** Interface configuration as given by a user or DHCP: addresses as numbers or dotted text. */
export interface InterfaceConfigInput {
  /** Our address (0.0.0.0 = unconfigured). */
  address?: Ipv4Address | string;
  /** CIDR prefix length; or give `netmask`. */
  prefix?: number;
  /** Netmask, alternative to `prefix`. */
  netmask?: Ipv4Address | string;
  /** Default gateway, if any. */
  gateway?: Ipv4Address | string;
  /** DNS servers (kept for the resolver; the IP layer does not use them). */
  dns?: (Ipv4Address | string)[];
  /** Static routes. */
  routes?: { destination: Ipv4Address | string; prefix: number; gateway: Ipv4Address | string }[];
  /** Domain name (search domain) from DHCP. */
  domain?: string;
  /** Host name from DHCP. */
  hostname?: string;
}

/** The normalized interface configuration (plain data, for `ifconfig`). */
export interface InterfaceConfig {
  /** Our address; 0 when unconfigured. */
  address: Ipv4Address;
  /** Prefix length. */
  prefix: number;
  /** Default gateway; 0 when none. */
  gateway: Ipv4Address;
  /** DNS servers. */
  dns: Ipv4Address[];
  /** Static routes. */
  routes: { destination: Ipv4Address; prefix: number; gateway: Ipv4Address }[];
  /** Domain name, "" when none. */
  domain: string;
  /** Host name, "" when none. */
  hostname: string;
}

/** The unconfigured state: 0.0.0.0/0, no gateway. */
export const UNCONFIGURED: InterfaceConfig = { address: 0, prefix: 0, gateway: 0, dns: [], routes: [], domain: "", hostname: "" };

/**
 * Merges `input` over `base` and normalizes it. Throws RangeError on bad
 * addresses or prefixes.
 */
export function normalizeConfig(input: InterfaceConfigInput, base: InterfaceConfig = UNCONFIGURED): InterfaceConfig {
  const prefix = input.prefix !== undefined ? (prefixToMask(input.prefix), input.prefix) : input.netmask !== undefined ? maskToPrefix(toIpv4(input.netmask)) : base.prefix;
  return {
    address: input.address !== undefined ? toIpv4(input.address) : base.address,
    prefix,
    gateway: input.gateway !== undefined ? toIpv4(input.gateway) : base.gateway,
    dns: input.dns !== undefined ? input.dns.map(toIpv4) : base.dns.slice(),
    routes: input.routes !== undefined ? input.routes.map((r) => ({ destination: toIpv4(r.destination), prefix: (prefixToMask(r.prefix), r.prefix), gateway: toIpv4(r.gateway) })) : base.routes.map((r) => ({ ...r })),
    domain: input.domain ?? base.domain,
    hostname: input.hostname ?? base.hostname,
  };
}

/** The netmask of a config as dotted text. */
export function netmaskOf(c: InterfaceConfig): string {
  return formatIpv4(prefixToMask(c.prefix));
}
