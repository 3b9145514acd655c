/** UNDI_OPEN PktFilter bits. */
export const Filter = {
  /** Frames to our MAC (and configured multicast addresses). */
  DIRECTED: 0x0001,
  /** Broadcast frames. */
  BROADCAST: 0x0002,
  /** Every frame. */
  PROMISCUOUS: 0x0004,
  /** Source-routed frames. */
  SOURCE_ROUTING: 0x0008,
} as const;

/** PXENV_UNDI_ISR FuncFlag values, in (IN_*) and out (OUT_*). */
export const IsrFlag = {
  /** In: is this interrupt ours? */
  IN_START: 1,
  /** In: start processing the interrupt. */
  IN_PROCESS: 2,
  /** In: continue processing. */
  IN_GET_NEXT: 3,
  /** Out of START: the interrupt is ours. */
  OUT_OURS: 0,
  /** Out of START: not ours. */
  OUT_NOT_OURS: 1,
  /** Out of PROCESS/GET_NEXT: nothing more to process. */
  OUT_DONE: 0,
  /** Out of PROCESS/GET_NEXT: a transmit completed. */
  OUT_TRANSMIT: 2,
  /** Out of PROCESS/GET_NEXT: (a piece of) a received frame. */
  OUT_RECEIVE: 3,
  /** Out of PROCESS/GET_NEXT: already processing an interrupt; try later. */
  OUT_BUSY: 4,
} as const;

/** UNDI_TRANSMIT Protocol / ISR ProtType values. */
export const Proto = {
  /** Media header already in the buffer (transmit). */
  UNKNOWN: 0,
  /** IPv4. */
  IP: 1,
  /** ARP. */
  ARP: 2,
  /** RARP. */
  RARP: 3,
  /** Anything else (receive). */
  OTHER: 4,
} as const;

/** UNDI_TRANSMIT XmitFlag values. */
export const XmitFlag = {
  /** Send to DestAddr. */
  DESTADDR: 0,
  /** Send to the broadcast address. */
  BROADCAST: 1,
} as const;

/** ISR PktType values. */
export const PktType = {
  /** Unicast (or promiscuous capture). */
  DIRECTED: 0,
  /** Broadcast. */
  BROADCAST: 1,
  /** Multicast. */
  MULTICAST: 2,
} as const;

/** GET_NIC_TYPE NicType values. */
export const NicType = {
  /** PCI NIC. */
  PCI: 2,
  /** ISA Plug and Play NIC. */
  PNP: 3,
  /** CardBus NIC (PCI layout). */
  CARDBUS: 4,
} as const;

/** GET_CACHED_INFO PacketType values. */
export const CachedPacket = {
  /** The client's DHCPDISCOVER. */
  DHCP_DISCOVER: 1,
  /** The DHCP server's DHCPACK. */
  DHCP_ACK: 2,
  /** The boot server's reply (PXE proxy/boot server, or the ACK again). */
  CACHED_REPLY: 3,
} as const;

/** GET_INFORMATION HwType values (RFC 1010 hardware types). */
export const HwType = {
  /** Ethernet (10Mb). */
  ETHERNET: 1,
  /** IEEE 802 networks. */
  IEEE802: 6,
} as const;

/** Size of PXE's MAC_ADDR_t. */
export const MAC_ADDR_LEN = 16;
/** Maximum multicast addresses in an UNDI multicast list. */
export const MAXNUM_MCADDR = 8;
/** Maximum extra data blocks in a transmit buffer descriptor. */
export const MAX_DATA_BLKS = 8;
