/**
 * IPv4 and IPv6 address text <-> bytes, for A/AAAA records and for names
 * that are address literals. IPv6 text comes from @pxe/ip.
 */
import { formatIpv4 as formatIpv4Number, formatIpv6, parseIpv6, readIpv4, tryParseIpv4, writeIpv4 } from "@pxe/ip";

export { formatIpv6, parseIpv6 };

/** Parses dotted-quad IPv4 text to 4 bytes; undefined when it is not one. */
export function parseIpv4(text: string): Uint8Array | undefined {
  const v = tryParseIpv4(text);
  if (v === undefined || text !== text.trim()) return undefined;
  const out = new Uint8Array(4);
  writeIpv4(out, 0, v);
  return out;
}

/** Dotted-quad text of 4 bytes at `off`. */
export function formatIpv4(b: Uint8Array, off = 0): string {
  return formatIpv4Number(readIpv4(b, off));
}

/** The address family of a literal name ("[::1]" brackets allowed), or undefined for a name that needs a lookup. */
export function addressLiteral(name: string): { family: 4 | 6; address: string } | undefined {
  const v4 = parseIpv4(name);
  if (v4) return { family: 4, address: formatIpv4(v4) };
  const inner = name.startsWith("[") && name.endsWith("]") ? name.slice(1, -1) : name;
  const v6 = inner.includes(":") ? parseIpv6(inner) : undefined;
  if (v6) return { family: 6, address: formatIpv6(v6) };
  return undefined;
}
