// The PXE API in TypeScript: structures, opcodes, status codes, parameter blocks.
export { SegOff } from "./segoff.js";
export * from "./opcodes.js";
export { PxeStatus, statusName, type PxeStatusName } from "./status.js";
export * from "./constants.js";
export {
  u8, u16, u16be, u32, u32be, segoff, ip4, bytes, str, mac16, structCodec, ip4ToString, ip4FromString,
  type FieldKind, type StructCodec,
} from "./fields.js";
export { byteSum, fixChecksum } from "./checksum8.js";
export { pxenvCodec, PXENV_SIGNATURE, PXENV_LENGTH, PXENV_MIN_LENGTH, type Pxenv } from "./pxenv.js";
export { bangPxeCodec, BANG_PXE_SIGNATURE, BANG_PXE_LENGTH, type BangPxe, type SegDesc } from "./bangpxe.js";
export * from "./blocks-undi.js";
export * from "./blocks-base.js";
export { tbdCodec, TBD_SIZE, type Tbd, type DataBlock } from "./tbd.js";
export { undiGetNicTypeBlock, NIC_TYPE_SIZE, type UndiGetNicTypeBlock, type PciNicInfo, type PnpNicInfo } from "./nic-type.js";
export { bootpCodec, parseOptions, BOOTP_FIXED, DHCP_COOKIE, type BootpPacket, type DhcpOption } from "./bootp.js";
export { parseCachedDhcp, DhcpOpt, type CachedDhcpInfo } from "./cached-dhcp.js";
export { pxeCall, pxeCallRaw, pxeCallError, readStructure, type CallResult } from "./call.js";
export { findPxe, type FoundPxe } from "./find.js";
