/** Well-known UDP/TCP port of DNS. */
export const DNS_PORT = 53;

/** Record types this package knows by name (others are kept as raw rdata). */
export const RecordType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  OPT: 41,
  ANY: 255,
} as const;

/** Record classes. */
export const RecordClass = {
  IN: 1,
  CH: 3,
  ANY: 255,
} as const;

/** Response codes (RFC 1035 §4.1.1). */
export const Rcode = {
  NoError: 0,
  FormErr: 1,
  ServFail: 2,
  NxDomain: 3,
  NotImp: 4,
  Refused: 5,
} as const;

/** Header length. */
export const HEADER_LEN = 12;
/** Longest name on the wire, length bytes included (RFC 1035 §2.3.4). */
export const MAX_NAME_LEN = 255;
/** Longest label. */
export const MAX_LABEL_LEN = 63;
/** Most compression pointers followed in one name. */
export const MAX_POINTER_JUMPS = 64;
/** Classic DNS-over-UDP message limit without EDNS (RFC 1035 §4.2.1). */
export const UDP_MESSAGE_LIMIT = 512;
