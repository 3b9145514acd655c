/** EtherType of IPv4. */
export const ETHERTYPE_IPV4 = 0x0800;
/** EtherType of ARP. */
export const ETHERTYPE_ARP = 0x0806;
/** IP protocol number of ICMP. */
export const IP_PROTO_ICMP = 1;
/** IP protocol number of TCP. */
export const IP_PROTO_TCP = 6;
/** IP protocol number of UDP. */
export const IP_PROTO_UDP = 17;
/** Length of the Ethernet II header (no VLAN tag, no FCS). */
export const ETHERNET_HEADER_LEN = 14;
/** Length of an IPv4 header without options. */
export const IPV4_MIN_HEADER_LEN = 20;
/** Largest IPv4 datagram (header included). */
export const IPV4_MAX_DATAGRAM = 65535;
