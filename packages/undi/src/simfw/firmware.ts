import { encode, readU16be } from "@pxe/core";
import type { PxeCallPort } from "../pxe-port.js";
import * as op from "../pxe/opcodes.js";
import { PxeStatus } from "../pxe/status.js";
import { CachedPacket, Filter, IsrFlag, PktType, Proto } from "../pxe/constants.js";
import {
  undiGetInformationBlock, undiGetStatisticsBlock, undiGetIfaceInfoBlock, undiIsrBlock,
  undiOpenBlock, undiSetPacketFilterBlock, undiSetStationAddressBlock, undiTransmitBlock,
} from "../pxe/blocks-undi.js";
import { getCachedInfoBlock } from "../pxe/blocks-base.js";
import { undiGetNicTypeBlock, type UndiGetNicTypeBlock } from "../pxe/nic-type.js";
import { pxenvCodec } from "../pxe/pxenv.js";
import { bangPxeCodec } from "../pxe/bangpxe.js";
import { SegOff } from "../pxe/segoff.js";
import { RealModeMemory } from "./memory.js";
import { defaultDhcpAck } from "./default-dhcp.js";
import { SimTftp, blockIo } from "./tftp.js";
import { assembleTransmit } from "./transmit.js";

/** UNDI driver state, as PXENV_UNDI_GET_STATE would report it (plus "stopped"). */
export type UndiState = "stopped" | "started" | "initialized" | "opened";

/** Options of the simulated PXE firmware. */
export interface SimFirmwareOptions {
  /** Our MAC (default 52:54:00:12:34:56, QEMU's). */
  mac?: Uint8Array;
  /** MTU (default 1500). */
  mtu?: number;
  /** IRQ reported by GET_INFORMATION (default 11). */
  irq?: number;
  /** I/O base reported by GET_INFORMATION (default 0xc000). */
  ioBase?: number;
  /** Bytes per RECEIVE piece (default: whole frames). */
  pieceSize?: number;
  /** Receive queue length; frames beyond it count as resource errors (default 32). */
  rxQueueLimit?: number;
  /** State when the NBP gets control (default "opened": the base code opened the UNDI). */
  initialState?: UndiState;
  /** Never report an interrupt (START always answers NOT_OURS). */
  neverRaise?: boolean;
  /** Report TRANSMIT completions through the ISR (default true). */
  txCompletions?: boolean;
  /** GET_NIC_TYPE answer (default PCI 8086:100e, an e1000). */
  nic?: UndiGetNicTypeBlock;
  /** Cached packets by type (default: a DHCPACK for 10.0.2.15 as types 2 and 3). */
  cached?: Partial<Record<1 | 2 | 3, Uint8Array>>;
  /** Files the base code's TFTP serves. */
  files?: Record<string, Uint8Array>;
  /**
   * How ISR START decides OURS. "spec" (default): OURS when an event is
   * pending. "ipxe": as iPXE does it — OURS whenever interrupts are enabled
   * (by OPEN, and again by DONE), START disabling them; NOT_OURS always for
   * a NIC without interrupts (irq 0).
   */
  isrStyle?: "spec" | "ipxe";
}

/** One recorded PXE call. */
export interface SimCall {
  /** Opcode called. */
  opcode: number;
  /** Status returned. */
  status: number;
  /** AX returned. */
  exit: number;
}

/** Where the simulated firmware keeps its things in real-mode memory. */
export const SIM_LAYOUT = {
  rxBuffer: 0x90000,
  rxBufferSize: 0xc000,
  cached: 0x9c000,
  cachedSlot: 0x800,
  pxenv: 0x9f000,
  bangPxe: 0x9f040,
  romSegment: 0xc800,
} as const;

const ETH = 14;
/** sizeof(BOOTPLAYER_t): the BOOTP fixed part and a 1024-byte vendor area. */
const BOOTPLAYER_SIZE = 236 + 1024;

/**
 * A PXE 2.1 firmware simulated in TypeScript, as a PxeCallPort: 1 MiB of
 * real-mode memory holding PXENV+ and !PXE and the cached DHCP packets, an
 * UNDI with the spec's state rules, receive through PXENV_UNDI_ISR with
 * configurable piece size, BUSY answers, error injection by opcode, a
 * never-interrupting mode, transmit recording, and a small TFTP base code.
 */
