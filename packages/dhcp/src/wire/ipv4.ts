/**
 * IPv4 addresses as unsigned 32-bit numbers (10.0.2.2 = 0x0a000202): the
 * helpers are @pxe/ip's, under the names DHCP has always exported.
 */
import { formatIpv4, tryParseIpv4, type Ipv4Address } from "@pxe/ip";

export { readIpv4, writeIpv4 } from "@pxe/ip";

/** An IPv4 address as an unsigned 32-bit integer. */
export type Ipv4 = Ipv4Address;

/** Dotted-quad text of `a`. */
export const ipv4Text: (a: Ipv4) => string = formatIpv4;

/** Parses dotted-quad text; undefined when it is not an IPv4 address. */
export const parseIpv4Text: (text: string) => Ipv4 | undefined = tryParseIpv4;
