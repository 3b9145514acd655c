import { asciiBytes, latin1, readU16be } from "@pxe/core";
import type { DhcpOption } from "./options.js";
import { type Ipv4, readIpv4, writeIpv4 } from "./ipv4.js";

/**
 * Typed readers and builders for option payloads. Readers return undefined
 * for a payload of the wrong shape, so one malformed optional field never
 * spoils a whole reply.
 */

/** One byte, or undefined unless the payload is exactly one byte. */
export function readU8(d: Uint8Array | undefined): number | undefined {
  return d && d.length === 1 ? d[0] : undefined;
}

/** Big-endian u16, or undefined unless the payload is exactly two bytes. */
export function readU16(d: Uint8Array | undefined): number | undefined {
  return d && d.length === 2 ? readU16be(d, 0) : undefined;
}

/** Big-endian u32, or undefined unless the payload is exactly four bytes. */
export function readU32(d: Uint8Array | undefined): number | undefined {
  return d && d.length === 4 ? readIpv4(d, 0) : undefined;
}

/** One IPv4 address, or undefined unless the payload is exactly four bytes. */
export function readIpv4Option(d: Uint8Array | undefined): Ipv4 | undefined {
  return readU32(d);
}

/** A list of IPv4 addresses, or undefined unless the payload is a non-empty multiple of four. */
export function readIpv4List(d: Uint8Array | undefined): Ipv4[] | undefined {
  if (!d || d.length === 0 || d.length % 4 !== 0) return undefined;
  const out: Ipv4[] = [];
  for (let i = 0; i < d.length; i += 4) out.push(readIpv4(d, i));
  return out;
}

/** A Latin-1 string with trailing NULs removed (some servers NUL-terminate). */
export function readString(d: Uint8Array | undefined): string | undefined {
  if (!d) return undefined;
  let e = d.length;
  while (e > 0 && d[e - 1] === 0) e--;
  return latin1(d, 0, e);
}

/** An option holding raw bytes. */
export function bytesOption(code: number, data: Uint8Array): DhcpOption {
  return { code, data };
}

/** An option holding one byte. */
export function u8Option(code: number, v: number): DhcpOption {
  return { code, data: Uint8Array.of(v & 255) };
}

/** An option holding a big-endian u16. */
export function u16Option(code: number, v: number): DhcpOption {
  return { code, data: Uint8Array.of((v >>> 8) & 255, v & 255) };
}

/** An option holding a big-endian u32. */
export function u32Option(code: number, v: number): DhcpOption {
  const data = new Uint8Array(4);
  writeIpv4(data, 0, v >>> 0);
  return { code, data };
}

/** An option holding IPv4 addresses. */
export function ipv4Option(code: number, ...addrs: Ipv4[]): DhcpOption {
  const data = new Uint8Array(addrs.length * 4);
  addrs.forEach((a, i) => writeIpv4(data, i * 4, a));
  return { code, data };
}

/** An option holding a Latin-1 string (no terminating NUL). */
export function stringOption(code: number, s: string): DhcpOption {
  return { code, data: asciiBytes(s) };
}
