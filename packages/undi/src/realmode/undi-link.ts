import { encode, readU16le, writeU16le } from "@pxe/core";
import type { LinkDriver, LinkInfo, LinkStatistics, PacketFilter } from "../link.js";
import { IsrLoopFlag, IsrLoopState as S, ISR_LOOP_STATE_WORDS, type PxeCallPort } from "../pxe-port.js";
import { LinkError, checkTransmit, PxeCallError } from "../errors.js";
import { pxeCall, pxeCallError } from "../pxe/call.js";
import * as op from "../pxe/opcodes.js";
import { PxeStatus } from "../pxe/status.js";
import { CachedPacket, Filter, HwType, IsrFlag, Proto, XmitFlag } from "../pxe/constants.js";
import {
  statusBlock, undiInitializeBlock, undiOpenBlock, undiTransmitBlock, ISR_FIELD, TRANSMIT_FIELD,
  type UndiGetInformationBlock, type UndiGetStatisticsBlock,
} from "../pxe/blocks-undi.js";
import type { UndiGetNicTypeBlock } from "../pxe/nic-type.js";
import type { CachedDhcpInfo } from "../pxe/cached-dhcp.js";
import { cachedDhcp, cachedPacket, undiInformation, undiNicType, undiStatistics } from "./facts.js";
import { tbdCodec, TBD_SIZE } from "../pxe/tbd.js";
import { SegOff } from "../pxe/segoff.js";
import { Reassembly } from "./reassembly.js";

/** Options of the real-mode UNDI link. */
export interface UndiLinkOptions {
  /**
   * Call PXENV_UNDI_STARTUP and PXENV_UNDI_INITIALIZE in the constructor
   * (default true). PXENV_STATUS_UNDI_INVALID_STATE from either is taken
   * to mean "already done by the ROM" and ignored.
   */
  bringUp?: boolean;
  /** Call PXENV_STOP_BASE first, so the base code stops using the NIC (default false). */
  stopBase?: boolean;
  /** Most PXENV_UNDI_ISR calls one poll() makes (default 64): poll never spins forever. */
  maxIsrCallsPerPoll?: number;
  /** Driver name in LinkInfo (default "undi"). */
  name?: string;
  /**
   * Whether a receive cycle begins with ISR START. "auto" (default): yes,
   * unless GET_INFORMATION reports IRQ 0 — a NIC without interrupts, whose
   * START never answers OURS (iPXE) — in which case the cycle begins with
   * PROCESS, which iPXE explicitly supports for polling NBPs.
   */
  isrStart?: "auto" | "always" | "never";
  /**
   * Merge in-order TCP data segments of one flow into one larger frame
   * before the stack sees them (receive coalescing, as a NIC's LRO does;
   * default true). Done by the port's native isrReceive loop; the
   * TypeScript loop (a port without isrReceive) does not coalesce.
   */
  coalesce?: boolean;
}

/** UNDI facts beyond LinkInfo, from PXENV_UNDI_GET_INFORMATION. */
export interface UndiInfo extends LinkInfo {
  /** IRQ number. */
  readonly irq: number;
  /** I/O base address. */
  readonly ioBase: number;
  /** Permanent (EEPROM) MAC. */
  readonly permanentMac: Uint8Array;
  /** ROM segment. */
  readonly romSegment: number;
  /** Receive queue length. */
  readonly rxBufCt: number;
  /** Transmit queue length. */
  readonly txBufCt: number;
}

/** Counters the UNDI link keeps about the ISR protocol itself. */
export interface UndiCounters {
  /** ISR calls made. */
  isrCalls: number;
  /** BUSY answers seen. */
  busy: number;
  /** Transmit completions seen. */
  txCompletions: number;
  /** Frames dropped for exceeding MTU + 14 on receive. */
  oversize: number;
  /** Inconsistent pieces or unknown FuncFlag values seen. */
  protocolErrors: number;
  /** Polls cut short by maxIsrCallsPerPoll. */
  callLimitHits: number;
  /** Received TCP segments merged into an earlier one (coalescing). */
  merged: number;
}

