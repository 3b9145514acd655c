// The PXE facts the C platform and @pxe/undi share, checked equal:
// platform/pxe_api.h (opcodes, status codes, FuncFlags, structure offsets
// and sizes, named as iPXE names them) and the undi_rx.c flags and state
// words of platform/nbp.h, printed by fixtures/pxe-api.c (built for the
// host, gcc -m32), against @pxe/undi's constants and codecs. An offset is
// where the TypeScript codec writes a field: the first byte that changes
// when only that field changes.
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Codec } from "@pxe/core";
import {
  bangPxeCodec, BOOTP_FIXED, bootpCodec, CachedPacket, getCachedInfoBlock, ISR_FIELD, IsrFlag, IsrLoopFlag, IsrLoopState,
  ISR_LOOP_STATE_WORDS, PXENV_GET_CACHED_INFO, PXENV_TFTP_CLOSE, PXENV_TFTP_OPEN, PXENV_TFTP_READ, PXENV_UNDI_ISR, pxenvCodec,
  PxeStatus, SegOff, tftpCloseBlock, tftpOpenBlock, tftpReadBlock, undiIsrBlock,
} from "@pxe/undi";
import { arbBangPxe, arbBootp, arbPxenv } from "@pxe/undi/testing";
import { hostProgram } from "./host-c.js";

const exe = hostProgram("pxe-api.c", null, []);
const c = (): Record<string, number> => JSON.parse(execFileSync(exe, { encoding: "utf8" })) as Record<string, number>;

/** Where `codec` puts the field that differs between `base` and `changed` (every byte of it differs); `checksum`: a byte that changes with anything. */
function offsetOf<T>(codec: Codec<T>, base: T, changed: T, checksum = -1): number {
  const a = new Uint8Array(codec.encodingLength(base));
  const b = new Uint8Array(codec.encodingLength(changed));
  codec.encodeInto(base, a, 0);
  codec.encodeInto(changed, b, 0);
  const i = a.findIndex((x, k) => x !== b[k] && k !== checksum);
  if (i < 0) throw new Error("the change moved no byte");
  return i;
}
const other = (s: SegOff): SegOff => new SegOff(s.segment ^ 0xffff, s.offset ^ 0xffff);
const sample = <T>(arb: fc.Arbitrary<T>): T => fc.sample(arb, { numRuns: 1, seed: 7 })[0];

