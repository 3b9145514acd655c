/** UDP port a DHCP server listens on. */
export const DHCP_SERVER_PORT = 67;
/** UDP port a DHCP client listens on. */
export const DHCP_CLIENT_PORT = 68;

/** BOOTP `op` values. */
export const BootOp = {
  /** Client to server. */
  Request: 1,
  /** Server to client. */
  Reply: 2,
} as const;

/** DHCP message types (option 53). */
export const DhcpMessageType = {
  Discover: 1,
  Offer: 2,
  Request: 3,
  Decline: 4,
  Ack: 5,
  Nak: 6,
  Release: 7,
  Inform: 8,
} as const;

/** A value of {@link DhcpMessageType}. */
export type DhcpMessageTypeValue = (typeof DhcpMessageType)[keyof typeof DhcpMessageType];

/** Option codes used by this package (RFC 2132, RFC 4578, RFC 3396). */
export const DhcpOptionCode = {
  Pad: 0,
  SubnetMask: 1,
  Router: 3,
  DnsServers: 6,
  HostName: 12,
  DomainName: 15,
  RootPath: 17,
  BroadcastAddress: 28,
  NtpServers: 42,
  VendorSpecific: 43,
  RequestedAddress: 50,
  LeaseTime: 51,
  Overload: 52,
  MessageType: 53,
  ServerId: 54,
  ParameterRequestList: 55,
  Message: 56,
  MaxMessageSize: 57,
  RenewalTime: 58,
  RebindingTime: 59,
  VendorClass: 60,
  ClientId: 61,
  TftpServerName: 66,
  BootFileName: 67,
  WwwServers: 72,
  ClientArch: 93,
  ClientNdi: 94,
  ClientUuid: 97,
  End: 255,
} as const;

/** The magic cookie 99.130.83.99 that starts the DHCP options area. */
export const MAGIC_COOKIE = 0x63825363;

/** Field offsets of the fixed BOOTP header (RFC 951 / RFC 2131 §2). */
export const Offset = {
  op: 0,
  htype: 1,
  hlen: 2,
  hops: 3,
  xid: 4,
  secs: 8,
  flags: 10,
  ciaddr: 12,
  yiaddr: 16,
  siaddr: 20,
  giaddr: 24,
  chaddr: 28,
  sname: 44,
  file: 108,
  cookie: 236,
  options: 240,
} as const;

/** Size of the `chaddr` field. */
export const CHADDR_LEN = 16;
/** Size of the `sname` field. */
export const SNAME_LEN = 64;
/** Size of the `file` field. */
export const FILE_LEN = 128;
/** Fixed header length without the magic cookie (a bare BOOTP header). */
export const BOOTP_HEADER_LEN = 236;
/** Fixed header plus magic cookie. */
export const DHCP_HEADER_LEN = 240;
/** Length to which BOOTP requests are conventionally padded (RFC 951's 300-byte minimum). */
export const BOOTP_MIN_LEN = 300;
/** The BROADCAST bit of `flags`. */
export const FLAG_BROADCAST = 0x8000;