const ETH_HEADER = 14;
/** Output buffer of the native receive loop: room for a 64 KiB merged segment and then some. */
const NATIVE_OUT_BYTES = 96 * 1024;

/** The low-memory transmit area and the reused transmit block. */
interface TransmitArea {
  tbdAt: number;
  destAt: number;
  bufAt: number;
  template: Uint8Array;
  block: Uint8Array;
  len: Uint8Array;
}

/**
 * A LinkDriver on the PXE firmware's own UNDI, through a PxeCallPort. Sends
 * with PXENV_UNDI_TRANSMIT (one TBD and frame buffer allocated low once and
 * reused) and receives by polling PXENV_UNDI_ISR (START, PROCESS, GET_NEXT
 * until DONE), reassembling frames handed over in pieces. Each poll makes at
 * most maxIsrCallsPerPoll calls, so a firmware that never finishes (or never
 * raises an event) cannot hang the caller.
 */
export class UndiLink implements LinkDriver {
  /** MAC, MTU, link type, IRQ, I/O base (from GET_INFORMATION at construction). */
  readonly info: UndiInfo;
  /** ISR protocol counters. */
  readonly counters: UndiCounters = { isrCalls: 0, busy: 0, txCompletions: 0, oversize: 0, protocolErrors: 0, callLimitHits: 0, merged: 0 };
  private readonly port: PxeCallPort;
  private readonly maxCalls: number;
  private readonly rx: Reassembly;
  private readonly stats: LinkStatistics = { xmitGoodFrames: 0, rcvGoodFrames: 0, rcvCrcErrors: 0, rcvResourceErrors: 0, dropped: 0 };
  private readonly useStart: boolean;
  private tx: TransmitArea | null = null;
  private readonly isrBlock = new Uint8Array(ISR_FIELD.size);
  private opened = false;
  private processing = false;
  /** The native loop's next call must drop a half-reassembled frame (set by open). */
  private nativeReset = true;
  private readonly coalesce: boolean;
  /** The native loop's output records and state, when the port has isrReceive. */
  private readonly native: { out: Uint8Array; state: Int32Array } | null;

  /** Brings the UNDI up (see options) and reads its information. Throws PxeCallError on failure. */
  constructor(port: PxeCallPort, options: UndiLinkOptions = {}) {
    this.port = port;
    this.maxCalls = Math.max(1, options.maxIsrCallsPerPoll ?? 64);
    if (options.stopBase) pxeCall(port, op.PXENV_STOP_BASE, statusBlock, { status: 0 });
    if (options.bringUp ?? true) {
      this.tolerant(() => pxeCall(port, op.PXENV_UNDI_STARTUP, statusBlock, { status: 0 }));
      this.tolerant(() =>
        pxeCall(port, op.PXENV_UNDI_INITIALIZE, undiInitializeBlock, { status: 0, protocolIni: 0, reserved: new Uint8Array(8) }),
      );
    }
    const gi = this.information();
    const macLen = Math.min(gi.hwAddrLen || 6, 16);
    this.info = {
      mac: gi.currentNodeAddress.slice(0, macLen),
      mtu: gi.maxTranUnit || 1500,
      linkType: gi.hwType || HwType.ETHERNET,
      name: options.name ?? "undi",
      irq: gi.intNumber,
      ioBase: gi.baseIo,
      permanentMac: gi.permNodeAddress.slice(0, macLen),
      romSegment: gi.romAddress,
      rxBufCt: gi.rxBufCt,
      txBufCt: gi.txBufCt,
    };
    this.rx = new Reassembly(this.info.mtu + ETH_HEADER);
    const mode = options.isrStart ?? "auto";
    this.useStart = mode === "always" || (mode === "auto" && this.info.irq !== 0);
    this.coalesce = options.coalesce ?? true;
    this.native = port.isrReceive ? { out: new Uint8Array(NATIVE_OUT_BYTES), state: new Int32Array(ISR_LOOP_STATE_WORDS) } : null;
  }

