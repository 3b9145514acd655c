/**
 * IPv4 dotted-quad text, the one implementation every package uses
 * (@pxe/ip re-exports formatIpv4 and builds tryParseIpv4 on parseDottedQuad;
 * @pxe/undi's PXE IP4_t fields and @pxe/http's URL hosts use it strict).
 * An address is an unsigned 32-bit number: 10.0.2.2 is 0x0a000202.
 */

/** Formats an address (unsigned 32-bit number) as dotted-quad text. */
export function formatIpv4(a: number): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

const LENIENT = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const STRICT = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/**
 * The address written as exactly four decimal parts 0..255 ("10.0.2.2"), or
 * undefined. `strict`: no part with a leading zero ("010", which other
 * parsers read as octal), as URL hosts and PXE fields are read. No
 * white space is accepted either way.
 */
export function parseDottedQuad(text: string, strict = false): number | undefined {
  const m = (strict ? STRICT : LENIENT).exec(text);
  if (!m) return undefined;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return undefined;
    v = v * 256 + o;
  }
  return v;
}
