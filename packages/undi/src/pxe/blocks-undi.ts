import { need, WireError, type Decoded } from "@pxe/core";
import { bytes, mac16, segoff, str, structCodec, u16, u32, u8, type StructCodec } from "./fields.js";
import type { SegOff } from "./segoff.js";
import { MAC_ADDR_LEN, MAXNUM_MCADDR } from "./constants.js";

/** A parameter block that holds only the status word (STARTUP, CLEANUP, CLOSE, SHUTDOWN, STOP_UNDI, STOP_BASE, ...). */
export interface StatusBlock {
  /** PXE status word. */
  status: number;
}

/** Codec for status-only blocks (2 bytes). */
export const statusBlock: StructCodec<StatusBlock> = structCodec<StatusBlock>("PXENV status block", [["status", u16]]);
/** PXENV_UNDI_STARTUP block. */
export const undiStartupBlock = statusBlock;
/** PXENV_UNDI_CLEANUP block. */
export const undiCleanupBlock = statusBlock;
/** PXENV_UNDI_CLOSE block. */
export const undiCloseBlock = statusBlock;
/** PXENV_UNDI_SHUTDOWN block. */
export const undiShutdownBlock = statusBlock;
/** PXENV_UNDI_CLEAR_STATISTICS block. */
export const undiClearStatisticsBlock = statusBlock;
/** PXENV_UNDI_FORCE_INTERRUPT block. */
export const undiForceInterruptBlock = statusBlock;
/** PXENV_STOP_UNDI block. */
export const stopUndiBlock = statusBlock;

/** PXENV_START_UNDI: the registers the option ROM was initialised with. */
export interface StartUndiBlock extends StatusBlock {
  /** PCI bus:dev.fn. */
  ax: number;
  /** ISAPnP CSN or 0xFFFF. */
  bx: number;
  /** ISAPnP read port or 0xFFFF. */
  dx: number;
  /** Offset of the PnP installation check structure. */
  di: number;
  /** Segment of the PnP installation check structure. */
  es: number;
}
/** Codec of PXENV_START_UNDI (12 bytes). */
export const startUndiBlock = structCodec<StartUndiBlock>("PXENV_START_UNDI", [
  ["status", u16], ["ax", u16], ["bx", u16], ["dx", u16], ["di", u16], ["es", u16],
]);

/** PXENV_UNDI_INITIALIZE. */
export interface UndiInitializeBlock extends StatusBlock {
  /** NDIS 2.0 protocol.ini pointer (32-bit), normally 0. */
  protocolIni: number;
  /** 8 reserved bytes, must be zero. */
  reserved: Uint8Array;
}
/** Codec of PXENV_UNDI_INITIALIZE (14 bytes). */
export const undiInitializeBlock = structCodec<UndiInitializeBlock>("PXENV_UNDI_INITIALIZE", [
  ["status", u16], ["protocolIni", u32], ["reserved", bytes(8)],
]);

/** s_PXENV_UNDI_MCAST_ADDRESS: up to 8 multicast MACs. */
export interface McastList {
  /** The multicast addresses, each MAC_ADDR_LEN (16) bytes; at most 8. */
  addresses: Uint8Array[];
}

const MCAST_SIZE = 2 + MAXNUM_MCADDR * MAC_ADDR_LEN;

/** Codec of the multicast address list (130 bytes); unused slots are zero. */
export const mcastList: StructCodec<McastList> = {
  size: MCAST_SIZE,
  what: "PXENV_UNDI_MCAST_ADDRESS",
  encodingLength: () => MCAST_SIZE,
  encodeInto(v: McastList, out: Uint8Array, offset: number): number {
    if (v.addresses.length > MAXNUM_MCADDR) throw new RangeError("more than 8 multicast addresses");
    if (offset < 0 || offset + MCAST_SIZE > out.length) throw new RangeError("mcast list: no room");
    out.fill(0, offset, offset + MCAST_SIZE);
    u16.write(out, offset, v.addresses.length);
    v.addresses.forEach((a, i) => mac16.write(out, offset + 2 + i * MAC_ADDR_LEN, a));
    return offset + MCAST_SIZE;
  },
  decode(data: Uint8Array, offset: number, end: number): Decoded<McastList> {
    need("PXENV_UNDI_MCAST_ADDRESS", data, offset, end, MCAST_SIZE);
    const n = u16.read(data, offset);
    if (n > MAXNUM_MCADDR) throw new WireError("PXENV_UNDI_MCAST_ADDRESS", offset, `MCastAddrCount ${n} above ${MAXNUM_MCADDR}`);
    const addresses: Uint8Array[] = [];
    for (let i = 0; i < n; i++) addresses.push(mac16.read(data, offset + 2 + i * MAC_ADDR_LEN));
    return { value: { addresses }, next: offset + MCAST_SIZE };
  },
};