  private tolerant(f: () => unknown): void {
    try {
      f();
    } catch (e) {
      if (!(e instanceof PxeCallError && e.status === PxeStatus.UNDI_INVALID_STATE)) throw e;
    }
  }

  /** PXENV_UNDI_GET_INFORMATION, raw. */
  information(): UndiGetInformationBlock {
    return undiInformation(this.port);
  }

  /** PXENV_UNDI_GET_NIC_TYPE: PCI/CardBus or PnP identity. */
  nicType(): UndiGetNicTypeBlock {
    return undiNicType(this.port);
  }

  /** PXENV_UNDI_GET_STATISTICS: the firmware's own counters. */
  firmwareStatistics(): UndiGetStatisticsBlock {
    return undiStatistics(this.port);
  }

  /** The raw cached packet of `packetType` (default the DHCPACK), copied out of firmware memory. */
  cachedPacket(packetType: number = CachedPacket.DHCP_ACK): Uint8Array {
    return cachedPacket(this.port, packetType);
  }

  /** The cached DHCP/BOOTP packet of `packetType`, parsed (WireError when malformed). */
  cachedDhcp(packetType: number = CachedPacket.DHCP_ACK): CachedDhcpInfo {
    return cachedDhcp(this.port, packetType);
  }

  /**
   * PXENV_UNDI_OPEN with the filter's bits (default directed + broadcast;
   * promiscuous on request). UNDI has no all-multicast bit, so `multicast`
   * is not passed on (iPXE ignores the filter anyway). Idempotent.
   */
  open(filter: PacketFilter = {}): void {
    if (this.opened) return;
    let bits = 0;
    if (filter.directed ?? true) bits |= Filter.DIRECTED;
    if (filter.broadcast ?? true) bits |= Filter.BROADCAST;
    if (filter.promiscuous) bits |= Filter.PROMISCUOUS;
    pxeCall(this.port, op.PXENV_UNDI_OPEN, undiOpenBlock, { status: 0, openFlag: 0, pktFilter: bits, mcast: { addresses: [] } });
    this.opened = true;
    this.processing = false;
    if (this.native) this.native.state[S.processing] = 0;
    this.nativeReset = true;
    this.rx.reset();
  }

  /** PXENV_UNDI_CLOSE. Idempotent. */
  close(): void {
    if (!this.opened) return;
    this.opened = false;
    pxeCall(this.port, op.PXENV_UNDI_CLOSE, statusBlock, { status: 0 });
  }

  /**
   * Sends one Ethernet frame with PXENV_UNDI_TRANSMIT (Protocol P_UNKNOWN:
   * the header is in the frame). The frame is copied into one low-memory
   * area (TBD, destination, frame buffer) allocated on first use and reused.
   * Returns false (and counts a drop) on OUT_OF_RESOURCES or
   * UNDI_TRANSMIT_ERROR; other failures throw PxeCallError.
   */
  transmit(frame: Uint8Array): boolean {
    checkTransmit(this.info, this.opened, frame, true);
    const max = this.info.mtu + ETH_HEADER;
    const tx = this.tx ?? this.setupTransmit(max);
    this.port.write(tx.bufAt, frame);
    this.port.write(tx.destAt, frame.subarray(0, 6));
    writeU16le(tx.len, 0, frame.length);
    this.port.write(tx.tbdAt, tx.len);
    const b = tx.block;
    b.set(tx.template);
    const broadcast = frame[0] === 0xff && frame[1] === 0xff && frame[2] === 0xff && frame[3] === 0xff && frame[4] === 0xff && frame[5] === 0xff;
    b[TRANSMIT_FIELD.xmitFlag] = broadcast ? XmitFlag.BROADCAST : XmitFlag.DESTADDR;
    const exit = this.port.call(op.PXENV_UNDI_TRANSMIT, b);
    const status = b[0] | (b[1] << 8);
    if (exit === 0 && status === PxeStatus.SUCCESS) {
      this.stats.xmitGoodFrames++;
      return true;
    }
    if (status === PxeStatus.OUT_OF_RESOURCES || status === PxeStatus.UNDI_TRANSMIT_ERROR) {
      this.stats.dropped++;
      return false;
    }
    throw pxeCallError(op.PXENV_UNDI_TRANSMIT, status, exit);
  }

