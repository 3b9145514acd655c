import { type Codec, type Decoded, latin1, need, WireError, readU16be, readU32be, writeU16be, writeU32be } from "@pxe/core";
import { DhcpEncodeError } from "../errors.js";
import { BOOTP_HEADER_LEN, CHADDR_LEN, DHCP_HEADER_LEN, DhcpOptionCode, FILE_LEN, MAGIC_COOKIE, Offset, SNAME_LEN } from "./constants.js";
import { type Ipv4, readIpv4, writeIpv4 } from "./ipv4.js";
import { type DhcpOption, OptionCollector, optionsLength, writeOptions } from "./options.js";

/**
 * A BOOTP/DHCP message (RFC 2131 §2). Options are held after RFC 3396
 * concatenation; when a received message overloads `file`/`sname` with
 * options (option 52), those fields read as "" and option 52 is removed.
 * The encoder never overloads: all options go in the options field.
 */
export interface DhcpMessage {
  /** 1 = BOOTREQUEST, 2 = BOOTREPLY. */
  readonly op: number;
  /** Hardware type (1 = Ethernet). */
  readonly htype: number;
  /** Relay hops. */
  readonly hops: number;
  /** Transaction id chosen by the client. */
  readonly xid: number;
  /** Seconds since the client began acquiring. */
  readonly secs: number;
  /** Flags (0x8000 = BROADCAST). */
  readonly flags: number;
  /** Client address (when it already has one). */
  readonly ciaddr: Ipv4;
  /** "Your" address: the one offered or assigned. */
  readonly yiaddr: Ipv4;
  /** Next server to use in bootstrap (TFTP). */
  readonly siaddr: Ipv4;
  /** Relay agent address. */
  readonly giaddr: Ipv4;
  /** Client hardware address; its length is `hlen` (at most 16). */
  readonly chaddr: Uint8Array;
  /** Server host name (Latin-1, up to 64 bytes, NUL-terminated on the wire when shorter). */
  readonly sname: string;
  /** Boot file name (Latin-1, up to 128 bytes). */
  readonly file: string;
  /** Options, codes unique, without PAD/END. */
  readonly options: readonly DhcpOption[];
}

/** The BOOTP/DHCP message codec. `decode` takes the whole UDP payload [offset, end). */
export const dhcpMessage: Codec<DhcpMessage> = {
  encodingLength(m: DhcpMessage): number {
    return DHCP_HEADER_LEN + optionsLength(m.options);
  },

  encodeInto(m: DhcpMessage, out: Uint8Array, off: number): number {
    if (m.chaddr.length > CHADDR_LEN) throw new DhcpEncodeError("chaddr", `${m.chaddr.length} bytes, at most ${CHADDR_LEN}`);
    out.fill(0, off, off + DHCP_HEADER_LEN);
    out[off + Offset.op] = m.op;
    out[off + Offset.htype] = m.htype;
    out[off + Offset.hlen] = m.chaddr.length;
    out[off + Offset.hops] = m.hops;
    writeU32be(out, off + Offset.xid, m.xid);
    writeU16be(out, off + Offset.secs, m.secs);
    writeU16be(out, off + Offset.flags, m.flags);
    writeIpv4(out, off + Offset.ciaddr, m.ciaddr);
    writeIpv4(out, off + Offset.yiaddr, m.yiaddr);
    writeIpv4(out, off + Offset.siaddr, m.siaddr);
    writeIpv4(out, off + Offset.giaddr, m.giaddr);
    out.set(m.chaddr, off + Offset.chaddr);
    writeString("sname", m.sname, SNAME_LEN, out, off + Offset.sname);
    writeString("file", m.file, FILE_LEN, out, off + Offset.file);
    writeU32be(out, off + Offset.cookie, MAGIC_COOKIE);
    return writeOptions(m.options, out, off + Offset.options);
  },

  decode(data: Uint8Array, off: number, end: number): Decoded<DhcpMessage> {
    const what = "DHCP message";
    need(what, data, off, end, BOOTP_HEADER_LEN);
    const hlen = data[off + Offset.hlen];
    if (hlen > CHADDR_LEN) throw new WireError(what, off + Offset.hlen, `hlen ${hlen} exceeds ${CHADDR_LEN}`);
    const collector = new OptionCollector();
    let sname = cString(data, off + Offset.sname, SNAME_LEN);
    let file = cString(data, off + Offset.file, FILE_LEN);
    let options: DhcpOption[] = [];
    const hasCookie = end - off >= DHCP_HEADER_LEN && readIpv4(data, off + Offset.cookie) === MAGIC_COOKIE;
    if (hasCookie) {
      collector.parseArea("DHCP options", data, off + Offset.options, end);
      const overload = collector.get(DhcpOptionCode.Overload);
      if (overload) {
        if (overload.length !== 1 || overload[0] < 1 || overload[0] > 3) {
          throw new WireError(what, off + Offset.options, "option 52 (overload) must be one byte 1..3");
        }
        // RFC 2131 §4.1: options field first, then `file`, then `sname`.
        if (overload[0] & 1) {
          collector.parseArea("DHCP options in file", data, off + Offset.file, off + Offset.file + FILE_LEN);
          file = "";
        }
        if (overload[0] & 2) {
          collector.parseArea("DHCP options in sname", data, off + Offset.sname, off + Offset.sname + SNAME_LEN);
          sname = "";
        }
      }
      options = collector.result(DhcpOptionCode.Overload);
    }
    const value: DhcpMessage = {
      op: data[off + Offset.op],
      htype: data[off + Offset.htype],
      hops: data[off + Offset.hops],
      xid: readU32be(data, off + Offset.xid),
      secs: readU16be(data, off + Offset.secs),
      flags: readU16be(data, off + Offset.flags),
      ciaddr: readIpv4(data, off + Offset.ciaddr),
      yiaddr: readIpv4(data, off + Offset.yiaddr),
      siaddr: readIpv4(data, off + Offset.siaddr),
      giaddr: readIpv4(data, off + Offset.giaddr),
      chaddr: data.slice(off + Offset.chaddr, off + Offset.chaddr + hlen),
      sname,
      file,
      options,
    };
    return { value, next: end };
  },
};

/** The data of option `code` in `m`, or undefined. */
export function findOption(m: DhcpMessage, code: number): Uint8Array | undefined {
  for (const o of m.options) if (o.code === code) return o.data;
  return undefined;
}

/** The DHCP message type (option 53) of `m`, or undefined for plain BOOTP or a malformed option. */
export function messageTypeOf(m: DhcpMessage): number | undefined {
  const d = findOption(m, DhcpOptionCode.MessageType);
  return d && d.length === 1 ? d[0] : undefined;
}

function writeString(field: string, s: string, size: number, out: Uint8Array, off: number): void {
  if (s.length > size) throw new DhcpEncodeError(field, `${s.length} characters, at most ${size}`);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c > 255) throw new DhcpEncodeError(field, `character ${c} at ${i} is not Latin-1 without NUL`);
    out[off + i] = c;
  }
}

function cString(data: Uint8Array, off: number, size: number): string {
  let e = off;
  while (e < off + size && data[e] !== 0) e++;
  return latin1(data, off, e);
}