export class SimPxeFirmware implements PxeCallPort {
  /** Real-mode memory. */
  readonly memory = new RealModeMemory();
  /** Address of PXENV+. */
  readonly pxenvAt = SegOff.fromLinear(SIM_LAYOUT.pxenv);
  /** Address of !PXE. */
  readonly bangPxeAt = SegOff.fromLinear(SIM_LAYOUT.bangPxe);
  /** Every frame transmitted, in order (copies). */
  readonly transmitted: Uint8Array[] = [];
  /** Every call made, in order. */
  readonly calls: SimCall[] = [];
  /** Called with each transmitted frame (e.g. to hand it to a simulated peer). */
  onTransmit?: (frame: Uint8Array) => void;
  /** Current UNDI state. */
  state: UndiState;
  /** Whether the base code (TFTP/UDP) still runs. */
  baseRunning = true;
  /** Receive filter bits in force. */
  filter = Filter.DIRECTED | Filter.BROADCAST;
  /** Bytes per RECEIVE piece (Infinity = whole frames). */
  pieceSize: number;
  /** START never answers OURS while true. */
  neverRaise: boolean;
  /** Counters as GET_STATISTICS reports them. */
  readonly stats = { xmtGoodFrames: 0, rcvGoodFrames: 0, rcvCrcErrors: 0, rcvResourceErrors: 0 };
  private mac: Uint8Array;
  private readonly permMac: Uint8Array;
  private readonly mtu: number;
  private readonly opts: SimFirmwareOptions;
  private readonly rxQueue: Uint8Array[] = [];
  private readonly rxLimit: number;
  private current: { frame: Uint8Array; sent: number } | null = null;
  private txDone = 0;
  private forced = false;
  private irqEnabled = false;
  private busyLeft = 0;
  private readonly failures = new Map<number, { status: number; times: number }>();
  private readonly cached = new Map<number, number>();
  private readonly tftp: SimTftp;

