import { WireError } from "@pxe/core";
import type { PxeCallPort } from "../pxe-port.js";
import { pxeCall } from "../pxe/call.js";
import * as op from "../pxe/opcodes.js";
import { CachedPacket } from "../pxe/constants.js";
import { undiGetInformationBlock, undiGetStatisticsBlock, undiGetIfaceInfoBlock, type UndiGetInformationBlock, type UndiGetStatisticsBlock, type UndiGetIfaceInfoBlock } from "../pxe/blocks-undi.js";
import { undiGetNicTypeBlock, type UndiGetNicTypeBlock } from "../pxe/nic-type.js";
import { getCachedInfoBlock } from "../pxe/blocks-base.js";
import { parseCachedDhcp, type CachedDhcpInfo } from "../pxe/cached-dhcp.js";
import { SegOff } from "../pxe/segoff.js";

// The PXE facts an NBP shows at boot, each one call; usable without an
// UndiLink (say, when bringing the link up failed). All throw PxeCallError
// on a firmware failure.

/** PXENV_UNDI_GET_INFORMATION: I/O base, IRQ, MTU, hardware type, MACs. */
export function undiInformation(port: PxeCallPort): UndiGetInformationBlock {
  return pxeCall(port, op.PXENV_UNDI_GET_INFORMATION, undiGetInformationBlock, {
    status: 0, baseIo: 0, intNumber: 0, maxTranUnit: 0, hwType: 0, hwAddrLen: 0,
    currentNodeAddress: new Uint8Array(16), permNodeAddress: new Uint8Array(16), romAddress: 0, rxBufCt: 0, txBufCt: 0,
  });
}

/** PXENV_UNDI_GET_NIC_TYPE: PCI/CardBus or PnP identity. */
export function undiNicType(port: PxeCallPort): UndiGetNicTypeBlock {
  return pxeCall(port, op.PXENV_UNDI_GET_NIC_TYPE, undiGetNicTypeBlock, { status: 0, nicType: 0, raw: new Uint8Array(14) });
}

/** PXENV_UNDI_GET_IFACE_INFO: interface type, link speed, service flags. */
export function undiIfaceInfo(port: PxeCallPort): UndiGetIfaceInfoBlock {
  return pxeCall(port, op.PXENV_UNDI_GET_IFACE_INFO, undiGetIfaceInfoBlock, {
    status: 0, ifaceType: "", linkSpeed: 0, serviceFlags: 0, reserved: new Uint8Array(16),
  });
}

/** PXENV_UNDI_GET_STATISTICS: the firmware's frame counters. */
export function undiStatistics(port: PxeCallPort): UndiGetStatisticsBlock {
  return pxeCall(port, op.PXENV_UNDI_GET_STATISTICS, undiGetStatisticsBlock, {
    status: 0, xmtGoodFrames: 0, rcvGoodFrames: 0, rcvCrcErrors: 0, rcvResourceErrors: 0,
  });
}

/**
 * The cached packet of `packetType` (default the DHCPACK), copied out of
 * firmware memory: GET_CACHED_INFO with BufferSize 0 returns a pointer to the
 * firmware's own copy (iPXE: a zero-padded 1260-byte BOOTPLAYER).
 */
export function cachedPacket(port: PxeCallPort, packetType: number = CachedPacket.DHCP_ACK): Uint8Array {
  const b = pxeCall(port, op.PXENV_GET_CACHED_INFO, getCachedInfoBlock, {
    status: 0, packetType, bufferSize: 0, buffer: SegOff.NULL, bufferLimit: 0,
  });
  if (b.buffer.isNull() || b.bufferSize === 0) throw new WireError("cached DHCP packet", 0, "firmware returned no buffer");
  return port.read(b.buffer.linear(), b.bufferSize);
}

/** The cached DHCP/BOOTP packet of `packetType`, parsed (WireError when malformed). */
export function cachedDhcp(port: PxeCallPort, packetType: number = CachedPacket.DHCP_ACK): CachedDhcpInfo {
  return parseCachedDhcp(cachedPacket(port, packetType));
}
