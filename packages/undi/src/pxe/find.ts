import { WireError } from "@pxe/core";
import type { PxeCallPort } from "../pxe-port.js";
import { bangPxeCodec, BANG_PXE_LENGTH, type BangPxe } from "./bangpxe.js";
import { pxenvCodec, PXENV_LENGTH, type Pxenv } from "./pxenv.js";
import { readStructure } from "./call.js";
import { SegOff } from "./segoff.js";

/** The PXE API structures an NBP found, with their addresses. */
export interface FoundPxe {
  /** !PXE, when present and valid. */
  bangPxe?: { at: SegOff; value: BangPxe };
  /** PXENV+, when present and valid. */
  pxenv?: { at: SegOff; value: Pxenv };
}

/**
 * Locates and validates the PXE structures the way PXE 2.1 asks an NBP to:
 * !PXE from the pointer at SS:SP+4 if given, else PXENV+ (ES:BX) and its
 * PXEPtr; optionally scans 0x10000..0xA0000 on 16-byte boundaries for
 * "!PXE" when neither pointer is known. Invalid structures are skipped.
 */
export function findPxe(port: PxeCallPort, hints: { bangPxe?: SegOff; pxenv?: SegOff; scan?: boolean } = {}): FoundPxe {
  const found: FoundPxe = {};
  const tryBang = (at: SegOff) => {
    try {
      found.bangPxe = { at, value: readStructure(port, at, bangPxeCodec, 255) };
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
    }
  };
  if (hints.pxenv) {
    try {
      found.pxenv = { at: hints.pxenv, value: readStructure(port, hints.pxenv, pxenvCodec, 255) };
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
    }
  }
  if (hints.bangPxe) tryBang(hints.bangPxe);
  if (!found.bangPxe && found.pxenv?.value.pxePtr && found.pxenv.value.version >= 0x0201) tryBang(found.pxenv.value.pxePtr);
  if (!found.bangPxe && !found.pxenv && hints.scan) {
    const lo = 0x10000;
    const mem = port.read(lo, 0xa0000 - lo);
    for (let o = 0; o + BANG_PXE_LENGTH <= mem.length; o += 16) {
      if (mem[o] === 0x21 && mem[o + 1] === 0x50 && mem[o + 2] === 0x58 && mem[o + 3] === 0x45) {
        tryBang(SegOff.fromLinear(lo + o));
        if (found.bangPxe) break;
      }
      if (mem[o] === 0x50 && mem[o + 1] === 0x58 && mem[o + 2] === 0x45 && mem[o + 3] === 0x4e && o + PXENV_LENGTH <= mem.length && !found.pxenv) {
        try {
          found.pxenv = { at: SegOff.fromLinear(lo + o), value: pxenvCodec.decode(mem, o, mem.length).value };
        } catch (e) {
          if (!(e instanceof WireError)) throw e;
        }
      }
    }
  }
  return found;
}
