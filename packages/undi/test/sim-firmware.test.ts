import { describe, expect, it } from "vitest";
import { bytesEqual, encode } from "@pxe/core";
import {
  pxeCall, pxeCallRaw, PxeCallError, PxeStatus, SegOff, tbdCodec, statusBlock, undiTransmitBlock, getCachedInfoBlock, undiIsrBlock,
  parseCachedDhcp, unloadPxe, SimLink, UndiLink, undiIfaceInfo, undiInformation, undiNicType, undiStatistics, cachedDhcp, bangPxeCodec, pxenvCodec, readStructure, tftpOpenBlock, tftpReadBlock,
  PXENV_UNDI_TRANSMIT, PXENV_UNDI_CLOSE, PXENV_UNDI_SHUTDOWN, PXENV_STOP_UNDI, PXENV_STOP_BASE, PXENV_GET_CACHED_INFO,
  PXENV_UNDI_ISR, PXENV_UNDI_FORCE_INTERRUPT, PXENV_TFTP_OPEN, PXENV_TFTP_READ, PXENV_TFTP_CLOSE, PXENV_UDP_OPEN, Proto, XmitFlag,
} from "@pxe/undi";
import { SimPxeFirmware, defaultDhcpAck, FirmwareWire } from "@pxe/undi/testing";

const isr = (fw: SimPxeFirmware, funcFlag: number) =>
  pxeCall(fw, PXENV_UNDI_ISR, undiIsrBlock, { status: 0, funcFlag, bufferLength: 0, frameLength: 0, frameHeaderLength: 0, frame: SegOff.NULL, protType: 0, pktType: 0 });

