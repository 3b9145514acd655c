import { need, WireError, type Codec, type Decoded } from "@pxe/core";
import { segoff, u16, u32, u8 } from "./fields.js";
import type { SegOff } from "./segoff.js";
import { byteSum, fixChecksum } from "./checksum8.js";

/** A protected-mode segment descriptor in !PXE (SEGDESC_t). */
export interface SegDesc {
  /** Real-mode segment or protected-mode selector. */
  segmentAddress: number;
  /** Physical (linear) base address. */
  physicalAddress: number;
  /** Segment size in bytes. */
  segSize: number;
}

/** The !PXE structure (PXE 2.1), found at SS:SP+4 on NBP entry. */
export interface BangPxe {
  /** StructRev, 0 for PXE 2.1. */
  structRev: number;
  /** UNDI ROM ID structure. */
  undiRomId: SegOff;
  /** Base-code ROM ID structure. */
  baseRomId: SegOff;
  /** 16-bit entry point: the one real mode calls (far call, opcode and block pushed). */
  entryPointSP: SegOff;
  /** 32-bit entry point. */
  entryPointESP: SegOff;
  /** Status call-out (0xFFFF:0xFFFF for none). */
  statusCallout: SegOff;
  /** Number of segment descriptors. */
  segDescCnt: number;
  /** First protected-mode selector. */
  firstSelector: number;
  /** The seven segment descriptors, in structure order. */
  stack: SegDesc;
  /** UNDI data segment. */
  undiData: SegDesc;
  /** UNDI code segment. */
  undiCode: SegDesc;
  /** UNDI writable code segment. */
  undiCodeWrite: SegDesc;
  /** Base-code data segment. */
  bcData: SegDesc;
  /** Base-code code segment. */
  bcCode: SegDesc;
  /** Base-code writable code segment. */
  bcCodeWrite: SegDesc;
}

/** "!PXE" */
export const BANG_PXE_SIGNATURE = [0x21, 0x50, 0x58, 0x45] as const;
/** StructLength of a PXE 2.1 !PXE structure. */
export const BANG_PXE_LENGTH = 0x58;

const DESCS = ["stack", "undiData", "undiCode", "undiCodeWrite", "bcData", "bcCode", "bcCodeWrite"] as const;
const PTRS = ["undiRomId", "baseRomId", "entryPointSP", "entryPointESP", "statusCallout"] as const;

/**
 * Codec of !PXE. decode() validates the signature, StructLength (at least
 * 0x58, within the data) and the checksum; encodeInto() computes both.
 */
export const bangPxeCodec: Codec<BangPxe> = {
  encodingLength: () => BANG_PXE_LENGTH,
  encodeInto(v: BangPxe, out: Uint8Array, offset: number): number {
    if (offset < 0 || offset + BANG_PXE_LENGTH > out.length) throw new RangeError("!PXE: no room");
    out.fill(0, offset, offset + BANG_PXE_LENGTH);
    out.set(BANG_PXE_SIGNATURE, offset);
    out[offset + 4] = BANG_PXE_LENGTH;
    u8.write(out, offset + 6, v.structRev);
    let o = offset + 8;
    for (const p of PTRS) {
      segoff.write(out, o, v[p]);
      o += 4;
    }
    o++; // reserved_2
    u8.write(out, o++, v.segDescCnt);
    u16.write(out, o, v.firstSelector);
    o += 2;
    for (const d of DESCS) {
      u16.write(out, o, v[d].segmentAddress);
      u32.write(out, o + 2, v[d].physicalAddress);
      u16.write(out, o + 6, v[d].segSize);
      o += 8;
    }
    fixChecksum(out, offset, offset + BANG_PXE_LENGTH, offset + 5);
    return o;
  },
  decode(data: Uint8Array, offset: number, end: number): Decoded<BangPxe> {
    need("!PXE", data, offset, end, BANG_PXE_LENGTH);
    for (let i = 0; i < 4; i++) {
      if (data[offset + i] !== BANG_PXE_SIGNATURE[i]) throw new WireError("!PXE", offset, "bad signature");
    }
    const len = data[offset + 4];
    if (len < BANG_PXE_LENGTH) throw new WireError("!PXE", offset + 4, `StructLength ${len} below ${BANG_PXE_LENGTH}`);
    need("!PXE", data, offset, end, len);
    if (byteSum(data, offset, offset + len) !== 0) throw new WireError("!PXE", offset + 5, "checksum does not sum to 0");
    const v = { structRev: data[offset + 6] } as BangPxe;
    let o = offset + 8;
    for (const p of PTRS) {
      v[p] = segoff.read(data, o);
      o += 4;
    }
    o++;
    v.segDescCnt = data[o++];
    v.firstSelector = u16.read(data, o);
    o += 2;
    for (const d of DESCS) {
      v[d] = { segmentAddress: u16.read(data, o), physicalAddress: u32.read(data, o + 2), segSize: u16.read(data, o + 6) };
      o += 8;
    }
    return { value: v, next: offset + len };
  },
};
