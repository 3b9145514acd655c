import { bytes, ip4, segoff, str, structCodec, u16, u16be, u32 } from "./fields.js";
import type { SegOff } from "./segoff.js";
import { statusBlock, type StatusBlock } from "./blocks-undi.js";

/** PXENV_STOP_BASE block (status only). */
export const stopBaseBlock = statusBlock;
/** PXENV_START_BASE block (status only). */
export const startBaseBlock = statusBlock;
/** PXENV_UDP_CLOSE block (status only). */
export const udpCloseBlock = statusBlock;
/** PXENV_TFTP_CLOSE block (status only). */
export const tftpCloseBlock = statusBlock;

/** PXENV_UNLOAD_STACK. */
export interface UnloadStackBlock extends StatusBlock {
  /** 10 reserved bytes, must be zero. */
  reserved: Uint8Array;
}
/** Codec of PXENV_UNLOAD_STACK (12 bytes). */
export const unloadStackBlock = structCodec<UnloadStackBlock>("PXENV_UNLOAD_STACK", [["status", u16], ["reserved", bytes(10)]]);

/** PXENV_GET_CACHED_INFO. */
export interface GetCachedInfoBlock extends StatusBlock {
  /** CachedPacket.DHCP_DISCOVER, DHCP_ACK or CACHED_REPLY. */
  packetType: number;
  /** In: size of `buffer` (0 = return a pointer to the firmware's own copy). Out: bytes in the packet. */
  bufferSize: number;
  /** In: where to copy (or 0000:0000). Out: where the packet is. */
  buffer: SegOff;
  /** Out: size of the firmware's buffer. */
  bufferLimit: number;
}
/** Codec of PXENV_GET_CACHED_INFO (12 bytes). */
export const getCachedInfoBlock = structCodec<GetCachedInfoBlock>("PXENV_GET_CACHED_INFO", [
  ["status", u16], ["packetType", u16], ["bufferSize", u16], ["buffer", segoff], ["bufferLimit", u16],
]);

/** PXENV_UDP_OPEN. */
export interface UdpOpenBlock extends StatusBlock {
  /** Our IP address. */
  srcIp: string;
}
/** Codec of PXENV_UDP_OPEN (6 bytes). */
export const udpOpenBlock = structCodec<UdpOpenBlock>("PXENV_UDP_OPEN", [["status", u16], ["srcIp", ip4]]);

/** PXENV_UDP_WRITE. */
export interface UdpWriteBlock extends StatusBlock {
  /** Destination IP. */
  ip: string;
  /** Relay/gateway IP (0.0.0.0 for none). */
  gw: string;
  /** Source port (network order on the wire). */
  srcPort: number;
  /** Destination port. */
  dstPort: number;
  /** Payload length. */
  bufferSize: number;
  /** Payload address. */
  buffer: SegOff;
}
/** Codec of PXENV_UDP_WRITE (20 bytes). */
export const udpWriteBlock = structCodec<UdpWriteBlock>("PXENV_UDP_WRITE", [
  ["status", u16], ["ip", ip4], ["gw", ip4], ["srcPort", u16be], ["dstPort", u16be], ["bufferSize", u16], ["buffer", segoff],
]);

/** PXENV_UDP_READ. */
export interface UdpReadBlock extends StatusBlock {
  /** Source IP of the datagram. */
  srcIp: string;
  /** Destination IP (filter on input, 0.0.0.0 = any). */
  destIp: string;
  /** Source port. */
  sPort: number;
  /** Destination port (filter on input). */
  dPort: number;
  /** In: buffer size; out: payload length. */
  bufferSize: number;
  /** Payload buffer. */
  buffer: SegOff;
}
/** Codec of PXENV_UDP_READ (20 bytes). */
export const udpReadBlock = structCodec<UdpReadBlock>("PXENV_UDP_READ", [
  ["status", u16], ["srcIp", ip4], ["destIp", ip4], ["sPort", u16be], ["dPort", u16be], ["bufferSize", u16], ["buffer", segoff],
]);

/** PXENV_TFTP_OPEN. */
export interface TftpOpenBlock extends StatusBlock {
  /** TFTP server. */
  serverIpAddress: string;
  /** Relay agent. */
  gatewayIpAddress: string;
  /** File name (at most 127 characters). */
  fileName: string;
  /** Server port (network order on the wire; 69). */
  tftpPort: number;
  /** Requested blksize (at least 512). */
  packetSize: number;
}
/** Codec of PXENV_TFTP_OPEN (142 bytes). */
export const tftpOpenBlock = structCodec<TftpOpenBlock>("PXENV_TFTP_OPEN", [
  ["status", u16], ["serverIpAddress", ip4], ["gatewayIpAddress", ip4], ["fileName", str(128)], ["tftpPort", u16be], ["packetSize", u16],
]);

/** PXENV_TFTP_READ. */
export interface TftpReadBlock extends StatusBlock {
  /** Out: block number of this packet. */
  packetNumber: number;
  /** Out: bytes in this packet. */
  bufferSize: number;
  /** In: where to put the packet's data. */
  buffer: SegOff;
}
/** Codec of PXENV_TFTP_READ (10 bytes). */
export const tftpReadBlock = structCodec<TftpReadBlock>("PXENV_TFTP_READ", [
  ["status", u16], ["packetNumber", u16], ["bufferSize", u16], ["buffer", segoff],
]);

/** PXENV_TFTP_READ_FILE. */
export interface TftpReadFileBlock extends StatusBlock {
  /** File name. */
  fileName: string;
  /** In: buffer size; out: file size. */
  bufferSize: number;
  /** 32-bit physical address of the buffer. */
  buffer: number;
  /** TFTP server. */
  serverIpAddress: string;
  /** Relay agent. */
  gatewayIpAddress: string;
  /** MTFTP multicast address. */
  mcastIpAddress: string;
  /** MTFTP client port. */
  tftpClntPort: number;
  /** MTFTP server port. */
  tftpSrvPort: number;
  /** MTFTP open timeout (seconds). */
  tftpOpenTimeOut: number;
  /** MTFTP reopen delay (seconds). */
  tftpReopenDelay: number;
}
/** Codec of PXENV_TFTP_READ_FILE (158 bytes). */
export const tftpReadFileBlock = structCodec<TftpReadFileBlock>("PXENV_TFTP_READ_FILE", [
  ["status", u16], ["fileName", str(128)], ["bufferSize", u32], ["buffer", u32], ["serverIpAddress", ip4], ["gatewayIpAddress", ip4],
  ["mcastIpAddress", ip4], ["tftpClntPort", u16be], ["tftpSrvPort", u16be], ["tftpOpenTimeOut", u16], ["tftpReopenDelay", u16],
]);

/** PXENV_TFTP_GET_FSIZE. */
export interface TftpGetFsizeBlock extends StatusBlock {
  /** TFTP server. */
  serverIpAddress: string;
  /** Relay agent. */
  gatewayIpAddress: string;
  /** File name. */
  fileName: string;
  /** Out: file size. */
  fileSize: number;
}
/** Codec of PXENV_TFTP_GET_FSIZE (142 bytes). */
export const tftpGetFsizeBlock = structCodec<TftpGetFsizeBlock>("PXENV_TFTP_GET_FSIZE", [
  ["status", u16], ["serverIpAddress", ip4], ["gatewayIpAddress", ip4], ["fileName", str(128)], ["fileSize", u32],
]);