  /** Builds the firmware and places its structures in memory. */
  constructor(options: SimFirmwareOptions = {}) {
    this.opts = options;
    this.mac = (options.mac ?? Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, 0x56)).slice(0, 6);
    this.permMac = this.mac.slice();
    this.mtu = options.mtu ?? 1500;
    this.pieceSize = options.pieceSize ?? Infinity;
    this.rxLimit = options.rxQueueLimit ?? 32;
    this.neverRaise = options.neverRaise ?? false;
    this.state = options.initialState ?? "opened";
    this.placeStructures();
    this.tftp = new SimTftp(this.memory, options.files ?? {});
    const ack = defaultDhcpAck(this.mac);
    const packets = { 2: ack, 3: ack, ...options.cached };
    for (const [t, p] of Object.entries(packets)) {
      if (!p) continue;
      if (p.length > SIM_LAYOUT.cachedSlot) throw new RangeError("cached packet larger than 2 KiB");
      const at = SIM_LAYOUT.cached + (Number(t) - 1) * SIM_LAYOUT.cachedSlot;
      this.memory.write(at, p);
      this.cached.set(Number(t), p.length);
    }
  }

  private placeStructures(): void {
    const seg = (linear: number, size: number) => ({ segmentAddress: linear >>> 4, physicalAddress: linear, segSize: size });
    this.memory.write(SIM_LAYOUT.bangPxe, encode(bangPxeCodec, {
      structRev: 0, undiRomId: new SegOff(SIM_LAYOUT.romSegment, 0x40), baseRomId: new SegOff(SIM_LAYOUT.romSegment, 0x60),
      entryPointSP: new SegOff(0x9e00, 0x0010), entryPointESP: new SegOff(0x9e00, 0x0020), statusCallout: new SegOff(0xffff, 0xffff),
      segDescCnt: 7, firstSelector: 0,
      stack: seg(0x9d000, 0x1000), undiData: seg(0x90000, 0xc000), undiCode: seg(0x9e000, 0x1000), undiCodeWrite: seg(0x9e000, 0x1000),
      bcData: seg(0x9c000, 0x1000), bcCode: seg(0x9e000, 0x1000), bcCodeWrite: seg(0x9e000, 0x1000),
    }));
    this.memory.write(SIM_LAYOUT.pxenv, encode(pxenvCodec, {
      version: 0x0201, rmEntry: new SegOff(0x9e00, 0x0000), pmOffset: 0, pmSelector: 0,
      stackSeg: 0x9d00, stackSize: 0x1000, bcCodeSeg: 0x9e00, bcCodeSize: 0x1000, bcDataSeg: 0x9c00, bcDataSize: 0x1000,
      undiDataSeg: 0x9000, undiDataSize: 0xc000, undiCodeSeg: 0x9e00, undiCodeSize: 0x1000, pxePtr: this.bangPxeAt,
    }));
  }

  /** PxeCallPort.read: copies real-mode memory. */
  read(address: number, length: number): Uint8Array {
    return this.memory.read(address, length);
  }

  /** PxeCallPort.write: writes real-mode memory. */
  write(address: number, data: Uint8Array): void {
    this.memory.write(address, data);
  }

  /** PxeCallPort.allocLow: conventional memory, 16-byte aligned. */
  allocLow(size: number): number {
    return this.memory.allocLow(size);
  }

  /** Makes the next `times` calls of `opcode` fail with `status` (AX = 1). */
  failNext(opcode: number, status: number, times = 1): void {
    this.failures.set(opcode, { status, times });
  }

  /** Makes the next `times` PROCESS/GET_NEXT calls answer BUSY. */
  busy(times: number): void {
    this.busyLeft = times;
  }

  /**
   * A frame arrives from the wire. It is queued if the UNDI is open and the
   * filter passes it; returns false when filtered out or the queue is full
   * (a resource error). The frame is copied.
   */
  inject(frame: Uint8Array): boolean {
    if (frame.length > SIM_LAYOUT.rxBufferSize) throw new RangeError("injected frame larger than the receive buffer");
    if (this.state !== "opened" || !this.passes(frame)) return false;
    if (this.rxQueue.length >= this.rxLimit) {
      this.stats.rcvResourceErrors++;
      return false;
    }
    this.rxQueue.push(frame.slice());
    return true;
  }

  /** Frames queued for receive and not yet handed over. */
  get pending(): number {
    return this.rxQueue.length + (this.current ? 1 : 0);
  }

  private passes(f: Uint8Array): boolean {
    if (this.filter & Filter.PROMISCUOUS) return true;
    const bcast = f.length >= 6 && f[0] === 0xff && f[1] === 0xff && f[2] === 0xff && f[3] === 0xff && f[4] === 0xff && f[5] === 0xff;
    if (bcast) return (this.filter & Filter.BROADCAST) !== 0;
    let ours = f.length >= 6;
    for (let i = 0; i < 6 && ours; i++) ours = f[i] === this.mac[i];
    return ours && (this.filter & Filter.DIRECTED) !== 0;
  }

  /** PxeCallPort.call: runs PXE API `opcode` on `block`, in place; returns AX. */
  call(opcode: number, block: Uint8Array): number {
    if (block.length < 2) throw new RangeError("parameter block shorter than its status word");
    const f = this.failures.get(opcode);
    let status: number;
    if (f && f.times > 0) {
      f.times--;
      status = f.status;
    } else {
      status = this.dispatch(opcode, block);
    }
    block[0] = status & 0xff;
    block[1] = status >>> 8;
    const exit = status === PxeStatus.SUCCESS ? 0 : 1;
    this.calls.push({ opcode, status, exit });
    return exit;
  }


  private dispatch(opcode: number, block: Uint8Array): number {
    const S = PxeStatus;
    const undiUp = this.state === "initialized" || this.state === "opened";
    switch (opcode) {
      case op.PXENV_UNDI_STARTUP:
        if (this.state !== "started") return S.UNDI_INVALID_STATE;
        return S.SUCCESS;
      case op.PXENV_UNDI_CLEANUP:
        if (this.state !== "started") return S.UNDI_INVALID_STATE;
        return S.SUCCESS;
      case op.PXENV_UNDI_INITIALIZE:
        if (this.state !== "started") return S.UNDI_INVALID_STATE;
        this.state = "initialized";
        return S.SUCCESS;
      case op.PXENV_UNDI_RESET_ADAPTER:
        if (!undiUp) return S.UNDI_INVALID_STATE;
        this.rxQueue.length = 0;
        this.current = null;
        return S.SUCCESS;
      case op.PXENV_UNDI_SHUTDOWN:
        if (!undiUp) return S.UNDI_INVALID_STATE;
        this.state = "started";
        return S.SUCCESS;
      case op.PXENV_UNDI_OPEN: {
        if (!undiUp) return S.UNDI_INVALID_STATE;
        const { v } = blockIo(undiOpenBlock, block);
        this.filter = v.pktFilter;
        this.state = "opened";
        this.irqEnabled = true;
        return S.SUCCESS;
      }
      case op.PXENV_UNDI_CLOSE:
        if (this.state !== "opened") return S.UNDI_INVALID_STATE;
        this.state = "initialized";
        this.rxQueue.length = 0;
        this.current = null;
        return S.SUCCESS;
      case op.PXENV_UNDI_TRANSMIT:
        return this.transmit(block);
      case op.PXENV_UNDI_SET_STATION_ADDRESS: {
        if (this.state === "opened") return S.UNDI_INVALID_STATE;
        const { v } = blockIo(undiSetStationAddressBlock, block);
        this.mac = v.stationAddress.slice(0, 6);
        return S.SUCCESS;
      }
      case op.PXENV_UNDI_SET_PACKET_FILTER: {
        if (this.state !== "opened") return S.UNDI_INVALID_STATE;
        this.filter = blockIo(undiSetPacketFilterBlock, block).v.filter;
        return S.SUCCESS;
      }
      case op.PXENV_UNDI_GET_INFORMATION: {
        if (this.state === "stopped") return S.UNDI_INVALID_STATE;
        const { put } = blockIo(undiGetInformationBlock, block);
        const cur = new Uint8Array(16);
        cur.set(this.mac);
        const perm = new Uint8Array(16);
        perm.set(this.permMac);
        put({
          status: 0, baseIo: this.opts.ioBase ?? 0xc000, intNumber: this.opts.irq ?? 11, maxTranUnit: this.mtu, hwType: 1, hwAddrLen: 6,
          currentNodeAddress: cur, permNodeAddress: perm, romAddress: SIM_LAYOUT.romSegment, rxBufCt: this.rxLimit, txBufCt: 1,
        });
        return S.SUCCESS;
      }
      case op.PXENV_UNDI_GET_STATISTICS: {
        if (this.state === "stopped") return S.UNDI_INVALID_STATE;
        blockIo(undiGetStatisticsBlock, block).put({ status: 0, ...this.stats });
        return S.SUCCESS;
      }
      case op.PXENV_UNDI_CLEAR_STATISTICS:
        this.stats.xmtGoodFrames = this.stats.rcvGoodFrames = this.stats.rcvCrcErrors = this.stats.rcvResourceErrors = 0;
        return S.SUCCESS;
      case op.PXENV_UNDI_FORCE_INTERRUPT:
        if (this.state !== "opened") return S.UNDI_INVALID_STATE;
        this.forced = true;
        return S.SUCCESS;
      case op.PXENV_UNDI_GET_NIC_TYPE: {
        if (this.state === "stopped") return S.UNDI_INVALID_STATE;
        const nic = this.opts.nic ?? {
          status: 0, nicType: 2 as const,
          pci: { vendorId: 0x8086, deviceId: 0x100e, baseClass: 2, subClass: 0, progIntf: 0, rev: 3, busDevFunc: 0x0018, subVendorId: 0x1af4, subDeviceId: 0x1100 },
        };
        blockIo(undiGetNicTypeBlock, block).put({ ...nic, status: 0 });
        return S.SUCCESS;
      }
      case op.PXENV_UNDI_GET_IFACE_INFO:
        blockIo(undiGetIfaceInfoBlock, block).put({ status: 0, ifaceType: "DIX+802.3", linkSpeed: 1_000_000_000, serviceFlags: 0x1c0f, reserved: new Uint8Array(16) });
        return S.SUCCESS;
      case op.PXENV_UNDI_ISR:
        return this.isr(block);
      case op.PXENV_STOP_UNDI:
        if (this.baseRunning || this.state !== "started") return S.KEEP_UNDI;
        this.state = "stopped";
        return S.SUCCESS;
      case op.PXENV_STOP_BASE:
        this.baseRunning = false;
        this.tftp.reset();
        return S.SUCCESS;
      case op.PXENV_START_BASE:
        this.baseRunning = true;
        return S.SUCCESS;
      case op.PXENV_UNLOAD_STACK:
        // The base code goes; the UNDI must not be in use (shut down first).
        if (this.state === "initialized" || this.state === "opened") return S.KEEP_UNDI;
        this.baseRunning = false;
        this.tftp.reset();
        return S.SUCCESS;
      case op.PXENV_GET_CACHED_INFO:
        return this.getCachedInfo(block);
      case op.PXENV_TFTP_OPEN:
      case op.PXENV_TFTP_READ:
      case op.PXENV_TFTP_CLOSE:
      case op.PXENV_TFTP_GET_FSIZE:
      case op.PXENV_TFTP_READ_FILE:
        if (!this.baseRunning) return S.UNSUPPORTED;
        return this.tftp.call(opcode, block);
      default:
        return S.UNSUPPORTED;
    }
  }

  private transmit(block: Uint8Array): number {
    if (this.state !== "opened") return PxeStatus.UNDI_INVALID_STATE;
    const r = assembleTransmit(this.memory, blockIo(undiTransmitBlock, block).v, this.mac, this.mtu);
    if (!(r instanceof Uint8Array)) return r.status;
    this.transmitted.push(r);
    this.stats.xmtGoodFrames++;
    if (this.opts.txCompletions ?? true) this.txDone++;
    this.onTransmit?.(r.slice());
    return PxeStatus.SUCCESS;
  }


  private isr(block: Uint8Array): number {
    const S = PxeStatus;
    const { v, put } = blockIo(undiIsrBlock, block);
    if (this.state !== "opened") return S.UNDI_INVALID_STATE;
    const out = { ...v, status: 0, bufferLength: 0, frameLength: 0, frameHeaderLength: 0, frame: SegOff.NULL, protType: 0, pktType: 0 };
    if (v.funcFlag === IsrFlag.IN_START) {
      let ours: boolean;
      if (this.opts.isrStyle === "ipxe") {
        ours = this.irqEnabled && (this.opts.irq ?? 11) !== 0;
        this.irqEnabled = false;
      } else {
        ours = this.forced || this.txDone > 0 || this.rxQueue.length > 0 || this.current !== null;
      }
      out.funcFlag = !this.neverRaise && ours ? IsrFlag.OUT_OURS : IsrFlag.OUT_NOT_OURS;
      this.forced = false;
      put(out);
      return S.SUCCESS;
    }
    if (v.funcFlag !== IsrFlag.IN_PROCESS && v.funcFlag !== IsrFlag.IN_GET_NEXT) return S.UNDI_INVALID_PARAMETER;
    if (this.busyLeft > 0) {
      this.busyLeft--;
      out.funcFlag = IsrFlag.OUT_BUSY;
      put(out);
      return S.SUCCESS;
    }
    if (!this.current && this.txDone > 0) {
      this.txDone--;
      out.funcFlag = IsrFlag.OUT_TRANSMIT;
      put(out);
      return S.SUCCESS;
    }
    if (!this.current && this.rxQueue.length > 0) {
      const frame = this.rxQueue.shift()!;
      this.memory.write(SIM_LAYOUT.rxBuffer, frame);
      this.current = { frame, sent: 0 };
    }
    if (!this.current) {
      this.irqEnabled = true;
      out.funcFlag = IsrFlag.OUT_DONE;
      put(out);
      return S.SUCCESS;
    }
    const c = this.current;
    const n = Math.min(this.pieceSize, c.frame.length - c.sent);
    out.funcFlag = IsrFlag.OUT_RECEIVE;
    out.bufferLength = n;
    out.frameLength = c.frame.length;
    out.frameHeaderLength = ETH;
    out.frame = SegOff.fromLinear(SIM_LAYOUT.rxBuffer + c.sent);
    out.protType = protTypeOf(c.frame);
    out.pktType = pktTypeOf(c.frame);
    c.sent += n;
    if (c.sent >= c.frame.length) {
      this.current = null;
      this.stats.rcvGoodFrames++;
    }
    put(out);
    return S.SUCCESS;
  }

  private getCachedInfo(block: Uint8Array): number {
    const { v, put } = blockIo(getCachedInfoBlock, block);
    if (v.packetType < CachedPacket.DHCP_DISCOVER || v.packetType > CachedPacket.CACHED_REPLY) return PxeStatus.UNSUPPORTED;
    const len = this.cached.get(v.packetType);
    if (len === undefined) return PxeStatus.UNSUPPORTED;
    const at = SIM_LAYOUT.cached + (v.packetType - 1) * SIM_LAYOUT.cachedSlot;
    if (v.bufferSize === 0 && v.buffer.isNull()) {
      // Like iPXE: the size of a whole BOOTPLAYER (236 + 1024 bytes), zero-padded after the packet.
      put({ ...v, status: 0, bufferSize: Math.max(len, BOOTPLAYER_SIZE), buffer: SegOff.fromLinear(at), bufferLimit: SIM_LAYOUT.cachedSlot });
    } else {
      const n = Math.min(len, v.bufferSize);
      this.memory.write(v.buffer.linear(), this.memory.read(at, n));
      put({ ...v, status: 0, bufferSize: n, bufferLimit: SIM_LAYOUT.cachedSlot });
    }
    return PxeStatus.SUCCESS;
  }

}

function protTypeOf(f: Uint8Array): number {
  const t = f.length >= ETH ? readU16be(f, 12) : -1;
  return t === 0x0800 ? Proto.IP : t === 0x0806 ? Proto.ARP : t === 0x8035 ? Proto.RARP : Proto.OTHER;
}

function pktTypeOf(f: Uint8Array): number {
  if (f.length >= 6 && f[0] === 0xff && f[1] === 0xff && f[2] === 0xff && f[3] === 0xff && f[4] === 0xff && f[5] === 0xff) return PktType.BROADCAST;
  return f.length >= 1 && (f[0] & 1) ? PktType.MULTICAST : PktType.DIRECTED;
}