const mcastField = {
  size: MCAST_SIZE,
  read: (b: Uint8Array, o: number) => mcastList.decode(b, o, o + MCAST_SIZE).value,
  write: (b: Uint8Array, o: number, v: McastList) => void mcastList.encodeInto(v, b, o),
};

/** PXENV_UNDI_OPEN. */
export interface UndiOpenBlock extends StatusBlock {
  /** NDIS OpenOptions; 0 is always valid. */
  openFlag: number;
  /** Filter bits (see Filter). */
  pktFilter: number;
  /** Multicast addresses to accept. */
  mcast: McastList;
}
/** Codec of PXENV_UNDI_OPEN (136 bytes). */
export const undiOpenBlock = structCodec<UndiOpenBlock>("PXENV_UNDI_OPEN", [
  ["status", u16], ["openFlag", u16], ["pktFilter", u16], ["mcast", mcastField],
]);

/** PXENV_UNDI_RESET_ADAPTER. */
export interface UndiResetBlock extends StatusBlock {
  /** Multicast addresses to restore. */
  mcast: McastList;
}
/** Codec of PXENV_UNDI_RESET_ADAPTER (132 bytes). */
export const undiResetBlock = structCodec<UndiResetBlock>("PXENV_UNDI_RESET_ADAPTER", [["status", u16], ["mcast", mcastField]]);

/** PXENV_UNDI_TRANSMIT. */
export interface UndiTransmitBlock extends StatusBlock {
  /** Proto.UNKNOWN when the buffer holds the media header already. */
  protocol: number;
  /** XmitFlag.DESTADDR or XmitFlag.BROADCAST. */
  xmitFlag: number;
  /** Destination MAC (used when protocol is not UNKNOWN). */
  destAddr: SegOff;
  /** The transmit buffer descriptor. */
  tbd: SegOff;
  /** Two reserved dwords, must be zero. */
  reserved0: number;
  /** Second reserved dword. */
  reserved1: number;
}
/** Codec of PXENV_UNDI_TRANSMIT (20 bytes). */
export const undiTransmitBlock = structCodec<UndiTransmitBlock>("PXENV_UNDI_TRANSMIT", [
  ["status", u16], ["protocol", u8], ["xmitFlag", u8], ["destAddr", segoff], ["tbd", segoff], ["reserved0", u32], ["reserved1", u32],
]);

/** PXENV_UNDI_SET_STATION_ADDRESS. */
export interface UndiSetStationAddressBlock extends StatusBlock {
  /** New MAC (16-byte field). */
  stationAddress: Uint8Array;
}
/** Codec of PXENV_UNDI_SET_STATION_ADDRESS (18 bytes). */
export const undiSetStationAddressBlock = structCodec<UndiSetStationAddressBlock>("PXENV_UNDI_SET_STATION_ADDRESS", [
  ["status", u16], ["stationAddress", mac16],
]);

/** PXENV_UNDI_SET_PACKET_FILTER (the filter is one byte here). */
export interface UndiSetPacketFilterBlock extends StatusBlock {
  /** Filter bits. */
  filter: number;
}
/** Codec of PXENV_UNDI_SET_PACKET_FILTER (3 bytes). */
export const undiSetPacketFilterBlock = structCodec<UndiSetPacketFilterBlock>("PXENV_UNDI_SET_PACKET_FILTER", [["status", u16], ["filter", u8]]);

/** PXENV_UNDI_GET_INFORMATION. */
export interface UndiGetInformationBlock extends StatusBlock {
  /** I/O base address. */
  baseIo: number;
  /** IRQ number. */
  intNumber: number;
  /** MTU (1500 for Ethernet). */
  maxTranUnit: number;
  /** Hardware type (1 = Ethernet). */
  hwType: number;
  /** Bytes used of the address fields (6). */
  hwAddrLen: number;
  /** Current MAC, 16-byte field. */
  currentNodeAddress: Uint8Array;
  /** Permanent MAC, 16-byte field. */
  permNodeAddress: Uint8Array;
  /** Real-mode ROM segment. */
  romAddress: number;
  /** Receive queue length. */
  rxBufCt: number;
  /** Transmit queue length. */
  txBufCt: number;
}
/** Codec of PXENV_UNDI_GET_INFORMATION (50 bytes). */
export const undiGetInformationBlock = structCodec<UndiGetInformationBlock>("PXENV_UNDI_GET_INFORMATION", [
  ["status", u16], ["baseIo", u16], ["intNumber", u16], ["maxTranUnit", u16], ["hwType", u16], ["hwAddrLen", u16],
  ["currentNodeAddress", mac16], ["permNodeAddress", mac16], ["romAddress", u16], ["rxBufCt", u16], ["txBufCt", u16],
]);

