import { WireError, need, type Codec, type Decoded, readU16be, readU32be } from "@pxe/core";
import { TcpOptionKind as K, TCP_MAX_OPTIONS_LEN } from "./constants.js";

/** One SACK block: the peer holds [left, right) (sequence numbers). */
export interface SackBlock {
  /** First sequence number of the block. */
  readonly left: number;
  /** Sequence number just past the block. */
  readonly right: number;
}

/**
 * One TCP option. NOP and EOL are kept so that a decoded list re-encodes to
 * the same bytes; `unknown` keeps the raw data of kinds this package does
 * not interpret (they are skipped by their length).
 */
export type TcpOption =
  | { readonly kind: "eol" }
  | { readonly kind: "nop" }
  | { readonly kind: "mss"; readonly mss: number }
  | { readonly kind: "windowScale"; readonly shift: number }
  | { readonly kind: "sackPermitted" }
  | { readonly kind: "sack"; readonly blocks: readonly SackBlock[] }
  | { readonly kind: "timestamps"; readonly tsVal: number; readonly tsEcr: number }
  | { readonly kind: "unknown"; readonly code: number; readonly data: Uint8Array };

const WHAT = "TCP option";

/** Bytes one option occupies on the wire. */
export function optionLength(o: TcpOption): number {
  switch (o.kind) {
    case "eol":
    case "nop":
      return 1;
    case "mss":
      return 4;
    case "windowScale":
      return 3;
    case "sackPermitted":
      return 2;
    case "sack":
      return 2 + 8 * o.blocks.length;
    case "timestamps":
      return 10;
    case "unknown":
      return 2 + o.data.length;
  }
}

/** Writes one option at `off`; returns the next offset. */
export function encodeOptionInto(o: TcpOption, out: Uint8Array, off: number): number {
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  switch (o.kind) {
    case "eol":
      out[off] = K.EOL;
      return off + 1;
    case "nop":
      out[off] = K.NOP;
      return off + 1;
    case "mss":
      out[off] = K.MSS;
      out[off + 1] = 4;
      dv.setUint16(off + 2, o.mss);
      return off + 4;
    case "windowScale":
      out[off] = K.WINDOW_SCALE;
      out[off + 1] = 3;
      out[off + 2] = o.shift;
      return off + 3;
    case "sackPermitted":
      out[off] = K.SACK_PERMITTED;
      out[off + 1] = 2;
      return off + 2;
    case "sack": {
      out[off] = K.SACK;
      out[off + 1] = 2 + 8 * o.blocks.length;
      let p = off + 2;
      for (const b of o.blocks) {
        dv.setUint32(p, b.left >>> 0);
        dv.setUint32(p + 4, b.right >>> 0);
        p += 8;
      }
      return p;
    }
    case "timestamps":
      out[off] = K.TIMESTAMPS;
      out[off + 1] = 10;
      dv.setUint32(off + 2, o.tsVal >>> 0);
      dv.setUint32(off + 6, o.tsEcr >>> 0);
      return off + 10;
    case "unknown":
      out[off] = o.code;
      out[off + 1] = 2 + o.data.length;
      out.set(o.data, off + 2);
      return off + 2 + o.data.length;
  }
}

/** Unpadded length of an option list. */
function rawLength(opts: readonly TcpOption[]): number {
  let n = 0;
  for (const o of opts) n += optionLength(o);
  return n;
}

/**
 * Codec for the options area of a TCP header. Encoding pads with zero
 * bytes (EOL) to a multiple of 4; decoding reads the whole area, stops at
 * EOL (the rest is padding, returned as one `eol` entry) and throws
 * WireError for a truncated option, a length below 2, or a known kind with
 * the wrong length.
 */
