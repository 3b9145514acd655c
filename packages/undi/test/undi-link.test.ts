import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bytesEqual } from "@pxe/core";
import { SegOff, undiIsrBlock, type PxeCallPort } from "@pxe/undi";
import {
  UndiLink, LinkError, PxeCallError, PxeStatus, findPxe, PXENV_UNDI_TRANSMIT, PXENV_UNDI_ISR, PXENV_UNDI_OPEN,
  PXENV_UNDI_GET_STATISTICS, PXENV_TFTP_GET_FSIZE, PXENV_TFTP_READ_FILE, pxeCall, tftpGetFsizeBlock, tftpReadFileBlock,
} from "@pxe/undi";
import { SimPxeFirmware, arbEthernetFrame } from "@pxe/undi/testing";

const MAC = Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, 0x56);

function frameTo(dst: Uint8Array, len: number, seed = 1): Uint8Array {
  const f = new Uint8Array(len);
  f.set(dst);
  f.set([2, 0, 0, 0, 0, 1], 6);
  f[12] = 0x08;
  f[13] = 0x00;
  for (let i = 14; i < len; i++) f[i] = (i * 31 + seed) & 0xff;
  return f;
}

function collect(link: UndiLink, budget?: number): Uint8Array[] {
  const got: Uint8Array[] = [];
  link.poll(0, (f) => got.push(f.slice()), budget);
  return got;
}

