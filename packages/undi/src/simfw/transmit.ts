import { writeU16be } from "@pxe/core";
import { PxeStatus } from "../pxe/status.js";
import { Proto, XmitFlag } from "../pxe/constants.js";
import type { UndiTransmitBlock } from "../pxe/blocks-undi.js";
import { tbdCodec } from "../pxe/tbd.js";
import type { RealModeMemory } from "./memory.js";

const ETH = 14;

/**
 * What a PXE UNDI does with PXENV_UNDI_TRANSMIT: read the TBD, gather the
 * immediate buffer and the data blocks (SEGOFF16 pointers only, as PXE 2.1
 * requires), and build the media header unless Protocol is P_UNKNOWN
 * (destination from DestAddr or broadcast, source `mac`, type from the
 * protocol). Returns the frame, or the failure status.
 */
export function assembleTransmit(memory: RealModeMemory, v: UndiTransmitBlock, mac: Uint8Array, mtu: number): Uint8Array | { status: number } {
  const bad = { status: PxeStatus.UNDI_INVALID_PARAMETER };
  const tbdBytes = memory.read(v.tbd.linear(), tbdCodec.size);
  let tbd;
  try {
    tbd = tbdCodec.decode(tbdBytes, 0, tbdBytes.length).value;
  } catch {
    return bad;
  }
  const parts: Uint8Array[] = [memory.read(tbd.xmit.linear(), tbd.immedLength)];
  for (const b of tbd.dataBlocks) {
    if (b.ptrType !== 1) return bad;
    parts.push(memory.read(b.dataPtr.linear(), b.dataLen));
  }
  let header: Uint8Array | null = null;
  if (v.protocol !== Proto.UNKNOWN) {
    const type = v.protocol === Proto.IP ? 0x0800 : v.protocol === Proto.ARP ? 0x0806 : v.protocol === Proto.RARP ? 0x8035 : -1;
    if (type < 0) return bad;
    header = new Uint8Array(ETH);
    if (v.xmitFlag === XmitFlag.BROADCAST) header.fill(0xff, 0, 6);
    else header.set(memory.read(v.destAddr.linear(), 6), 0);
    header.set(mac, 6);
    writeU16be(header, 12, type);
    parts.unshift(header);
  }
  let total = 0;
  for (const p of parts) total += p.length;
  if (total > mtu + ETH || total < ETH) return bad;
  const frame = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    frame.set(p, o);
    o += p.length;
  }
  return frame;
}