describe("platform/pxe_api.h = @pxe/undi", () => {
  test("opcodes, exit and status codes, cached packet types, UNDI_ISR FuncFlags", () => {
    const h = c();
    expect([h.PXENV_UNDI_ISR, h.PXENV_TFTP_OPEN, h.PXENV_TFTP_CLOSE, h.PXENV_TFTP_READ, h.PXENV_GET_CACHED_INFO]).toEqual([
      PXENV_UNDI_ISR, PXENV_TFTP_OPEN, PXENV_TFTP_CLOSE, PXENV_TFTP_READ, PXENV_GET_CACHED_INFO,
    ]);
    expect([h.PXENV_EXIT_SUCCESS, h.PXENV_STATUS_SUCCESS, h.PXENV_STATUS_TFTP_FILE_NOT_FOUND]).toEqual([0, PxeStatus.SUCCESS, PxeStatus.TFTP_FILE_NOT_FOUND]);
    expect([h.PXENV_PACKET_TYPE_DHCP_DISCOVER, h.PXENV_PACKET_TYPE_DHCP_ACK, h.PXENV_PACKET_TYPE_CACHED_REPLY]).toEqual([
      CachedPacket.DHCP_DISCOVER, CachedPacket.DHCP_ACK, CachedPacket.CACHED_REPLY,
    ]);
    for (const k of Object.keys(IsrFlag) as (keyof typeof IsrFlag)[]) expect([k, h[`PXENV_UNDI_ISR_${k}`]]).toEqual([k, IsrFlag[k]]);
  });

  test("PXENV+ RMEntry and !PXE EntryPointSP (past their checksum bytes, 9 and 5)", () => {
    const h = c();
    const p = sample(arbPxenv());
    expect(h["s_PXENV.RMEntry"]).toBe(offsetOf(pxenvCodec, p, { ...p, rmEntry: other(p.rmEntry) }, 9));
    const b = sample(arbBangPxe());
    expect(h["s_PXE.EntryPointSP"]).toBe(offsetOf(bangPxeCodec, b, { ...b, entryPointSP: other(b.entryPointSP) }, 5));
  });

  test("GET_CACHED_INFO block and the BOOTP packet it points at", () => {
    const h = c();
    const g = { status: 0, packetType: 0, bufferSize: 0, buffer: new SegOff(0, 0), bufferLimit: 0 };
    expect(h["s_PXENV_GET_CACHED_INFO.PacketType"]).toBe(offsetOf(getCachedInfoBlock, g, { ...g, packetType: 0x0101 }));
    expect(h["s_PXENV_GET_CACHED_INFO.BufferSize"]).toBe(offsetOf(getCachedInfoBlock, g, { ...g, bufferSize: 0x0101 }));
    expect(h["s_PXENV_GET_CACHED_INFO.Buffer"]).toBe(offsetOf(getCachedInfoBlock, g, { ...g, buffer: other(g.buffer) }));
    expect(h["s_PXENV_GET_CACHED_INFO.BufferLimit"]).toBe(offsetOf(getCachedInfoBlock, g, { ...g, bufferLimit: 0x0101 }));
    expect(h["sizeof s_PXENV_GET_CACHED_INFO"]).toBe(getCachedInfoBlock.size);
    const p = { ...sample(arbBootp()), options: [] };
    const flip = (a: Uint8Array): Uint8Array => a.map((x) => x ^ 0xff);
    expect(h["bootph.ident"]).toBe(offsetOf(bootpCodec, p, { ...p, xid: (p.xid ^ 0x01010101) >>> 0 }));
    expect(h["bootph.sip"]).toBe(offsetOf(bootpCodec, p, { ...p, siaddr: p.siaddr.split(".").map((x) => String(Number(x) ^ 1)).join(".") }));
    expect(h["bootph.CAddr"]).toBe(offsetOf(bootpCodec, p, { ...p, chaddr: flip(p.chaddr) }));
    expect(h["bootph.Sname"]).toBe(offsetOf(bootpCodec, p, { ...p, sname: flip(p.sname) }));
    expect(h["bootph.bootfile"]).toBe(offsetOf(bootpCodec, p, { ...p, file: flip(p.file) }));
    expect(h["sizeof bootph"]).toBe(BOOTP_FIXED);
  });

  test("TFTP_OPEN, TFTP_READ and TFTP_CLOSE blocks", () => {
    const h = c();
    const o = { status: 0, serverIpAddress: "0.0.0.0", gatewayIpAddress: "0.0.0.0", fileName: "", tftpPort: 0, packetSize: 0 };
    expect(h["s_PXENV_TFTP_OPEN.ServerIPAddress"]).toBe(offsetOf(tftpOpenBlock, o, { ...o, serverIpAddress: "1.1.1.1" }));
    expect(h["s_PXENV_TFTP_OPEN.FileName"]).toBe(offsetOf(tftpOpenBlock, o, { ...o, fileName: "x" }));
    expect(h["s_PXENV_TFTP_OPEN.TFTPPort"]).toBe(offsetOf(tftpOpenBlock, o, { ...o, tftpPort: 0x0101 }));
    expect(h["s_PXENV_TFTP_OPEN.PacketSize"]).toBe(offsetOf(tftpOpenBlock, o, { ...o, packetSize: 0x0101 }));
    expect(h["sizeof s_PXENV_TFTP_OPEN"]).toBe(tftpOpenBlock.size);
    const r = { status: 0, packetNumber: 0, bufferSize: 0, buffer: new SegOff(0, 0) };
    expect(h["s_PXENV_TFTP_READ.PacketNumber"]).toBe(offsetOf(tftpReadBlock, r, { ...r, packetNumber: 0x0101 }));
    expect(h["s_PXENV_TFTP_READ.BufferSize"]).toBe(offsetOf(tftpReadBlock, r, { ...r, bufferSize: 0x0101 }));
    expect(h["s_PXENV_TFTP_READ.Buffer"]).toBe(offsetOf(tftpReadBlock, r, { ...r, buffer: other(r.buffer) }));
    expect(h["sizeof s_PXENV_TFTP_READ"]).toBe(tftpReadBlock.size);
    expect(h["sizeof s_PXENV_TFTP_CLOSE"]).toBe(tftpCloseBlock.size);
  });

  test("UNDI_ISR block = ISR_FIELD and the codec", () => {
    const h = c();
    expect({
      funcFlag: h["s_PXENV_UNDI_ISR.FuncFlag"], bufferLength: h["s_PXENV_UNDI_ISR.BufferLength"], frameLength: h["s_PXENV_UNDI_ISR.FrameLength"],
      frameHeaderLength: h["s_PXENV_UNDI_ISR.FrameHeaderLength"], frameOffset: h["s_PXENV_UNDI_ISR.Frame"], protType: h["s_PXENV_UNDI_ISR.ProtType"],
      pktType: h["s_PXENV_UNDI_ISR.PktType"], size: h["sizeof s_PXENV_UNDI_ISR"],
    }).toEqual({
      funcFlag: ISR_FIELD.funcFlag, bufferLength: ISR_FIELD.bufferLength, frameLength: ISR_FIELD.frameLength, frameHeaderLength: ISR_FIELD.frameHeaderLength,
      frameOffset: ISR_FIELD.frameOffset, protType: ISR_FIELD.protType, pktType: ISR_FIELD.pktType, size: undiIsrBlock.size,
    });
  });
});

describe("platform/nbp.h undi_rx flags and state words = @pxe/undi IsrLoopFlag / IsrLoopState", () => {
  test("equal, name by name", () => {
    const h = c();
    expect([h.F_START, h.F_COALESCE, h.F_RESET]).toEqual([IsrLoopFlag.START, IsrLoopFlag.COALESCE, IsrLoopFlag.RESET]);
    const S = IsrLoopState;
    expect([h.ST_PROCESSING, h.ST_ISR_CALLS, h.ST_BUSY, h.ST_TX_DONE, h.ST_OVERSIZE, h.ST_PROTO_ERR, h.ST_CALL_LIMIT, h.ST_FRAMES, h.ST_MERGED, h.ST_STATUS, h.ST_EXIT])
      .toEqual([S.processing, S.isrCalls, S.busy, S.txCompletions, S.oversize, S.protocolErrors, S.callLimitHits, S.frames, S.merged, S.status, S.exit]);
    expect(h.UNDI_RX_STATE_WORDS).toBe(ISR_LOOP_STATE_WORDS);
  });
});