  private setupTransmit(max: number): TransmitArea {
    const at = this.port.allocLow(TBD_SIZE + 16 + max);
    if (at % 16 !== 0 || at + TBD_SIZE + 16 + max > 0xa0000) throw new LinkError(this.info.name, "allocLow returned unusable memory");
    const tbdAt = at;
    const destAt = at + TBD_SIZE;
    const bufAt = destAt + 16;
    this.port.write(tbdAt, encode(tbdCodec, { immedLength: 0, xmit: SegOff.fromLinear(bufAt), dataBlocks: [] }));
    const template = encode(undiTransmitBlock, {
      status: 0, protocol: Proto.UNKNOWN, xmitFlag: XmitFlag.DESTADDR,
      destAddr: SegOff.fromLinear(destAt), tbd: SegOff.fromLinear(tbdAt), reserved0: 0, reserved1: 0,
    });
    this.tx = { tbdAt, destAt, bufAt, template, block: new Uint8Array(template.length), len: new Uint8Array(2) };
    return this.tx;
  }

  /** One PXENV_UNDI_ISR call on the reused block; returns the FuncFlag out. Throws PxeCallError on failure. */
  private isr(funcFlag: number): number {
    this.counters.isrCalls++;
    const b = this.isrBlock;
    b.fill(0);
    b[ISR_FIELD.funcFlag] = funcFlag;
    const exit = this.port.call(op.PXENV_UNDI_ISR, b);
    const status = b[0] | (b[1] << 8);
    if (exit !== 0 || status !== PxeStatus.SUCCESS) {
      throw pxeCallError(op.PXENV_UNDI_ISR, status, exit);
    }
    return readU16le(b, ISR_FIELD.funcFlag);
  }

  /**
   * Receives by polling PXENV_UNDI_ISR, one interrupt cycle per call: START
   * (NOT_OURS ends the poll; skipped for IRQ-less NICs, see isrStart), then
   * PROCESS, then GET_NEXT until DONE. RECEIVE pieces are reassembled and
   * each complete frame handed to `onFrame` (a lease, valid only inside the
   * callback); TRANSMIT completions are counted; BUSY ends the poll. The poll
   * stops after `budget` frames or maxIsrCallsPerPoll calls and resumes with
   * GET_NEXT next time. Returns the number of frames delivered. A failing ISR
   * call throws PxeCallError. (A cycle per poll matters: iPXE answers START
   * with OURS whenever interrupts are enabled, even with nothing pending.)
   */
  poll(_now: number, onFrame: (frame: Uint8Array) => void, budget = Infinity): number {
    if (!this.opened) return 0;
    if (this.native) return this.pollNative(this.native, onFrame, budget);
    let delivered = 0;
    let calls = 0;
    const spend = (): boolean => {
      if (calls >= this.maxCalls) {
        this.counters.callLimitHits++;
        return false;
      }
      calls++;
      return true;
    };
    while (delivered < budget) {
      let f: number;
      if (!this.processing) {
        if (this.useStart) {
          if (!spend()) break;
          if (this.isr(IsrFlag.IN_START) !== IsrFlag.OUT_OURS) break;
        }
        if (!spend()) break;
        f = this.isr(IsrFlag.IN_PROCESS);
        this.processing = true;
      } else {
        if (!spend()) break;
        f = this.isr(IsrFlag.IN_GET_NEXT);
      }
      if (f === IsrFlag.OUT_DONE) {
        this.processing = false;
        if (this.rx.inProgress) {
          this.rx.reset();
          this.counters.protocolErrors++;
          this.stats.dropped++;
        }
        break;
      }
      if (f === IsrFlag.OUT_BUSY) {
        this.counters.busy++;
        this.processing = false;
        break;
      }
      if (f === IsrFlag.OUT_TRANSMIT) {
        this.counters.txCompletions++;
        continue;
      }
      if (f === IsrFlag.OUT_RECEIVE) {
        const b = this.isrBlock;
        const bufferLength = readU16le(b, ISR_FIELD.bufferLength);
        const frameLength = readU16le(b, ISR_FIELD.frameLength);
        const at = readU16le(b, ISR_FIELD.frameSegment) * 16 + readU16le(b, ISR_FIELD.frameOffset);
        if (!this.rx.inProgress && bufferLength === frameLength && frameLength >= 1 && frameLength <= this.rx.maxFrame) {
          // The whole frame in one piece (what iPXE does): no reassembly copy.
          const frame = this.port.read(at, frameLength);
          if (frame.length === frameLength) {
            this.stats.rcvGoodFrames++;
            delivered++;
            onFrame(frame);
          } else {
            this.counters.protocolErrors++;
            this.stats.dropped++;
          }
          continue;
        }
        const r = this.rx.add(frameLength, bufferLength, () => this.port.read(at, bufferLength));
        if (r === "frame") {
          this.stats.rcvGoodFrames++;
          delivered++;
          onFrame(this.rx.frame());
        } else if (r === "oversize") {
          this.counters.oversize++;
          this.stats.dropped++;
        } else if (r === "error") {
          this.counters.protocolErrors++;
          this.stats.dropped++;
        }
        continue;
      }
      this.counters.protocolErrors++;
      this.processing = false;
      this.rx.reset();
      break;
    }
    return delivered;
  }

