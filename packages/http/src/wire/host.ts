import { parseDottedQuad, readU16be, writeU16be } from "@pxe/core";
import { formatIpv6, parseIpv6 } from "@pxe/ip";

/**
 * IPv4 dotted-quad parsing: "10.0.2.2" -> [10,0,2,2], or null when the
 * text is not exactly four decimal parts 0..255 (no octal, no hex).
 */
export function parseIPv4(s: string): number[] | null {
  const v = parseDottedQuad(s, true);
  return v === undefined ? null : [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}

/**
 * Parses IPv6 text (with :: compression and an optional trailing dotted
 * IPv4) into eight 16-bit groups, or null when it is not valid.
 */
export function parseIPv6(s: string): number[] | null {
  const b = s.length > 45 ? undefined : parseIpv6(s);
  if (!b) return null;
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push(readU16be(b, i));
  return g;
}

/** Formats eight groups as RFC 5952 canonical text (lower case, longest zero run as ::). */
export function formatIPv6(g: readonly number[]): string {
  const b = new Uint8Array(16);
  for (let i = 0; i < 8; i++) writeU16be(b, i * 2, g[i]);
  return formatIpv6(b);
}
