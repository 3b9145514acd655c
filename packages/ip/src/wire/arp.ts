import { need, WireError, type Codec, readU16be, writeU16be } from "@pxe/core";
import { ETHERTYPE_IPV4 } from "./constants.js";
import { readIpv4, writeIpv4, type Ipv4Address } from "./address.js";

/** ARP operation: request. */
export const ARP_REQUEST = 1;
/** ARP operation: reply. */
export const ARP_REPLY = 2;
/** Length of an Ethernet/IPv4 ARP packet. */
export const ARP_LEN = 28;

const HTYPE = 0, PTYPE = 2, HLEN = 4, PLEN = 5, OPER = 6, SHA = 8, SPA = 14, THA = 18, TPA = 24;

/** An ARP packet for Ethernet (htype 1) and IPv4 (ptype 0x0800). */
export interface ArpPacket {
  /** 1 = request, 2 = reply (other values decode but are ignored by the stack). */
  op: number;
  /** Sender hardware address, 6 bytes. */
  senderMac: Uint8Array;
  /** Sender protocol address. */
  senderIp: Ipv4Address;
  /** Target hardware address, 6 bytes (zero in requests). */
  targetMac: Uint8Array;
  /** Target protocol address. */
  targetIp: Ipv4Address;
}

/** Codec of Ethernet/IPv4 ARP packets; other hardware/protocol types are WireErrors. */
export const arpPacket: Codec<ArpPacket> = {
  encodingLength: () => ARP_LEN,
  encodeInto(p, out, off) {
    writeU16be(out, off + HTYPE, 1);
    writeU16be(out, off + PTYPE, ETHERTYPE_IPV4);
    out[off + HLEN] = 6;
    out[off + PLEN] = 4;
    writeU16be(out, off + OPER, p.op);
    out.set(p.senderMac.subarray(0, 6), off + SHA);
    writeIpv4(out, off + SPA, p.senderIp);
    out.set(p.targetMac.subarray(0, 6), off + THA);
    writeIpv4(out, off + TPA, p.targetIp);
    return off + ARP_LEN;
  },
  decode(data, off, end) {
    need("ARP packet", data, off, end, 8);
    const htype = readU16be(data, off + HTYPE);
    const ptype = readU16be(data, off + PTYPE);
    if (htype !== 1 || ptype !== ETHERTYPE_IPV4 || data[off + HLEN] !== 6 || data[off + PLEN] !== 4) {
      throw new WireError("ARP packet", off, `unsupported htype ${htype} ptype 0x${ptype.toString(16)} hlen ${data[off + HLEN]} plen ${data[off + PLEN]}`);
    }
    need("ARP packet", data, off, end, ARP_LEN);
    return {
      value: {
        op: readU16be(data, off + OPER),
        senderMac: data.slice(off + SHA, off + SHA + 6),
        senderIp: readIpv4(data, off + SPA),
        targetMac: data.slice(off + THA, off + THA + 6),
        targetIp: readIpv4(data, off + TPA),
      },
      next: off + ARP_LEN,
    };
  },
};
