import { encode } from "@pxe/core";
import { bootpCodec } from "../pxe/bootp.js";
import { ip4FromString } from "../pxe/fields.js";

function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * A DHCPACK like QEMU's user-mode network gives a PXE client: 10.0.2.15,
 * router and server 10.0.2.2, DNS 10.0.2.3, boot file `bootFile`.
 */
export function defaultDhcpAck(mac: Uint8Array, bootFile = "pxehttp.0"): Uint8Array {
  const chaddr = new Uint8Array(16);
  chaddr.set(mac.subarray(0, 6));
  const file = new Uint8Array(128);
  file.set(ascii(bootFile).subarray(0, 127));
  return encode(bootpCodec, {
    op: 2, htype: 1, hlen: 6, hops: 0, xid: 0x12345678, secs: 0, flags: 0x8000,
    ciaddr: "0.0.0.0", yiaddr: "10.0.2.15", siaddr: "10.0.2.2", giaddr: "0.0.0.0",
    chaddr, sname: new Uint8Array(64), file,
    options: [
      { code: 53, data: Uint8Array.of(5) },
      { code: 54, data: ip4FromString("10.0.2.2") },
      { code: 51, data: Uint8Array.of(0, 1, 0x51, 0x80) },
      { code: 1, data: ip4FromString("255.255.255.0") },
      { code: 3, data: ip4FromString("10.0.2.2") },
      { code: 6, data: ip4FromString("10.0.2.3") },
      { code: 67, data: ascii(bootFile) },
    ],
  });
}
