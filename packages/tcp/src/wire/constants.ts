/** IP protocol number of TCP (@pxe/ip's). */
export { IP_PROTO_TCP } from "@pxe/ip";

/** Length of the fixed TCP header, without options. */
export const TCP_HEADER_LEN = 20;
/** Largest TCP header (data offset 15 words). */
export const TCP_MAX_HEADER_LEN = 60;
/** Most option bytes a header can carry. */
export const TCP_MAX_OPTIONS_LEN = 40;

/** Byte offsets of the fixed header's fields. */
export const TcpField = {
  /** u16 source port. */
  SRC_PORT: 0,
  /** u16 destination port. */
  DST_PORT: 2,
  /** u32 sequence number. */
  SEQ: 4,
  /** u32 acknowledgment number. */
  ACK: 8,
  /** High nibble: data offset in 32-bit words; low bits reserved. */
  DATA_OFFSET: 12,
  /** Control bits (CWR ECE URG ACK PSH RST SYN FIN). */
  FLAGS: 13,
  /** u16 receive window (scaled, except in SYN segments). */
  WINDOW: 14,
  /** u16 checksum over pseudo-header, header and data. */
  CHECKSUM: 16,
  /** u16 urgent pointer. */
  URGENT: 18,
} as const;

/** Control bits as they sit in byte 13 of the header. */
export const TcpFlags = {
  /** No more data from sender. */
  FIN: 0x01,
  /** Synchronize sequence numbers. */
  SYN: 0x02,
  /** Reset the connection. */
  RST: 0x04,
  /** Push function. */
  PSH: 0x08,
  /** Acknowledgment field is significant. */
  ACK: 0x10,
  /** Urgent pointer field is significant. */
  URG: 0x20,
  /** ECN-Echo (RFC 3168). */
  ECE: 0x40,
  /** Congestion Window Reduced (RFC 3168). */
  CWR: 0x80,
} as const;

/** TCP option kinds this package knows. */
export const TcpOptionKind = {
  /** End of option list. */
  EOL: 0,
  /** No-operation (padding). */
  NOP: 1,
  /** Maximum segment size (RFC 9293), length 4. */
  MSS: 2,
  /** Window scale (RFC 7323), length 3. */
  WINDOW_SCALE: 3,
  /** SACK permitted (RFC 2018), length 2. */
  SACK_PERMITTED: 4,
  /** SACK blocks (RFC 2018), length 2 + 8n, n = 1..4. */
  SACK: 5,
  /** Timestamps (RFC 7323), length 10. */
  TIMESTAMPS: 8,
} as const;

/** Largest window-scale shift RFC 7323 allows. */
export const MAX_WINDOW_SCALE = 14;