describe("SimPxeFirmware behaves like PXE 2.1 firmware", () => {
  it("places valid PXENV+ and !PXE structures in memory", () => {
    const fw = new SimPxeFirmware();
    const pxenv = readStructure(fw, fw.pxenvAt, pxenvCodec, 0x2c);
    expect(pxenv.version).toBe(0x0201);
    expect(pxenv.pxePtr!.linear()).toBe(fw.bangPxeAt.linear());
    expect(readStructure(fw, fw.bangPxeAt, bangPxeCodec, 0x58).segDescCnt).toBe(7);
  });

  it("transmit builds the media header for P_IP/P_ARP and gathers TBD data blocks", () => {
    const fw = new SimPxeFirmware();
    const at = fw.allocLow(512);
    const dest = Uint8Array.of(2, 1, 2, 3, 4, 5);
    fw.write(at, dest);
    fw.write(at + 16, Uint8Array.from({ length: 20 }, (_, i) => i));
    fw.write(at + 64, Uint8Array.from({ length: 30 }, (_, i) => 100 + i));
    fw.write(at + 128, encode(tbdCodec, {
      immedLength: 20, xmit: SegOff.fromLinear(at + 16),
      dataBlocks: [{ ptrType: 1, reserved: 0, dataLen: 30, dataPtr: SegOff.fromLinear(at + 64) }],
    }));
    pxeCall(fw, PXENV_UNDI_TRANSMIT, undiTransmitBlock, { status: 0, protocol: Proto.ARP, xmitFlag: XmitFlag.DESTADDR, destAddr: SegOff.fromLinear(at), tbd: SegOff.fromLinear(at + 128), reserved0: 0, reserved1: 0 });
    const f = fw.transmitted[0];
    expect(f.length).toBe(14 + 50);
    expect(Array.from(f.subarray(0, 6))).toEqual(Array.from(dest));
    expect(Array.from(f.subarray(12, 14))).toEqual([0x08, 0x06]);
    expect(f[14 + 20]).toBe(100);
    pxeCall(fw, PXENV_UNDI_TRANSMIT, undiTransmitBlock, { status: 0, protocol: Proto.IP, xmitFlag: XmitFlag.BROADCAST, destAddr: SegOff.NULL, tbd: SegOff.fromLinear(at + 128), reserved0: 0, reserved1: 0 });
    expect(Array.from(fw.transmitted[1].subarray(0, 6))).toEqual([255, 255, 255, 255, 255, 255]);
    expect(() => pxeCall(fw, PXENV_UNDI_TRANSMIT, undiTransmitBlock, { status: 0, protocol: 9, xmitFlag: 0, destAddr: SegOff.NULL, tbd: SegOff.fromLinear(at + 128), reserved0: 0, reserved1: 0 })).toThrow(/UNDI_INVALID_PARAMETER/);
  });

  it("follows the UNDI states: calls in the wrong state answer UNDI_INVALID_STATE", () => {
    const fw = new SimPxeFirmware();
    pxeCall(fw, PXENV_UNDI_CLOSE, statusBlock, { status: 0 });
    expect(() => pxeCall(fw, PXENV_UNDI_CLOSE, statusBlock, { status: 0 })).toThrow(/UNDI_INVALID_STATE/);
    expect(() => isr(fw, 1)).toThrow(PxeCallError);
    expect(() => pxeCall(fw, PXENV_STOP_UNDI, statusBlock, { status: 0 })).toThrow(/KEEP_UNDI/);
    pxeCall(fw, PXENV_UNDI_SHUTDOWN, statusBlock, { status: 0 });
    pxeCall(fw, PXENV_STOP_BASE, statusBlock, { status: 0 });
    pxeCall(fw, PXENV_STOP_UNDI, statusBlock, { status: 0 });
    expect(fw.state).toBe("stopped");
    expect(pxeCallRaw(fw, PXENV_UDP_OPEN, statusBlock, { status: 0 }).block.status).toBe(PxeStatus.UNSUPPORTED);
  });

  it("ISR: NOT_OURS when idle, OURS after FORCE_INTERRUPT, DONE when nothing to process", () => {
    const fw = new SimPxeFirmware();
    expect(isr(fw, 1).funcFlag).toBe(1);
    pxeCall(fw, PXENV_UNDI_FORCE_INTERRUPT, statusBlock, { status: 0 });
    expect(isr(fw, 1).funcFlag).toBe(0);
    expect(isr(fw, 2).funcFlag).toBe(0);
  });

  it("GET_CACHED_INFO returns a pointer when BufferSize is 0, copies otherwise", () => {
    const mac = Uint8Array.of(2, 2, 2, 2, 2, 2);
    const discover = defaultDhcpAck(mac, "discover");
    const fw = new SimPxeFirmware({ mac, cached: { 1: discover } });
    const p = pxeCall(fw, PXENV_GET_CACHED_INFO, getCachedInfoBlock, { status: 0, packetType: 1, bufferSize: 0, buffer: SegOff.NULL, bufferLimit: 0 });
    expect(p.bufferSize).toBe(1260);
    expect(bytesEqual(fw.read(p.buffer.linear(), discover.length), discover)).toBe(true);
    expect(parseCachedDhcp(fw.read(p.buffer.linear(), p.bufferSize)).bootFile).toBe("discover");
    const at = fw.allocLow(2048);
    const c = pxeCall(fw, PXENV_GET_CACHED_INFO, getCachedInfoBlock, { status: 0, packetType: 2, bufferSize: 2048, buffer: SegOff.fromLinear(at), bufferLimit: 0 });
    expect(parseCachedDhcp(fw.read(at, c.bufferSize)).bootFile).toBe("pxehttp.0");
    expect(() => pxeCall(fw, PXENV_GET_CACHED_INFO, getCachedInfoBlock, { status: 0, packetType: 9, bufferSize: 0, buffer: SegOff.NULL, bufferLimit: 0 })).toThrow(/UNSUPPORTED/);
  });

  it("TFTP OPEN/READ/CLOSE hands out blksize packets, the last one short", () => {
    const data = Uint8Array.from({ length: 1200 }, (_, i) => i & 255);
    const fw = new SimPxeFirmware({ files: { f: data } });
    pxeCall(fw, PXENV_TFTP_OPEN, tftpOpenBlock, { status: 0, serverIpAddress: "10.0.2.2", gatewayIpAddress: "0.0.0.0", fileName: "f", tftpPort: 69, packetSize: 512 });
    const at = fw.allocLow(512);
    const got: number[] = [];
    for (;;) {
      const r = pxeCall(fw, PXENV_TFTP_READ, tftpReadBlock, { status: 0, packetNumber: 0, bufferSize: 0, buffer: SegOff.fromLinear(at) });
      got.push(...fw.read(at, r.bufferSize));
      if (r.bufferSize < 512) break;
    }
    expect(bytesEqual(Uint8Array.from(got), data)).toBe(true);
    pxeCall(fw, PXENV_TFTP_CLOSE, statusBlock, { status: 0 });
    expect(() => pxeCall(fw, PXENV_TFTP_CLOSE, statusBlock, { status: 0 })).toThrow(/TFTP_CLOSED/);
  });
});

