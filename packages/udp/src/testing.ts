/** fast-check arbitraries for @pxe/udp ("@pxe/udp/testing"). */
import fc from "fast-check";
import type { UdpDatagram, UdpHeader } from "./wire/udp.js";

/** Any port, 0..65535. */
export const arbPort: fc.Arbitrary<number> = fc.integer({ min: 0, max: 0xffff });

/** Raw UDP headers. */
export const arbUdpHeader: fc.Arbitrary<UdpHeader> = fc.record({ srcPort: arbPort, dstPort: arbPort, length: arbPort, checksum: arbPort });

/** UDP datagrams with payloads up to `maxPayload` (default 1472). */
export function arbUdpDatagram(maxPayload = 1472): fc.Arbitrary<UdpDatagram> {
  return fc.record({ srcPort: arbPort, dstPort: arbPort, payload: fc.uint8Array({ maxLength: maxPayload }) });
}