/** PXENV_UNDI_GET_STATISTICS. */
export interface UndiGetStatisticsBlock extends StatusBlock {
  /** Frames transmitted. */
  xmtGoodFrames: number;
  /** Frames received. */
  rcvGoodFrames: number;
  /** Frames received with a bad CRC. */
  rcvCrcErrors: number;
  /** Frames lost for lack of receive buffers. */
  rcvResourceErrors: number;
}
/** Codec of PXENV_UNDI_GET_STATISTICS (18 bytes). */
export const undiGetStatisticsBlock = structCodec<UndiGetStatisticsBlock>("PXENV_UNDI_GET_STATISTICS", [
  ["status", u16], ["xmtGoodFrames", u32], ["rcvGoodFrames", u32], ["rcvCrcErrors", u32], ["rcvResourceErrors", u32],
]);

/** PXENV_UNDI_GET_IFACE_INFO. */
export interface UndiGetIfaceInfoBlock extends StatusBlock {
  /** NDIS interface type, e.g. "DIX+802.3". */
  ifaceType: string;
  /** Link speed in bits per second. */
  linkSpeed: number;
  /** NDIS service flags. */
  serviceFlags: number;
  /** 16 reserved bytes. */
  reserved: Uint8Array;
}
/** Codec of PXENV_UNDI_GET_IFACE_INFO (42 bytes). */
export const undiGetIfaceInfoBlock = structCodec<UndiGetIfaceInfoBlock>("PXENV_UNDI_GET_IFACE_INFO", [
  ["status", u16], ["ifaceType", str(16)], ["linkSpeed", u32], ["serviceFlags", u32], ["reserved", bytes(16)],
]);

/** PXENV_UNDI_GET_STATE. */
export interface UndiGetStateBlock extends StatusBlock {
  /** 1 started, 2 initialized, 3 opened. */
  undiState: number;
}
/** Codec of PXENV_UNDI_GET_STATE (3 bytes). */
export const undiGetStateBlock = structCodec<UndiGetStateBlock>("PXENV_UNDI_GET_STATE", [["status", u16], ["undiState", u8]]);

/** PXENV_UNDI_ISR. */
export interface UndiIsrBlock extends StatusBlock {
  /** IsrFlag IN_* on the way in, OUT_* on the way out. */
  funcFlag: number;
  /** Bytes of the frame in this buffer (this piece). */
  bufferLength: number;
  /** Total length of the frame. */
  frameLength: number;
  /** Length of the media header. */
  frameHeaderLength: number;
  /** Where this piece lies in real-mode memory. */
  frame: SegOff;
  /** Proto value of the frame. */
  protType: number;
  /** PktType value of the frame. */
  pktType: number;
}
/**
 * Byte offsets of the PXENV_UNDI_ISR fields, for hot paths that reuse one
 * block instead of encoding and decoding objects (they agree with the codec;
 * a test checks it).
 */
export const ISR_FIELD = {
  status: 0,
  funcFlag: 2,
  bufferLength: 4,
  frameLength: 6,
  frameHeaderLength: 8,
  frameOffset: 10,
  frameSegment: 12,
  protType: 14,
  pktType: 15,
  size: 16,
} as const;

/** Byte offsets of the PXENV_UNDI_TRANSMIT fields (see ISR_FIELD). */
export const TRANSMIT_FIELD = { status: 0, protocol: 2, xmitFlag: 3, destAddr: 4, tbd: 8, size: 20 } as const;

/** Codec of PXENV_UNDI_ISR (16 bytes). */
export const undiIsrBlock = structCodec<UndiIsrBlock>("PXENV_UNDI_ISR", [
  ["status", u16], ["funcFlag", u16], ["bufferLength", u16], ["frameLength", u16], ["frameHeaderLength", u16],
  ["frame", segoff], ["protType", u8], ["pktType", u8],
]);
