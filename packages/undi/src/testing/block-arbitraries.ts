import fc from "fast-check";
import type { Codec } from "@pxe/core";
import {
  statusBlock, startUndiBlock, undiInitializeBlock, undiOpenBlock, undiResetBlock, undiTransmitBlock, undiIsrBlock,
  undiGetInformationBlock, undiGetStatisticsBlock, undiGetIfaceInfoBlock, undiSetPacketFilterBlock,
  undiSetStationAddressBlock, undiGetStateBlock, type McastList,
} from "../pxe/blocks-undi.js";
import {
  getCachedInfoBlock, unloadStackBlock, udpOpenBlock, udpWriteBlock, udpReadBlock, tftpOpenBlock, tftpReadBlock,
  tftpReadFileBlock, tftpGetFsizeBlock,
} from "../pxe/blocks-base.js";
import { tbdCodec } from "../pxe/tbd.js";
import { undiGetNicTypeBlock } from "../pxe/nic-type.js";
import { arbBytes, arbFieldString, arbIp4, arbNicType, arbSegOff, arbTbd, arbU16, arbU32, arbU8 } from "./arbitraries.js";

const st = { status: arbU16() };

/** An UNDI multicast list of 0..8 addresses. */
export const arbMcastList = (): fc.Arbitrary<McastList> => fc.array(arbBytes(16), { maxLength: 8 }).map((addresses) => ({ addresses }));
const mcast = arbMcastList();

/**
 * Every PXE parameter-block codec with an arbitrary of its values and its
 * size in bytes: [name, codec, arbitrary, size]. Handy for round-trip and
 * fuzz tests of code that builds or reads parameter blocks.
 */
export function pxeBlockCases(): Array<[string, Codec<any>, fc.Arbitrary<any>, number]> {
  return [
    ["status-only (STARTUP/CLOSE/STOP_UNDI/STOP_BASE/UDP_CLOSE/TFTP_CLOSE)", statusBlock, fc.record(st), 2],
    ["PXENV_START_UNDI", startUndiBlock, fc.record({ ...st, ax: arbU16(), bx: arbU16(), dx: arbU16(), di: arbU16(), es: arbU16() }), 12],
    ["PXENV_UNDI_INITIALIZE", undiInitializeBlock, fc.record({ ...st, protocolIni: arbU32(), reserved: arbBytes(8) }), 14],
    ["PXENV_UNDI_OPEN", undiOpenBlock, fc.record({ ...st, openFlag: arbU16(), pktFilter: arbU16(), mcast }), 136],
    ["PXENV_UNDI_RESET_ADAPTER", undiResetBlock, fc.record({ ...st, mcast }), 132],
    ["PXENV_UNDI_TRANSMIT", undiTransmitBlock, fc.record({ ...st, protocol: arbU8(), xmitFlag: arbU8(), destAddr: arbSegOff(), tbd: arbSegOff(), reserved0: arbU32(), reserved1: arbU32() }), 20],
    ["PXENV_UNDI_TBD", tbdCodec, arbTbd(), 72],
    ["PXENV_UNDI_ISR", undiIsrBlock, fc.record({ ...st, funcFlag: arbU16(), bufferLength: arbU16(), frameLength: arbU16(), frameHeaderLength: arbU16(), frame: arbSegOff(), protType: arbU8(), pktType: arbU8() }), 16],
    ["PXENV_UNDI_GET_INFORMATION", undiGetInformationBlock, fc.record({ ...st, baseIo: arbU16(), intNumber: arbU16(), maxTranUnit: arbU16(), hwType: arbU16(), hwAddrLen: arbU16(), currentNodeAddress: arbBytes(16), permNodeAddress: arbBytes(16), romAddress: arbU16(), rxBufCt: arbU16(), txBufCt: arbU16() }), 50],
    ["PXENV_UNDI_GET_STATISTICS", undiGetStatisticsBlock, fc.record({ ...st, xmtGoodFrames: arbU32(), rcvGoodFrames: arbU32(), rcvCrcErrors: arbU32(), rcvResourceErrors: arbU32() }), 18],
    ["PXENV_UNDI_GET_NIC_TYPE", undiGetNicTypeBlock, arbNicType(), 17],
    ["PXENV_UNDI_GET_IFACE_INFO", undiGetIfaceInfoBlock, fc.record({ ...st, ifaceType: arbFieldString(16), linkSpeed: arbU32(), serviceFlags: arbU32(), reserved: arbBytes(16) }), 42],
    ["PXENV_UNDI_SET_PACKET_FILTER", undiSetPacketFilterBlock, fc.record({ ...st, filter: arbU8() }), 3],
    ["PXENV_UNDI_SET_STATION_ADDRESS", undiSetStationAddressBlock, fc.record({ ...st, stationAddress: arbBytes(16) }), 18],
    ["PXENV_UNDI_GET_STATE", undiGetStateBlock, fc.record({ ...st, undiState: arbU8() }), 3],
    ["PXENV_GET_CACHED_INFO", getCachedInfoBlock, fc.record({ ...st, packetType: arbU16(), bufferSize: arbU16(), buffer: arbSegOff(), bufferLimit: arbU16() }), 12],
    ["PXENV_UNLOAD_STACK", unloadStackBlock, fc.record({ ...st, reserved: arbBytes(10) }), 12],
    ["PXENV_UDP_OPEN", udpOpenBlock, fc.record({ ...st, srcIp: arbIp4() }), 6],
    ["PXENV_UDP_WRITE", udpWriteBlock, fc.record({ ...st, ip: arbIp4(), gw: arbIp4(), srcPort: arbU16(), dstPort: arbU16(), bufferSize: arbU16(), buffer: arbSegOff() }), 20],
    ["PXENV_UDP_READ", udpReadBlock, fc.record({ ...st, srcIp: arbIp4(), destIp: arbIp4(), sPort: arbU16(), dPort: arbU16(), bufferSize: arbU16(), buffer: arbSegOff() }), 20],
    ["PXENV_TFTP_OPEN", tftpOpenBlock, fc.record({ ...st, serverIpAddress: arbIp4(), gatewayIpAddress: arbIp4(), fileName: arbFieldString(128), tftpPort: arbU16(), packetSize: arbU16() }), 142],
    ["PXENV_TFTP_READ", tftpReadBlock, fc.record({ ...st, packetNumber: arbU16(), bufferSize: arbU16(), buffer: arbSegOff() }), 10],
    ["PXENV_TFTP_READ_FILE", tftpReadFileBlock, fc.record({ ...st, fileName: arbFieldString(128), bufferSize: arbU32(), buffer: arbU32(), serverIpAddress: arbIp4(), gatewayIpAddress: arbIp4(), mcastIpAddress: arbIp4(), tftpClntPort: arbU16(), tftpSrvPort: arbU16(), tftpOpenTimeOut: arbU16(), tftpReopenDelay: arbU16() }), 158],
    ["PXENV_TFTP_GET_FSIZE", tftpGetFsizeBlock, fc.record({ ...st, serverIpAddress: arbIp4(), gatewayIpAddress: arbIp4(), fileName: arbFieldString(128), fileSize: arbU32() }), 142],
  ];
}