describe("UndiLink against the simulated firmware", () => {
  it("reads info from GET_INFORMATION and tolerates an already-initialised UNDI", () => {
    const fw = new SimPxeFirmware({ irq: 10, ioBase: 0xc100 });
    const link = new UndiLink(fw);
    expect(Array.from(link.info.mac)).toEqual(Array.from(MAC));
    expect(link.info.mtu).toBe(1500);
    expect(link.info.linkType).toBe(1);
    expect(link.info.irq).toBe(10);
    expect(link.info.ioBase).toBe(0xc100);
    const nic = link.nicType();
    expect(nic.nicType).toBe(2);
    expect("pci" in nic && nic.pci.vendorId).toBe(0x8086);
    expect(link.cachedDhcp().yourIp).toBe("10.0.2.15");
  });

  it("brings a merely started UNDI up: STARTUP, INITIALIZE, OPEN with filter bits", () => {
    const fw = new SimPxeFirmware({ initialState: "started" });
    const link = new UndiLink(fw);
    expect(fw.state).toBe("initialized");
    link.open({ promiscuous: true });
    expect(fw.state).toBe("opened");
    expect(fw.filter).toBe(0x7);
    link.close();
    expect(fw.state).toBe("initialized");
    link.close();
  });

  it("finds !PXE and PXENV+ in memory", () => {
    const fw = new SimPxeFirmware();
    const viaPxenv = findPxe(fw, { pxenv: fw.pxenvAt });
    expect(viaPxenv.pxenv?.value.version).toBe(0x0201);
    expect(viaPxenv.bangPxe?.at.linear()).toBe(fw.bangPxeAt.linear());
    const scanned = findPxe(fw, { scan: true });
    expect(scanned.bangPxe?.at.linear()).toBe(fw.bangPxeAt.linear());
    expect(findPxe(fw, { bangPxe: fw.bangPxeAt }).bangPxe?.value.entryPointSP.toString()).toBe("9e00:0010");
  });

  it("transmits frames through a TBD in low memory, allocated once", () => {
    const fw = new SimPxeFirmware();
    const link = new UndiLink(fw);
    link.open();
    const free = fw.memory.lowFree;
    fc.assert(fc.property(arbEthernetFrame(), (f) => {
      expect(link.transmit(f)).toBe(true);
      expect(bytesEqual(fw.transmitted[fw.transmitted.length - 1], f)).toBe(true);
    }), { numRuns: 100 });
    expect(fw.memory.lowFree).toBeLessThan(free);
    const after = fw.memory.lowFree;
    link.transmit(frameTo(MAC, 60));
    expect(fw.memory.lowFree).toBe(after);
    expect(link.statistics().xmitGoodFrames).toBe(101);
  });

  it("rejects a frame larger than MTU + 14 on transmit, and frames on a closed link", () => {
    const fw = new SimPxeFirmware();
    const link = new UndiLink(fw);
    expect(() => link.transmit(frameTo(MAC, 60))).toThrow(LinkError);
    link.open();
    expect(() => link.transmit(frameTo(MAC, 1515))).toThrow(LinkError);
    expect(() => link.transmit(new Uint8Array(10))).toThrow(LinkError);
    expect(link.transmit(frameTo(MAC, 1514))).toBe(true);
  });

  it("a transmit the NIC has no room for returns false and counts a drop; other errors throw naming opcode and status", () => {
    const fw = new SimPxeFirmware();
    const link = new UndiLink(fw);
    link.open();
    fw.failNext(PXENV_UNDI_TRANSMIT, PxeStatus.OUT_OF_RESOURCES);
    expect(link.transmit(frameTo(MAC, 60))).toBe(false);
    expect(link.statistics().dropped).toBe(1);
    fw.failNext(PXENV_UNDI_TRANSMIT, PxeStatus.UNDI_INVALID_STATE);
    let err: unknown;
    try {
      link.transmit(frameTo(MAC, 60));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PxeCallError);
    const pe = err as PxeCallError;
    expect(pe.opcodeName).toBe("PXENV_UNDI_TRANSMIT");
    expect(pe.statusName).toBe("PXENV_STATUS_UNDI_INVALID_STATE");
    expect(pe.message).toMatch(/PXENV_UNDI_TRANSMIT.*PXENV_STATUS_UNDI_INVALID_STATE/);
  });

  it("receives frames whole and in pieces of any size, byte-exact and in order", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1600 }), fc.array(arbEthernetFrame(), { minLength: 1, maxLength: 8 }), (piece, frames) => {
      const fw = new SimPxeFirmware({ pieceSize: piece });
      const link = new UndiLink(fw);
      link.open({ promiscuous: true });
      for (const f of frames) expect(fw.inject(f)).toBe(true);
      const got: Uint8Array[] = [];
      for (let i = 0; i < 50 && got.length < frames.length; i++) link.poll(i, (f) => got.push(f.slice()));
      expect(got.length).toBe(frames.length);
      got.forEach((g, i) => expect(bytesEqual(g, frames[i])).toBe(true));
      expect(link.statistics().rcvGoodFrames).toBe(frames.length);
    }), { numRuns: 60 });
  });

  it("hands each frame as a lease: a reassembled frame's view is reused by the next frame", () => {
    const fw = new SimPxeFirmware({ pieceSize: 50 });
    const link = new UndiLink(fw);
    link.open();
    fw.inject(frameTo(MAC, 100, 1));
    fw.inject(frameTo(MAC, 100, 2));
    const leases: Uint8Array[] = [];
    link.poll(0, (f) => leases.push(f));
    expect(leases.length).toBe(2);
    expect(leases[0].buffer).toBe(leases[1].buffer);
  });

  it("respects the budget and resumes with GET_NEXT on the next poll", () => {
    const fw = new SimPxeFirmware({ pieceSize: 100 });
    const link = new UndiLink(fw);
    link.open();
    for (let i = 0; i < 5; i++) fw.inject(frameTo(MAC, 300, i));
    expect(collect(link, 2).length).toBe(2);
    const starts = fw.calls.filter((c) => c.opcode === PXENV_UNDI_ISR).length;
    expect(collect(link, 2).length).toBe(2);
    expect(collect(link).length).toBe(1);
    expect(starts).toBeGreaterThan(0);
  });

  it("BUSY ends the poll without losing frames", () => {
    const fw = new SimPxeFirmware({ pieceSize: 64 });
    const link = new UndiLink(fw);
    link.open();
    const f = frameTo(MAC, 200);
    fw.inject(f);
    fw.busy(3);
    let got: Uint8Array[] = [];
    let polls = 0;
    while (got.length === 0 && polls < 10) {
      got = collect(link);
      polls++;
    }
    expect(polls).toBe(4);
    expect(link.counters.busy).toBe(3);
    expect(bytesEqual(got[0], f)).toBe(true);
  });

  it("drops and counts a received frame larger than MTU + 14, then receives the next", () => {
    const fw = new SimPxeFirmware({ pieceSize: 500 });
    const link = new UndiLink(fw);
    link.open();
    fw.inject(frameTo(MAC, 3000));
    const ok = frameTo(MAC, 1514);
    fw.inject(ok);
    const got = collect(link);
    expect(got.length).toBe(1);
    expect(bytesEqual(got[0], ok)).toBe(true);
    expect(link.counters.oversize).toBe(1);
    expect(link.statistics().dropped).toBe(1);
  });

  it("a firmware that never raises an event: poll returns 0 promptly (one START call)", () => {
    const fw = new SimPxeFirmware({ neverRaise: true });
    const link = new UndiLink(fw);
    link.open();
    fw.inject(frameTo(MAC, 60));
    const before = fw.calls.length;
    for (let i = 0; i < 1000; i++) expect(link.poll(i, () => {})).toBe(0);
    // One ISR START per poll: a bounded amount of work, never a wait.
    expect(fw.calls.length - before).toBe(1000);
    expect(fw.pending).toBe(1);
  });

  it("a firmware that never says DONE cannot hang poll: bounded ISR calls", () => {
    const fw = new SimPxeFirmware({ pieceSize: 1 });
    const link = new UndiLink(fw, { maxIsrCallsPerPoll: 16 });
    link.open();
    fw.inject(frameTo(MAC, 1514));
    const before = fw.calls.length;
    expect(link.poll(0, () => {})).toBe(0);
    expect(fw.calls.length - before).toBeLessThanOrEqual(16);
    expect(link.counters.callLimitHits).toBe(1);
    let n = 0;
    for (let i = 0; i < 200 && n === 0; i++) n = link.poll(i, () => {});
    expect(n).toBe(1);
  });

  it("an ISR failure throws PxeCallError naming PXENV_UNDI_ISR", () => {
    const fw = new SimPxeFirmware();
    const link = new UndiLink(fw);
    link.open();
    fw.failNext(PXENV_UNDI_ISR, PxeStatus.UNDI_INVALID_STATE);
    expect(() => link.poll(0, () => {})).toThrow(/PXENV_UNDI_ISR.*PXENV_STATUS_UNDI_INVALID_STATE/);
  });

  it("open failures are typed", () => {
    const fw = new SimPxeFirmware();
    const link = new UndiLink(fw);
    fw.failNext(PXENV_UNDI_OPEN, PxeStatus.UNDI_CANNOT_INITIALIZE_NIC);
    expect(() => link.open()).toThrow(PxeCallError);
    link.open();
  });

  it("counts transmit completions and merges firmware CRC/resource errors into statistics", () => {
    const fw = new SimPxeFirmware({ rxQueueLimit: 2 });
    const link = new UndiLink(fw);
    link.open();
    link.transmit(frameTo(MAC, 60));
    for (let i = 0; i < 4; i++) fw.inject(frameTo(MAC, 60, i));
    expect(collect(link).length).toBe(2);
    expect(link.counters.txCompletions).toBe(1);
    const s = link.statistics();
    expect(s.rcvResourceErrors).toBe(2);
    fw.failNext(PXENV_UNDI_GET_STATISTICS, PxeStatus.UNSUPPORTED);
    expect(link.statistics().rcvResourceErrors).toBe(0);
  });

  it("the filter drops frames for other MACs unless promiscuous", () => {
    const fw = new SimPxeFirmware();
    const link = new UndiLink(fw);
    link.open();
    expect(fw.inject(frameTo(Uint8Array.of(2, 9, 9, 9, 9, 9), 60))).toBe(false);
    expect(fw.inject(frameTo(new Uint8Array(6).fill(0xff), 60))).toBe(true);
  });

  it("the simulated base code serves TFTP files", () => {
    const file = Uint8Array.from({ length: 3000 }, (_, i) => i & 0xff);
    const fw = new SimPxeFirmware({ files: { "kernel": file } });
    const size = pxeCall(fw, PXENV_TFTP_GET_FSIZE, tftpGetFsizeBlock, { status: 0, serverIpAddress: "10.0.2.2", gatewayIpAddress: "0.0.0.0", fileName: "kernel", fileSize: 0 });
    expect(size.fileSize).toBe(3000);
    const at = fw.allocLow(4096);
    const r = pxeCall(fw, PXENV_TFTP_READ_FILE, tftpReadFileBlock, {
      status: 0, fileName: "kernel", bufferSize: 4096, buffer: at, serverIpAddress: "10.0.2.2", gatewayIpAddress: "0.0.0.0",
      mcastIpAddress: "0.0.0.0", tftpClntPort: 0, tftpSrvPort: 0, tftpOpenTimeOut: 0, tftpReopenDelay: 0,
    });
    expect(r.bufferSize).toBe(3000);
    expect(bytesEqual(fw.read(at, 3000), file)).toBe(true);
    expect(() => pxeCall(fw, PXENV_TFTP_GET_FSIZE, tftpGetFsizeBlock, { status: 0, serverIpAddress: "10.0.2.2", gatewayIpAddress: "0.0.0.0", fileName: "nope", fileSize: 0 })).toThrow(/TFTP_FILE_NOT_FOUND/);
  });

  it("fuzz: random ISR answers never hang poll, never deliver more than MTU + 14, never throw", () => {
    const answer = fc.record({
      funcFlag: fc.integer({ min: 0, max: 6 }), bufferLength: fc.integer({ min: 0, max: 2000 }),
      frameLength: fc.integer({ min: 0, max: 3000 }), offset: fc.integer({ min: 0, max: 0xffff }),
    });
    fc.assert(fc.property(fc.array(answer, { minLength: 1, maxLength: 40 }), (answers) => {
      const fw = new SimPxeFirmware();
      let i = 0;
      const port: PxeCallPort = {
        read: (a, l) => fw.read(a, l),
        write: (a, d) => fw.write(a, d),
        allocLow: (n) => fw.allocLow(n),
        call(opcode, block) {
          if (opcode !== PXENV_UNDI_ISR) return fw.call(opcode, block);
          const a = answers[i++ % answers.length];
          undiIsrBlock.encodeInto({ status: 0, funcFlag: a.funcFlag, bufferLength: a.bufferLength, frameLength: a.frameLength, frameHeaderLength: 14, frame: new SegOff(0x9000, a.offset), protType: 0, pktType: 0 }, block, 0);
          return 0;
        },
      };
      const link = new UndiLink(port, { maxIsrCallsPerPoll: 32 });
      link.open();
      for (let k = 0; k < 5; k++) {
        const before = i;
        link.poll(k, (f) => expect(f.length).toBeLessThanOrEqual(1514));
        expect(i - before).toBeLessThanOrEqual(32);
      }
    }), { numRuns: 300 });
  });

  it("iPXE-style ISR (START says OURS whenever interrupts are on): an idle poll costs START + PROCESS, frames arrive", () => {
    const fw = new SimPxeFirmware({ isrStyle: "ipxe" });
    const link = new UndiLink(fw);
    link.open();
    for (let i = 0; i < 3; i++) {
      const before = fw.calls.length;
      expect(link.poll(i, () => {})).toBe(0);
      expect(fw.calls.length - before).toBe(2);
    }
    const f = frameTo(MAC, 300);
    fw.inject(f);
    const got = collect(link);
    expect(got.length).toBe(1);
    expect(bytesEqual(got[0], f)).toBe(true);
  });

  it("a NIC without interrupts (IRQ 0, iPXE: START never OURS): auto mode polls with PROCESS alone", () => {
    const fw = new SimPxeFirmware({ isrStyle: "ipxe", irq: 0 });
    const link = new UndiLink(fw);
    link.open();
    fw.inject(frameTo(MAC, 100));
    expect(collect(link).length).toBe(1);
    const fw2 = new SimPxeFirmware({ isrStyle: "ipxe", irq: 0 });
    const strict = new UndiLink(fw2, { isrStart: "always" });
    strict.open();
    fw2.inject(frameTo(MAC, 100));
    expect(strict.poll(0, () => {})).toBe(0);
    expect(fw2.pending).toBe(1);
  });
});
