import fc from "fast-check";
import { DhcpOptionCode } from "./wire/constants.js";
import type { DhcpMessage } from "./wire/message.js";
import type { DhcpOption } from "./wire/options.js";

/** Any IPv4 address as a u32. */
export const arbIpv4: fc.Arbitrary<number> = fc.nat({ max: 0xffffffff });

/** A Latin-1 string without NUL of at most `max` characters. */
export function arbLatin1(max: number): fc.Arbitrary<string> {
  return fc.array(fc.integer({ min: 1, max: 255 }), { maxLength: max }).map((cs) => String.fromCharCode(...cs));
}

/** A list of options with unique codes 1..254 other than 52 (overload), data up to 600 bytes (exercises RFC 3396 splitting). */
export const arbDhcpOptions: fc.Arbitrary<DhcpOption[]> = fc
  .uniqueArray(
    fc.record({
      code: fc.integer({ min: 1, max: 254 }).filter((c) => c !== DhcpOptionCode.Overload),
      data: fc.oneof({ weight: 5, arbitrary: fc.uint8Array({ maxLength: 40 }) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 600 }) }),
    }),
    { selector: (o) => o.code, maxLength: 12 },
  );

/** Any DHCP message the encoder accepts. */
export const arbDhcpMessage: fc.Arbitrary<DhcpMessage> = fc.record({
  op: fc.integer({ min: 0, max: 255 }),
  htype: fc.integer({ min: 0, max: 255 }),
  hops: fc.integer({ min: 0, max: 255 }),
  xid: fc.nat({ max: 0xffffffff }),
  secs: fc.integer({ min: 0, max: 0xffff }),
  flags: fc.integer({ min: 0, max: 0xffff }),
  ciaddr: arbIpv4,
  yiaddr: arbIpv4,
  siaddr: arbIpv4,
  giaddr: arbIpv4,
  chaddr: fc.uint8Array({ maxLength: 16 }),
  sname: arbLatin1(64),
  file: arbLatin1(128),
  options: arbDhcpOptions,
});
