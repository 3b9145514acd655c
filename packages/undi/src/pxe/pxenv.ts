import { need, WireError, type Codec, type Decoded } from "@pxe/core";
import { segoff, u16, u32 } from "./fields.js";
import { SegOff } from "./segoff.js";
import { byteSum, fixChecksum } from "./checksum8.js";

/** The PXENV+ structure (found at ES:BX or via INT 1Ah AX=5650h). */
export interface Pxenv {
  /** API version, MSB major, LSB minor (0x0201 for PXE 2.1). */
  version: number;
  /** Real-mode entry point. */
  rmEntry: SegOff;
  /** Deprecated protected-mode entry offset. */
  pmOffset: number;
  /** Deprecated protected-mode entry selector. */
  pmSelector: number;
  /** Stack segment and size. */
  stackSeg: number;
  /** Stack size in bytes. */
  stackSize: number;
  /** Base-code code segment. */
  bcCodeSeg: number;
  /** Base-code code size. */
  bcCodeSize: number;
  /** Base-code data segment. */
  bcDataSeg: number;
  /** Base-code data size. */
  bcDataSize: number;
  /** UNDI data segment. */
  undiDataSeg: number;
  /** UNDI data size. */
  undiDataSize: number;
  /** UNDI code segment. */
  undiCodeSeg: number;
  /** UNDI code size. */
  undiCodeSize: number;
  /** Pointer to the !PXE structure; present when the structure is 0x2C bytes long (API 2.1+). */
  pxePtr?: SegOff;
}

/** "PXENV+" */
export const PXENV_SIGNATURE = [0x50, 0x58, 0x45, 0x4e, 0x56, 0x2b] as const;
/** Length of PXENV+ without PXEPtr (pre-2.1). */
export const PXENV_MIN_LENGTH = 0x28;
/** Length of PXENV+ with PXEPtr. */
export const PXENV_LENGTH = 0x2c;

const WORDS = ["stackSeg", "stackSize", "bcCodeSeg", "bcCodeSize", "bcDataSeg", "bcDataSize", "undiDataSeg", "undiDataSize", "undiCodeSeg", "undiCodeSize"] as const;

/**
 * Codec of PXENV+. decode() validates the signature, the Length byte (at
 * least 0x28, within the data) and the checksum (Length bytes sum to 0);
 * encodeInto() computes Length and Checksum.
 */
export const pxenvCodec: Codec<Pxenv> = {
  encodingLength: (v) => (v.pxePtr ? PXENV_LENGTH : PXENV_MIN_LENGTH),
  encodeInto(v: Pxenv, out: Uint8Array, offset: number): number {
    const len = v.pxePtr ? PXENV_LENGTH : PXENV_MIN_LENGTH;
    if (offset < 0 || offset + len > out.length) throw new RangeError("PXENV+: no room");
    out.set(PXENV_SIGNATURE, offset);
    u16.write(out, offset + 6, v.version);
    out[offset + 8] = len;
    segoff.write(out, offset + 10, v.rmEntry);
    u32.write(out, offset + 14, v.pmOffset);
    u16.write(out, offset + 18, v.pmSelector);
    let o = offset + 20;
    for (const w of WORDS) {
      u16.write(out, o, v[w]);
      o += 2;
    }
    if (v.pxePtr) segoff.write(out, o, v.pxePtr);
    fixChecksum(out, offset, offset + len, offset + 9);
    return offset + len;
  },
  decode(data: Uint8Array, offset: number, end: number): Decoded<Pxenv> {
    need("PXENV+", data, offset, end, PXENV_MIN_LENGTH);
    for (let i = 0; i < 6; i++) {
      if (data[offset + i] !== PXENV_SIGNATURE[i]) throw new WireError("PXENV+", offset, "bad signature");
    }
    const len = data[offset + 8];
    if (len < PXENV_MIN_LENGTH) throw new WireError("PXENV+", offset + 8, `Length ${len} below ${PXENV_MIN_LENGTH}`);
    need("PXENV+", data, offset, end, len);
    if (byteSum(data, offset, offset + len) !== 0) throw new WireError("PXENV+", offset + 9, "checksum does not sum to 0");
    const v: Pxenv = {
      version: u16.read(data, offset + 6),
      rmEntry: segoff.read(data, offset + 10),
      pmOffset: u32.read(data, offset + 14),
      pmSelector: u16.read(data, offset + 18),
    } as Pxenv;
    let o = offset + 20;
    for (const w of WORDS) {
      v[w] = u16.read(data, o);
      o += 2;
    }
    if (len >= PXENV_LENGTH) v.pxePtr = segoff.read(data, o);
    return { value: v, next: offset + len };
  },
};
