/**
 * IPv4 and MAC address helpers. An IPv4 address is an unsigned 32-bit
 * number (network order as a value: 10.0.2.2 is 0x0a000202); a MAC address
 * is a 6-byte Uint8Array.
 */
import { formatIpv4, parseDottedQuad, readU32be, writeU32be } from "@pxe/core";

export { formatIpv4 };

/** An IPv4 address as an unsigned 32-bit integer (10.0.2.2 = 0x0a000202). */
export type Ipv4Address = number;

/** 0.0.0.0, the unspecified address. */
export const IPV4_ANY: Ipv4Address = 0;
/** 255.255.255.255, the limited broadcast address. */
export const IPV4_BROADCAST: Ipv4Address = 0xffffffff;

/** Parses dotted-quad text ("10.0.2.2", surrounding white space ignored); returns undefined when it is not one. */
export function tryParseIpv4(text: string): Ipv4Address | undefined {
  return parseDottedQuad(text.trim());
}

/** Parses dotted-quad text; throws RangeError when it is not an IPv4 address. */
export function parseIpv4(text: string): Ipv4Address {
  const v = tryParseIpv4(text);
  if (v === undefined) throw new RangeError(`not an IPv4 address: ${JSON.stringify(text)}`);
  return v;
}

/** Accepts an address as number or dotted-quad text and returns the number. */
export function toIpv4(a: Ipv4Address | string): Ipv4Address {
  return typeof a === "string" ? parseIpv4(a) : a >>> 0;
}

/** The netmask of a CIDR prefix length (24 -> 0xffffff00). */
export function prefixToMask(prefix: number): number {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new RangeError(`bad prefix length ${prefix}`);
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The prefix length of a contiguous netmask; throws RangeError otherwise. */
export function maskToPrefix(mask: number): number {
  const m = mask >>> 0;
  let p = 0;
  while (p < 32 && (m & (0x80000000 >>> p)) !== 0) p++;
  if (prefixToMask(p) !== m) throw new RangeError(`non-contiguous netmask ${formatIpv4(m)}`);
  return p;
}

/** True when `a` lies in `net`/`prefix`. */
export function inSubnet(a: Ipv4Address, net: Ipv4Address, prefix: number): boolean {
  const m = prefixToMask(prefix);
  return ((a & m) >>> 0) === ((net & m) >>> 0);
}

/**
 * True when `a` can be a host's own unicast address: not in 0.0.0.0/8
 * ("this network"), 127.0.0.0/8 (loopback), 224.0.0.0/4 (multicast) or
 * 240.0.0.0/4 (reserved, and 255.255.255.255) — RFC 1122 §3.2.1.3, RFC 5735.
 */
export function isHostAddress(a: Ipv4Address): boolean {
  const first = a >>> 24;
  return first !== 0 && first !== 127 && first < 224;
}

/** True for 224.0.0.0/4. */
export function isMulticast(a: Ipv4Address): boolean {
  return (a >>> 28) === 0xe;
}

/** Reads a big-endian IPv4 address at `off`. The caller has checked bounds. */
export function readIpv4(u8: Uint8Array, off: number): Ipv4Address {
  return readU32be(u8, off);
}

/** Writes `a` big-endian at `off`. */
export function writeIpv4(u8: Uint8Array, off: number, a: Ipv4Address): void {
  writeU32be(u8, off, a);
}

/** A MAC address: 6 bytes. */
export type MacAddress = Uint8Array;

/** ff:ff:ff:ff:ff:ff. Never mutate it. */
export const MAC_BROADCAST: MacAddress = new Uint8Array([255, 255, 255, 255, 255, 255]);
/** 00:00:00:00:00:00 (ARP's "unknown" target). Never mutate it. */
export const MAC_ZERO: MacAddress = new Uint8Array(6);

/** Formats a MAC as lower-case "52:54:00:12:34:56". */
export function formatMac(mac: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i < mac.length; i++) out.push((mac[i] < 16 ? "0" : "") + mac[i].toString(16));
  return out.join(":");
}

/** Parses "52:54:00:12:34:56" (or '-' separators); throws RangeError otherwise. */
export function parseMac(text: string): MacAddress {
  const parts = text.trim().split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) throw new RangeError(`not a MAC address: ${JSON.stringify(text)}`);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

/** True when both MACs hold the same 6 bytes. */
export function macEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== 6 || b.length !== 6) return false;
  for (let i = 0; i < 6; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when bit 0 of the first byte is set (multicast and broadcast). */
export function macIsGroup(mac: Uint8Array): boolean {
  return (mac[0] & 1) === 1;
}
