import { need, type Codec, readU16be, writeU16be } from "@pxe/core";
import { ETHERNET_HEADER_LEN } from "./constants.js";

/** Field offsets in an Ethernet II header. */
export const ETH_DST = 0;
/** Offset of the source MAC. */
export const ETH_SRC = 6;
/** Offset of the EtherType. */
export const ETH_TYPE = 12;

/** An Ethernet II header. MACs are copies (6 bytes), never views. */
export interface EthernetHeader {
  /** Destination MAC, 6 bytes. */
  dst: Uint8Array;
  /** Source MAC, 6 bytes. */
  src: Uint8Array;
  /** EtherType (0x0800 IPv4, 0x0806 ARP). Values below 0x0600 are 802.3 lengths. */
  ethertype: number;
}

/** Codec of the 14-byte Ethernet II header. */
export const ethernetHeader: Codec<EthernetHeader> = {
  encodingLength: () => ETHERNET_HEADER_LEN,
  encodeInto(h, out, off) {
    writeEthernetHeader(out, off, h.dst, h.src, h.ethertype);
    return off + ETHERNET_HEADER_LEN;
  },
  decode(data, off, end) {
    need("Ethernet header", data, off, end, ETHERNET_HEADER_LEN);
    return {
      value: {
        dst: data.slice(off + ETH_DST, off + ETH_DST + 6),
        src: data.slice(off + ETH_SRC, off + ETH_SRC + 6),
        ethertype: readU16be(data, off + ETH_TYPE),
      },
      next: off + ETHERNET_HEADER_LEN,
    };
  },
};

/** Writes an Ethernet II header at `off` (used when pushing headers in place). */
export function writeEthernetHeader(out: Uint8Array, off: number, dst: Uint8Array, src: Uint8Array, ethertype: number): void {
  out.set(dst.subarray(0, 6), off + ETH_DST);
  out.set(src.subarray(0, 6), off + ETH_SRC);
  writeU16be(out, off + ETH_TYPE, ethertype);
}

/** An Ethernet II frame: header plus payload (a copy on decode). */
export interface EthernetFrame extends EthernetHeader {
  /** Everything after the header (may include link padding). */
  payload: Uint8Array;
}

/** Codec of a whole Ethernet II frame; decode takes all bytes to `end` as payload. */
export const ethernetFrame: Codec<EthernetFrame> = {
  encodingLength: (f) => ETHERNET_HEADER_LEN + f.payload.length,
  encodeInto(f, out, off) {
    writeEthernetHeader(out, off, f.dst, f.src, f.ethertype);
    out.set(f.payload, off + ETHERNET_HEADER_LEN);
    return off + ETHERNET_HEADER_LEN + f.payload.length;
  },
  decode(data, off, end) {
    const h = ethernetHeader.decode(data, off, end);
    return { value: { ...h.value, payload: data.slice(h.next, end) }, next: end };
  },
};