describe("unloadPxe", () => {
  it("runs UNDI_SHUTDOWN, UNLOAD_STACK, STOP_UNDI and reports each step", () => {
    const fw = new SimPxeFirmware();
    const steps = unloadPxe(fw);
    expect(steps.map((s) => s.opcodeName)).toEqual(["PXENV_UNDI_SHUTDOWN", "PXENV_UNLOAD_STACK", "PXENV_STOP_UNDI"]);
    expect(steps.every((s) => s.ok)).toBe(true);
    expect(fw.state).toBe("stopped");
    expect(fw.baseRunning).toBe(false);
  });

  it("reports a refusing step without throwing", () => {
    const fw = new SimPxeFirmware();
    fw.failNext(PXENV_UNDI_SHUTDOWN, PxeStatus.UNDI_INVALID_STATE);
    const steps = unloadPxe(fw);
    expect(steps[0].ok).toBe(false);
    expect(steps[0].statusName).toBe("PXENV_STATUS_UNDI_INVALID_STATE");
    expect(steps[1].statusName).toBe("PXENV_STATUS_KEEP_UNDI");
    expect(steps[2].ok).toBe(false);
  });
});

describe("FirmwareWire", () => {
  it("an UndiLink on the simulated firmware talks to the far end of a lossless SimLink", () => {
    const link = new SimLink();
    const fw = new SimPxeFirmware({ pieceSize: 100 });
    const wire = new FirmwareWire(fw, link.a);
    const undi = new UndiLink(fw);
    undi.open();
    link.b.open();
    const out = new Uint8Array(300).fill(7);
    out.set(link.b.info.mac);
    out.set(undi.info.mac, 6);
    undi.transmit(out);
    const atB: Uint8Array[] = [];
    link.b.poll(0, (f) => atB.push(f.slice()));
    expect(atB.length).toBe(1);
    expect(bytesEqual(atB[0], out)).toBe(true);
    const back = out.slice();
    back.set(undi.info.mac);
    back.set(link.b.info.mac, 6);
    link.b.transmit(back);
    expect(wire.poll(1)).toBe(1);
    const got: Uint8Array[] = [];
    undi.poll(1, (f) => got.push(f.slice()));
    expect(got.length).toBe(1);
    expect(bytesEqual(got[0], back)).toBe(true);
    const stranger = back.slice();
    stranger.set([2, 9, 9, 9, 9, 9]);
    link.b.transmit(stranger);
    wire.poll(2);
    expect(wire.refused).toBe(1);
  });
});

describe("PXE facts without an UndiLink", () => {
  it("reads information, NIC type, interface info, statistics and the cached DHCP reply", () => {
    const fw = new SimPxeFirmware({ irq: 5 });
    expect(undiInformation(fw).intNumber).toBe(5);
    expect(undiNicType(fw).nicType).toBe(2);
    expect(undiIfaceInfo(fw).ifaceType).toBe("DIX+802.3");
    expect(undiStatistics(fw).xmtGoodFrames).toBe(0);
    expect(cachedDhcp(fw).subnetMask).toBe("255.255.255.0");
  });
});