export const tcpOptionsCodec: Codec<readonly TcpOption[]> = {
  encodingLength(opts) {
    return (rawLength(opts) + 3) & ~3;
  },
  encodeInto(opts, out, offset) {
    const end = offset + tcpOptionsCodec.encodingLength(opts);
    if (end - offset > TCP_MAX_OPTIONS_LEN) throw new RangeError(`TCP options need ${end - offset} bytes, at most ${TCP_MAX_OPTIONS_LEN} fit`);
    let p = offset;
    for (const o of opts) p = encodeOptionInto(o, out, p);
    out.fill(0, p, end);
    return end;
  },
  decode(data, offset, end): Decoded<readonly TcpOption[]> {
    need(WHAT + "s", data, offset, end, 0);
    const opts: TcpOption[] = [];
    let p = offset;
    while (p < end) {
      const kind = data[p];
      if (kind === K.EOL) {
        opts.push({ kind: "eol" });
        break;
      }
      if (kind === K.NOP) {
        opts.push({ kind: "nop" });
        p++;
        continue;
      }
      if (p + 2 > end) throw new WireError(WHAT, p, `kind ${kind} has no length byte`);
      const len = data[p + 1];
      if (len < 2) throw new WireError(WHAT, p, `kind ${kind} has length ${len} < 2`);
      if (p + len > end) throw new WireError(WHAT, p, `kind ${kind} length ${len} runs past the options (${end - p} left)`);
      switch (kind) {
        case K.MSS:
          if (len !== 4) throw badLength(p, kind, len, "4");
          opts.push({ kind: "mss", mss: readU16be(data, p + 2) });
          break;
        case K.WINDOW_SCALE:
          if (len !== 3) throw badLength(p, kind, len, "3");
          opts.push({ kind: "windowScale", shift: data[p + 2] });
          break;
        case K.SACK_PERMITTED:
          if (len !== 2) throw badLength(p, kind, len, "2");
          opts.push({ kind: "sackPermitted" });
          break;
        case K.SACK: {
          if (len < 10 || (len - 2) % 8 !== 0) throw badLength(p, kind, len, "2 + 8n");
          const blocks: SackBlock[] = [];
          for (let q = p + 2; q < p + len; q += 8) blocks.push({ left: readU32be(data, q), right: readU32be(data, q + 4) });
          opts.push({ kind: "sack", blocks });
          break;
        }
        case K.TIMESTAMPS:
          if (len !== 10) throw badLength(p, kind, len, "10");
          opts.push({ kind: "timestamps", tsVal: readU32be(data, p + 2), tsEcr: readU32be(data, p + 6) });
          break;
        default:
          opts.push({ kind: "unknown", code: kind, data: data.slice(p + 2, p + len) });
      }
      p += len;
    }
    return { value: opts, next: end };
  },
};

function badLength(p: number, kind: number, len: number, want: string): WireError {
  return new WireError(WHAT, p, `kind ${kind} has length ${len}, expected ${want}`);
}

/** The options a segment carries, picked out of a decoded list. */
export interface ParsedOptions {
  /** MSS option value, if present. */
  mss?: number;
  /** Window-scale shift (clamped to 14 as RFC 7323 requires), if present. */
  windowScale?: number;
  /** True when SACK-permitted was present. */
  sackPermitted: boolean;
  /** SACK blocks, if present. */
  sack?: readonly SackBlock[];
  /** Timestamps, if present. */
  timestamps?: { readonly tsVal: number; readonly tsEcr: number };
}

/** Summarises an option list (last occurrence wins). */
export function parseOptions(opts: readonly TcpOption[]): ParsedOptions {
  const r: ParsedOptions = { sackPermitted: false };
  for (const o of opts) {
    switch (o.kind) {
      case "mss":
        r.mss = o.mss;
        break;
      case "windowScale":
        r.windowScale = Math.min(o.shift, 14);
        break;
      case "sackPermitted":
        r.sackPermitted = true;
        break;
      case "sack":
        r.sack = o.blocks;
        break;
      case "timestamps":
        r.timestamps = { tsVal: o.tsVal, tsEcr: o.tsEcr };
        break;
      default:
    }
  }
  return r;
}
