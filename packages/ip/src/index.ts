/**
 * @pxe/ip — Ethernet II, ARP, IPv4 (routes, fragments) and ICMP (ping),
 * as wire codecs (`wire/`) and synchronous machines driven by `poll(now)`
 * (`machine/`). `IpInterface` runs them over any @pxe/undi LinkDriver;
 * transports register per protocol number.
 */
export * from "./wire/address.js";
export { parseIpv6, formatIpv6 } from "./wire/ipv6-text.js";
export * from "./wire/constants.js";
export { ethernetHeader, ethernetFrame, writeEthernetHeader, ETH_DST, ETH_SRC, ETH_TYPE } from "./wire/ethernet.js";
export type { EthernetHeader, EthernetFrame } from "./wire/ethernet.js";
export { arpPacket, ARP_REQUEST, ARP_REPLY, ARP_LEN } from "./wire/arp.js";
export type { ArpPacket } from "./wire/arp.js";
export {
  ipv4Header, ipv4Datagram, readIpv4Header, writeIpv4Header, parseIpv4Datagram, ipv4HeaderLength,
  IP_VER_IHL, IP_TOS, IP_LEN, IP_ID, IP_FRAG, IP_TTL, IP_PROTO, IP_CSUM, IP_SRC, IP_DST, IP_FLAG_DF, IP_FLAG_MF,
} from "./wire/ipv4.js";
export type { Ipv4Header, Ipv4View, Ipv4Datagram } from "./wire/ipv4.js";
export {
  icmpMessage, readIcmp, writeIcmp, parseQuoted,
  ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, ICMP_DEST_UNREACHABLE, ICMP_TIME_EXCEEDED, ICMP_PORT_UNREACHABLE, ICMP_PROTO_UNREACHABLE, ICMP_HEADER_LEN,
} from "./wire/icmp.js";
export type { IcmpMessage, IcmpEcho, IcmpDestUnreachable, IcmpTimeExceeded, IcmpOther, QuotedDatagram } from "./wire/icmp.js";
export { pseudoHeaderSum } from "./wire/pseudo.js";
export { ChecksumError, ArpTimeoutError, NoRouteError, DatagramTooLongError, IcmpErrorReport } from "./errors.js";
export { Counters } from "./machine/counters.js";
export type { DropReason, Verdict, LayerCounters } from "./machine/counters.js";
export { dropReasonOf } from "./machine/classify.js";
export { ArpCache } from "./machine/arp-cache.js";
export type { ArpOptions, ArpEntry, ArpFailure, ArpPollResult } from "./machine/arp-cache.js";
export { RouteTable } from "./machine/routes.js";
export type { Route } from "./machine/routes.js";
export { Reassembler } from "./machine/reassembly.js";
export type { ReassemblyOptions, ReassemblyResult, ReassemblyStats, FragmentKey } from "./machine/reassembly.js";
export { fragmentSlices } from "./machine/fragment.js";
export type { FragmentSlice } from "./machine/fragment.js";
export { PingSession } from "./machine/ping.js";
export type { PingOptions, PingReply, PingStats } from "./machine/ping.js";
export { normalizeConfig, netmaskOf, UNCONFIGURED } from "./machine/config.js";
export type { InterfaceConfig, InterfaceConfigInput } from "./machine/config.js";
export { IcmpLayer } from "./machine/icmp-layer.js";
export type { IcmpHost } from "./machine/icmp-layer.js";
export { IpInterface } from "./machine/interface.js";
export type { IpInterfaceOptions, IpStats } from "./machine/interface.js";
export type { IpPacket, IpProtocolHandler, IpSendRequest, TxOwner, IcmpErrorInfo } from "./machine/types.js";
