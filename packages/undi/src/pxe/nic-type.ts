import { need, type Decoded } from "@pxe/core";
import { bytes, u16, u32, u8, type StructCodec } from "./fields.js";
import { NicType } from "./constants.js";

/** PCI (or CardBus) identity of the NIC. */
export interface PciNicInfo {
  /** PCI vendor ID. */
  vendorId: number;
  /** PCI device ID. */
  deviceId: number;
  /** PCI base class. */
  baseClass: number;
  /** PCI sub class. */
  subClass: number;
  /** PCI programming interface. */
  progIntf: number;
  /** PCI revision. */
  rev: number;
  /** bus:dev.fn as one word. */
  busDevFunc: number;
  /** Subsystem vendor ID. */
  subVendorId: number;
  /** Subsystem device ID. */
  subDeviceId: number;
}

/** ISA Plug and Play identity of the NIC. */
export interface PnpNicInfo {
  /** EISA device ID. */
  eisaDevId: number;
  /** Base class. */
  baseClass: number;
  /** Sub class. */
  subClass: number;
  /** Programming interface. */
  progIntf: number;
  /** Card select number. */
  cardSelNum: number;
}

/** PXENV_UNDI_GET_NIC_TYPE: a union selected by NicType. */
export type UndiGetNicTypeBlock =
  | { status: number; nicType: 2 | 4; pci: PciNicInfo }
  | { status: number; nicType: 3; pnp: PnpNicInfo }
  | { status: number; nicType: number; raw: Uint8Array };

/** Size: status, NicType, and the 14-byte union. */
export const NIC_TYPE_SIZE = 17;
const UNION = 14;

/** Codec of PXENV_UNDI_GET_NIC_TYPE (17 bytes); unknown NicTypes keep the raw union bytes. */
export const undiGetNicTypeBlock: StructCodec<UndiGetNicTypeBlock> = {
  size: NIC_TYPE_SIZE,
  what: "PXENV_UNDI_GET_NIC_TYPE",
  encodingLength: () => NIC_TYPE_SIZE,
  encodeInto(v: UndiGetNicTypeBlock, out: Uint8Array, offset: number): number {
    if (offset < 0 || offset + NIC_TYPE_SIZE > out.length) throw new RangeError("GET_NIC_TYPE: no room");
    out.fill(0, offset, offset + NIC_TYPE_SIZE);
    u16.write(out, offset, v.status);
    u8.write(out, offset + 2, v.nicType);
    const o = offset + 3;
    if ("pci" in v) {
      const p = v.pci;
      u16.write(out, o, p.vendorId);
      u16.write(out, o + 2, p.deviceId);
      u8.write(out, o + 4, p.baseClass);
      u8.write(out, o + 5, p.subClass);
      u8.write(out, o + 6, p.progIntf);
      u8.write(out, o + 7, p.rev);
      u16.write(out, o + 8, p.busDevFunc);
      u16.write(out, o + 10, p.subVendorId);
      u16.write(out, o + 12, p.subDeviceId);
    } else if ("pnp" in v) {
      const p = v.pnp;
      u32.write(out, o, p.eisaDevId);
      u8.write(out, o + 4, p.baseClass);
      u8.write(out, o + 5, p.subClass);
      u8.write(out, o + 6, p.progIntf);
      u16.write(out, o + 7, p.cardSelNum);
    } else {
      bytes(UNION).write(out, o, v.raw);
    }
    return offset + NIC_TYPE_SIZE;
  },
  decode(data: Uint8Array, offset: number, end: number): Decoded<UndiGetNicTypeBlock> {
    need("PXENV_UNDI_GET_NIC_TYPE", data, offset, end, NIC_TYPE_SIZE);
    const status = u16.read(data, offset);
    const nicType = data[offset + 2];
    const o = offset + 3;
    let value: UndiGetNicTypeBlock;
    if (nicType === NicType.PCI || nicType === NicType.CARDBUS) {
      value = {
        status, nicType,
        pci: {
          vendorId: u16.read(data, o), deviceId: u16.read(data, o + 2), baseClass: data[o + 4], subClass: data[o + 5],
          progIntf: data[o + 6], rev: data[o + 7], busDevFunc: u16.read(data, o + 8), subVendorId: u16.read(data, o + 10),
          subDeviceId: u16.read(data, o + 12),
        },
      };
    } else if (nicType === NicType.PNP) {
      value = {
        status, nicType,
        pnp: { eisaDevId: u32.read(data, o), baseClass: data[o + 4], subClass: data[o + 5], progIntf: data[o + 6], cardSelNum: u16.read(data, o + 7) },
      };
    } else {
      value = { status, nicType, raw: data.slice(o, o + UNION) };
    }
    return { value, next: offset + NIC_TYPE_SIZE };
  },
};
