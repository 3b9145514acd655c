import { need, type Codec, type Decoded, readU16be, readU32be, writeU16be, writeU32be, readU16le, readU32le, writeU16le, writeU32le } from "@pxe/core";
import { PcapError } from "../errors.js";

/** LINKTYPE_ETHERNET. */
export const LINKTYPE_ETHERNET = 1;
/** Magic of microsecond-resolution files. */
export const PCAP_MAGIC_US = 0xa1b2c3d4;
/** Magic of nanosecond-resolution files. */
export const PCAP_MAGIC_NS = 0xa1b23c4d;
/** Size of the global header. */
export const PCAP_HEADER = 24;
/** Size of a record header. */
export const PCAP_RECORD_HEADER = 16;
/** Largest record the reader accepts when the snaplen is smaller. */
export const PCAP_MAX_RECORD = 262144;

/** One captured frame. */
export interface PcapRecord {
  /** Seconds since the epoch (or since the start of the capture). */
  tsSec: number;
  /** Microseconds (or nanoseconds in a nanosecond file) within the second. */
  tsFrac: number;
  /** Length of the frame on the wire (at least data.length). */
  origLen: number;
  /** The captured bytes. */
  data: Uint8Array;
}

/** A classic libpcap file. */
export interface PcapFile {
  /** Byte order the file is written in. */
  littleEndian: boolean;
  /** Nanosecond timestamps (magic 0xa1b23c4d) instead of microseconds. */
  nanosecond: boolean;
  /** Format version, normally 2.4. */
  versionMajor: number;
  /** Minor version. */
  versionMinor: number;
  /** GMT offset (signed, almost always 0). */
  thiszone: number;
  /** Timestamp accuracy (0). */
  sigfigs: number;
  /** Largest capture length. */
  snaplen: number;
  /** Link type (1 = Ethernet). */
  linktype: number;
  /** The frames. */
  records: PcapRecord[];
}

function rd32(d: Uint8Array, o: number, le: boolean): number {
  return le ? readU32le(d, o) : readU32be(d, o);
}

function rd16(d: Uint8Array, o: number, le: boolean): number {
  return le ? readU16le(d, o) : readU16be(d, o);
}

/** Writes a 32-bit word in the given byte order. */
export function wr32(d: Uint8Array, o: number, v: number, le: boolean): void {
  if (le) writeU32le(d, o, v);
  else writeU32be(d, o, v);
}

function wr16(d: Uint8Array, o: number, v: number, le: boolean): void {
  if (le) writeU16le(d, o, v);
  else writeU16be(d, o, v);
}

/** Encodes the 24-byte global header. */
export function encodePcapHeader(h: Omit<PcapFile, "records">): Uint8Array {
  const out = new Uint8Array(PCAP_HEADER);
  wr32(out, 0, h.nanosecond ? PCAP_MAGIC_NS : PCAP_MAGIC_US, h.littleEndian);
  wr16(out, 4, h.versionMajor, h.littleEndian);
  wr16(out, 6, h.versionMinor, h.littleEndian);
  wr32(out, 8, h.thiszone | 0, h.littleEndian);
  wr32(out, 12, h.sigfigs, h.littleEndian);
  wr32(out, 16, h.snaplen, h.littleEndian);
  wr32(out, 20, h.linktype, h.littleEndian);
  return out;
}

/** Encodes one record (header and data) in the given byte order. */
export function encodePcapRecord(r: PcapRecord, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(PCAP_RECORD_HEADER + r.data.length);
  wr32(out, 0, r.tsSec, littleEndian);
  wr32(out, 4, r.tsFrac, littleEndian);
  wr32(out, 8, r.data.length, littleEndian);
  wr32(out, 12, r.origLen, littleEndian);
  out.set(r.data, PCAP_RECORD_HEADER);
  return out;
}

/**
 * Codec of a whole classic pcap file. decode() accepts both byte orders and
 * both microsecond and nanosecond magics, and throws PcapError (a WireError)
 * on a bad magic, an unknown major version, a truncated header or record, a
 * record longer than max(snaplen, 262144), or origLen below the captured length.
 */
export const pcapCodec: Codec<PcapFile> = {
  encodingLength(f) {
    let n = PCAP_HEADER;
    for (const r of f.records) n += PCAP_RECORD_HEADER + r.data.length;
    return n;
  },
  encodeInto(f: PcapFile, out: Uint8Array, offset: number): number {
    let o = offset;
    out.set(encodePcapHeader(f), o);
    o += PCAP_HEADER;
    for (const r of f.records) {
      const b = encodePcapRecord(r, f.littleEndian);
      out.set(b, o);
      o += b.length;
    }
    return o;
  },
  decode(data: Uint8Array, offset: number, end: number): Decoded<PcapFile> {
    try {
      need("pcap file", data, offset, end, PCAP_HEADER);
    } catch {
      throw new PcapError(offset, `shorter than the ${PCAP_HEADER}-byte header`);
    }
    const m = rd32(data, offset, true);
    let le: boolean;
    let ns: boolean;
    if (m === PCAP_MAGIC_US) [le, ns] = [true, false];
    else if (m === PCAP_MAGIC_NS) [le, ns] = [true, true];
    else if (rd32(data, offset, false) === PCAP_MAGIC_US) [le, ns] = [false, false];
    else if (rd32(data, offset, false) === PCAP_MAGIC_NS) [le, ns] = [false, true];
    else throw new PcapError(offset, `bad magic 0x${m.toString(16)}`);
    const versionMajor = rd16(data, offset + 4, le);
    if (versionMajor !== 2) throw new PcapError(offset + 4, `unsupported version ${versionMajor}`);
    const file: PcapFile = {
      littleEndian: le, nanosecond: ns, versionMajor, versionMinor: rd16(data, offset + 6, le),
      thiszone: rd32(data, offset + 8, le) | 0, sigfigs: rd32(data, offset + 12, le), snaplen: rd32(data, offset + 16, le),
      linktype: rd32(data, offset + 20, le), records: [],
    };
    const maxRec = Math.max(file.snaplen, PCAP_MAX_RECORD);
    let o = offset + PCAP_HEADER;
    while (o < end) {
      if (end - o < PCAP_RECORD_HEADER) throw new PcapError(o, "truncated record header");
      const tsSec = rd32(data, o, le);
      const tsFrac = rd32(data, o + 4, le);
      const incl = rd32(data, o + 8, le);
      const orig = rd32(data, o + 12, le);
      if (incl > maxRec) throw new PcapError(o + 8, `record length ${incl} exceeds ${maxRec}`);
      if (orig < incl) throw new PcapError(o + 12, `original length ${orig} below captured length ${incl}`);
      if (end - o - PCAP_RECORD_HEADER < incl) throw new PcapError(o, `record claims ${incl} bytes, ${end - o - PCAP_RECORD_HEADER} remain`);
      file.records.push({ tsSec, tsFrac, origLen: orig, data: data.slice(o + PCAP_RECORD_HEADER, o + PCAP_RECORD_HEADER + incl) });
      o += PCAP_RECORD_HEADER + incl;
    }
    return { value: file, next: o };
  },
};

/** Parses a whole pcap file (PcapError when malformed). */
export function parsePcap(data: Uint8Array): PcapFile {
  return pcapCodec.decode(data, 0, data.length).value;
}

/** A record's timestamp in milliseconds (float). */
export function recordTimeMs(r: PcapRecord, nanosecond: boolean): number {
  return r.tsSec * 1000 + (nanosecond ? r.tsFrac / 1e6 : r.tsFrac / 1e3);
}
