/**
 * @pxe/udp — UDP over @pxe/ip: wire codecs (`wire/udp`), and `UdpLayer`,
 * the protocol-17 handler with port demultiplexing, ephemeral ports and
 * ICMP errors delivered to the endpoint that caused them.
 */
export {
  udpHeader, udpDatagram, writeUdp, readUdp, udpChecksum,
  UDP_HEADER_LEN, UDP_SRC_PORT, UDP_DST_PORT, UDP_LENGTH, UDP_CHECKSUM, UDP_MAX_PAYLOAD,
} from "./wire/udp.js";
export type { UdpHeader, UdpDatagram, UdpView } from "./wire/udp.js";
export { UdpLayer, UdpEndpoint, EPHEMERAL_MIN, EPHEMERAL_MAX } from "./machine/udp-layer.js";
export type { UdpInbound, UdpEndpointHandler, UdpOptions } from "./machine/udp-layer.js";
export { AddressInUseError, NoFreePortError } from "./errors.js";