  /** poll() on the port's native loop: one host call, then the records handed over in order. */
  private pollNative(nat: { out: Uint8Array; state: Int32Array }, onFrame: (frame: Uint8Array) => void, budget: number): number {
    const st = nat.state;
    const framesBefore = st[S.frames];
    const droppedBefore = st[S.oversize] + st[S.protocolErrors];
    const flags = (this.useStart ? IsrLoopFlag.START : 0) | (this.coalesce ? IsrLoopFlag.COALESCE : 0) | (this.nativeReset ? IsrLoopFlag.RESET : 0);
    this.nativeReset = false;
    const n = this.port.isrReceive!(nat.out, Math.min(budget, 0x7fffffff), this.maxCalls, flags, this.rx.maxFrame, st);
    const c = this.counters;
    c.isrCalls = st[S.isrCalls];
    c.busy = st[S.busy];
    c.txCompletions = st[S.txCompletions];
    c.oversize = st[S.oversize];
    c.protocolErrors = st[S.protocolErrors];
    c.callLimitHits = st[S.callLimitHits];
    c.merged = st[S.merged];
    this.stats.rcvGoodFrames += st[S.frames] - framesBefore;
    this.stats.dropped += st[S.oversize] + st[S.protocolErrors] - droppedBefore;
    if (n < 0) throw pxeCallError(op.PXENV_UNDI_ISR, st[S.status], st[S.exit]);
    const out = nat.out;
    let at = 0;
    for (let i = 0; i < n; i++) {
      const len = readU16le(out, at);
      if (at + 2 + len > out.length) throw new LinkError(this.info.name, `native receive loop wrote a record past its buffer (${at + 2 + len} > ${out.length})`);
      onFrame(out.subarray(at + 2, at + 2 + len));
      at += 2 + len;
    }
    return n;
  }

  /**
   * Counters since construction: frames this driver sent and delivered and
   * dropped, plus the firmware's CRC and resource error counts when
   * PXENV_UNDI_GET_STATISTICS works (0 when it is unsupported).
   */
  statistics(): LinkStatistics {
    const s = { ...this.stats };
    try {
      const f = this.firmwareStatistics();
      s.rcvCrcErrors = f.rcvCrcErrors;
      s.rcvResourceErrors = f.rcvResourceErrors;
    } catch (e) {
      if (!(e instanceof PxeCallError)) throw e;
    }
    return s;
  }
}
