import { need, WireError, type Decoded } from "@pxe/core";
import { segoff, u16, u8, type StructCodec } from "./fields.js";
import type { SegOff } from "./segoff.js";
import { MAX_DATA_BLKS } from "./constants.js";

/** One extra data block of a TBD. */
export interface DataBlock {
  /** 1 = TDDataPtr is a SEGOFF16 (the only kind PXE 2.1 allows); 0 = 32-bit physical. */
  ptrType: number;
  /** Reserved byte, must be zero. */
  reserved: number;
  /** Length of this block. */
  dataLen: number;
  /** Address of this block. */
  dataPtr: SegOff;
}

/** The transmit buffer descriptor (s_PXENV_UNDI_TBD) a transmit points to. */
export interface Tbd {
  /** Length of the immediate buffer. */
  immedLength: number;
  /** The immediate buffer (holds the whole frame when there are no data blocks). */
  xmit: SegOff;
  /** Up to 8 further blocks, appended in order. */
  dataBlocks: DataBlock[];
}

/** Size of a TBD: 8 bytes plus 8 data-block slots of 8 bytes. */
export const TBD_SIZE = 8 + MAX_DATA_BLKS * 8;

/** Codec of the TBD (72 bytes); DataBlkCount above 8 is rejected. */
export const tbdCodec: StructCodec<Tbd> = {
  size: TBD_SIZE,
  what: "PXENV_UNDI_TBD",
  encodingLength: () => TBD_SIZE,
  encodeInto(v: Tbd, out: Uint8Array, offset: number): number {
    if (v.dataBlocks.length > MAX_DATA_BLKS) throw new RangeError("more than 8 TBD data blocks");
    if (offset < 0 || offset + TBD_SIZE > out.length) throw new RangeError("TBD: no room");
    out.fill(0, offset, offset + TBD_SIZE);
    u16.write(out, offset, v.immedLength);
    segoff.write(out, offset + 2, v.xmit);
    u16.write(out, offset + 6, v.dataBlocks.length);
    v.dataBlocks.forEach((b, i) => {
      const o = offset + 8 + i * 8;
      u8.write(out, o, b.ptrType);
      u8.write(out, o + 1, b.reserved);
      u16.write(out, o + 2, b.dataLen);
      segoff.write(out, o + 4, b.dataPtr);
    });
    return offset + TBD_SIZE;
  },
  decode(data: Uint8Array, offset: number, end: number): Decoded<Tbd> {
    need("PXENV_UNDI_TBD", data, offset, end, TBD_SIZE);
    const n = u16.read(data, offset + 6);
    if (n > MAX_DATA_BLKS) throw new WireError("PXENV_UNDI_TBD", offset + 6, `DataBlkCount ${n} above ${MAX_DATA_BLKS}`);
    const dataBlocks: DataBlock[] = [];
    for (let i = 0; i < n; i++) {
      const o = offset + 8 + i * 8;
      dataBlocks.push({ ptrType: data[o], reserved: data[o + 1], dataLen: u16.read(data, o + 2), dataPtr: segoff.read(data, o + 4) });
    }
    return { value: { immedLength: u16.read(data, offset), xmit: segoff.read(data, offset + 2), dataBlocks }, next: offset + TBD_SIZE };
  },
};
