import { need, WireError, type Codec, type Decoded } from "@pxe/core";
import { bytes, ip4, u16be, u32be, u8 } from "./fields.js";

/** One DHCP option as it appears on the wire (code, then up to 255 bytes). */
export interface DhcpOption {
  /** Option code 1..254. */
  code: number;
  /** Option payload. */
  data: Uint8Array;
}

/** A BOOTP/DHCP packet as PXE caches it (RFC 951/2131 layout, network byte order). */
export interface BootpPacket {
  /** 1 request, 2 reply. */
  op: number;
  /** Hardware type (1 Ethernet). */
  htype: number;
  /** Hardware address length (6). */
  hlen: number;
  /** Relay hops. */
  hops: number;
  /** Transaction id. */
  xid: number;
  /** Seconds since the client started. */
  secs: number;
  /** Flags (0x8000 broadcast). */
  flags: number;
  /** Client IP (if it had one). */
  ciaddr: string;
  /** "Your" IP: the address assigned to us. */
  yiaddr: string;
  /** Next server (TFTP/boot server) IP. */
  siaddr: string;
  /** Relay agent IP. */
  giaddr: string;
  /** Client hardware address field, 16 bytes. */
  chaddr: Uint8Array;
  /** Server host name field, 64 raw bytes (may hold options when overloaded). */
  sname: Uint8Array;
  /** Boot file field, 128 raw bytes (may hold options when overloaded). */
  file: Uint8Array;
  /** Options from the options area, in order (absent cookie = plain BOOTP = []). */
  options: DhcpOption[];
}

/** Offset of the magic cookie; the BOOTP fixed part is this long. */
export const BOOTP_FIXED = 236;
/** The DHCP magic cookie 99.130.83.99. */
export const DHCP_COOKIE = [99, 130, 83, 99] as const;

const FIXED: ReadonlyArray<readonly [keyof BootpPacket, { size: number; read(b: Uint8Array, o: number): unknown; write(b: Uint8Array, o: number, v: never): void }]> = [
  ["op", u8], ["htype", u8], ["hlen", u8], ["hops", u8], ["xid", u32be], ["secs", u16be], ["flags", u16be],
  ["ciaddr", ip4], ["yiaddr", ip4], ["siaddr", ip4], ["giaddr", ip4], ["chaddr", bytes(16)], ["sname", bytes(64)], ["file", bytes(128)],
];

/**
 * Parses DHCP options from bytes [offset, end): pad (0) is skipped, end
 * (255) stops; every other option needs its length byte and its data within
 * the range (WireError otherwise). Running out without an end option is accepted.
 * Returns the options and the offset after the end option (or `end`).
 */
export function parseOptions(what: string, data: Uint8Array, offset: number, end: number): Decoded<DhcpOption[]> {
  need(what, data, offset, end, 0);
  const out: DhcpOption[] = [];
  let o = offset;
  while (o < end) {
    const code = data[o];
    if (code === 0) {
      o++;
      continue;
    }
    if (code === 255) return { value: out, next: o + 1 };
    if (o + 1 >= end) throw new WireError(what, o, `option ${code} truncated before its length byte`);
    const len = data[o + 1];
    if (o + 2 + len > end) throw new WireError(what, o, `option ${code} claims ${len} bytes, ${end - o - 2} remain`);
    out.push({ code, data: data.slice(o + 2, o + 2 + len) });
    o += 2 + len;
  }
  return { value: out, next: end };
}

/**
 * Codec of the BOOTP/DHCP packet. Encoding writes the fixed part, the magic
 * cookie, the options and an end option; decoding accepts plain BOOTP (no
 * cookie: options = []) and stops after the end option.
 */
export const bootpCodec: Codec<BootpPacket> = {
  encodingLength(v) {
    let n = BOOTP_FIXED + 4 + 1;
    for (const opt of v.options) n += 2 + opt.data.length;
    return n;
  },
  encodeInto(v: BootpPacket, out: Uint8Array, offset: number): number {
    const len = bootpCodec.encodingLength(v);
    if (offset < 0 || offset + len > out.length) throw new RangeError("BOOTP: no room");
    let o = offset;
    for (const [name, k] of FIXED) {
      k.write(out, o, v[name] as never);
      o += k.size;
    }
    out.set(DHCP_COOKIE, o);
    o += 4;
    for (const opt of v.options) {
      if (opt.code < 1 || opt.code > 254 || opt.data.length > 255) throw new RangeError(`bad option ${opt.code}/${opt.data.length}`);
      out[o] = opt.code;
      out[o + 1] = opt.data.length;
      out.set(opt.data, o + 2);
      o += 2 + opt.data.length;
    }
    out[o++] = 255;
    return o;
  },
  decode(data: Uint8Array, offset: number, end: number): Decoded<BootpPacket> {
    need("BOOTP packet", data, offset, end, BOOTP_FIXED);
    const v = {} as Record<string, unknown>;
    let o = offset;
    for (const [name, k] of FIXED) {
      v[name] = k.read(data, o);
      o += k.size;
    }
    const hasCookie = end - o >= 4 && DHCP_COOKIE.every((c, i) => data[o + i] === c);
    if (!hasCookie) {
      v.options = [];
      return { value: v as unknown as BootpPacket, next: end };
    }
    const opts = parseOptions("DHCP options", data, o + 4, end);
    v.options = opts.value;
    return { value: v as unknown as BootpPacket, next: opts.next };
  },
};
