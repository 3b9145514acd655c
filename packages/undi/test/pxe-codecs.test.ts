import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { encode, WireError } from "@pxe/core";
import { roundTrip, rejectsOnlyTyped } from "@pxe/core/testing";
import {
  bangPxeCodec, pxenvCodec, tbdCodec, bootpCodec, statusBlock, undiTransmitBlock, undiIsrBlock, udpWriteBlock, stopBaseBlock,
  stopUndiBlock, udpCloseBlock, tftpCloseBlock, undiStartupBlock, undiCloseBlock, mcastList, SegOff, statusName, opcodeName,
  PxeStatus, PXENV_UNDI_TRANSMIT, PXENV_GET_CACHED_INFO, PXENV_STOP_UNDI, byteSum, ISR_FIELD, TRANSMIT_FIELD,
} from "@pxe/undi";
import { arbBangPxe, arbPxenv, arbBootp, arbSegOff, pxeBlockCases } from "@pxe/undi/testing";

const blocks = pxeBlockCases();

describe("parameter blocks", () => {
  for (const [name, codec, arb, size] of blocks) {
    it(`${name} round-trips (also at a nonzero offset) and is ${size} bytes`, () => {
      roundTrip(codec, arb, { numRuns: 100 });
      fc.assert(fc.property(arb, (v) => codec.encodingLength(v) === size), { numRuns: 20 });
    });
    it(`${name} rejects malformed input only with WireError`, () => {
      rejectsOnlyTyped((d) => codec.decode(d, 0, d.length), { numRuns: 200, maxLength: size + 4 });
    });
  }

  it("ISR_FIELD and TRANSMIT_FIELD offsets agree with the codecs", () => {
    const isr = encode(undiIsrBlock, { status: 0x0102, funcFlag: 0x0304, bufferLength: 0x0506, frameLength: 0x0708, frameHeaderLength: 0x090a, frame: new SegOff(0x0d0e, 0x0b0c), protType: 0x0f, pktType: 0x10 });
    const w = (at: number) => isr[at] | (isr[at + 1] << 8);
    expect([w(ISR_FIELD.status), w(ISR_FIELD.funcFlag), w(ISR_FIELD.bufferLength), w(ISR_FIELD.frameLength), w(ISR_FIELD.frameHeaderLength), w(ISR_FIELD.frameOffset), w(ISR_FIELD.frameSegment), isr[ISR_FIELD.protType], isr[ISR_FIELD.pktType], isr.length])
      .toEqual([0x0102, 0x0304, 0x0506, 0x0708, 0x090a, 0x0b0c, 0x0d0e, 0x0f, 0x10, ISR_FIELD.size]);
    const tx = encode(undiTransmitBlock, { status: 0x0102, protocol: 3, xmitFlag: 4, destAddr: new SegOff(8, 7), tbd: new SegOff(10, 9), reserved0: 0, reserved1: 0 });
    expect([tx[TRANSMIT_FIELD.protocol], tx[TRANSMIT_FIELD.xmitFlag], tx[TRANSMIT_FIELD.destAddr], tx[TRANSMIT_FIELD.tbd], tx.length]).toEqual([3, 4, 7, 9, TRANSMIT_FIELD.size]);
  });

  it("status-only aliases are the same codec", () => {
    for (const c of [stopBaseBlock, stopUndiBlock, udpCloseBlock, tftpCloseBlock, undiStartupBlock, undiCloseBlock]) expect(c).toBe(statusBlock);
  });

  it("a short block is a WireError naming the structure", () => {
    expect(() => undiIsrBlock.decode(new Uint8Array(15), 0, 15)).toThrow(WireError);
    expect(() => undiIsrBlock.decode(new Uint8Array(15), 0, 15)).toThrow(/PXENV_UNDI_ISR/);
  });

  it("TBD and multicast lists reject counts above 8", () => {
    const t = new Uint8Array(72);
    t[6] = 9;
    expect(() => tbdCodec.decode(t, 0, 72)).toThrow(WireError);
    const m = new Uint8Array(130);
    m[0] = 9;
    expect(() => mcastList.decode(m, 0, 130)).toThrow(WireError);
  });

  it("golden bytes: UNDI_TRANSMIT is little-endian, SEGOFF offset first", () => {
    const b = encode(undiTransmitBlock, { status: 0x6b, protocol: 0, xmitFlag: 1, destAddr: new SegOff(0x1234, 0x5678), tbd: new SegOff(0x9abc, 0x0010), reserved0: 0, reserved1: 0 });
    expect(Array.from(b)).toEqual([0x6b, 0, 0, 1, 0x78, 0x56, 0x34, 0x12, 0x10, 0, 0xbc, 0x9a, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("golden bytes: UDP ports are network order, IPs as on the wire", () => {
    const b = encode(udpWriteBlock, { status: 0, ip: "10.0.2.2", gw: "0.0.0.0", srcPort: 0x1234, dstPort: 69, bufferSize: 5, buffer: new SegOff(1, 2) });
    expect(Array.from(b.subarray(2, 14))).toEqual([10, 0, 2, 2, 0, 0, 0, 0, 0x12, 0x34, 0, 69]);
  });
});

describe("PXENV+ and !PXE", () => {
  it("PXENV+ round-trips with a valid checksum", () => {
    roundTrip(pxenvCodec, arbPxenv(), { numRuns: 200 });
    fc.assert(fc.property(arbPxenv(), (v) => {
      const b = encode(pxenvCodec, v);
      return byteSum(b, 0, b.length) === 0 && b[8] === b.length;
    }));
  });

  it("!PXE round-trips with a valid checksum and length 0x58", () => {
    roundTrip(bangPxeCodec, arbBangPxe(), { numRuns: 200 });
    fc.assert(fc.property(arbBangPxe(), (v) => {
      const b = encode(bangPxeCodec, v);
      return byteSum(b, 0, b.length) === 0 && b[4] === 0x58 && b.length === 0x58;
    }));
  });

  it("rejects bad signature, bad checksum and bad length with WireError", () => {
    fc.assert(fc.property(arbBangPxe(), fc.integer({ min: 0, max: 0x57 }), fc.integer({ min: 1, max: 255 }), (v, at, x) => {
      const b = encode(bangPxeCodec, v);
      b[at] ^= x;
      expect(() => bangPxeCodec.decode(b, 0, b.length)).toThrow(WireError);
    }), { numRuns: 300 });
    fc.assert(fc.property(arbPxenv(), fc.integer({ min: 1, max: 255 }), (v, x) => {
      const b = encode(pxenvCodec, v);
      const at = (x * 7) % b.length;
      b[at] ^= x;
      expect(() => pxenvCodec.decode(b, 0, b.length)).toThrow(WireError);
    }), { numRuns: 300 });
  });

  it("arbitrary bytes decode or throw WireError only", () => {
    rejectsOnlyTyped((d) => pxenvCodec.decode(d, 0, d.length), { maxLength: 64 });
    rejectsOnlyTyped((d) => bangPxeCodec.decode(d, 0, d.length), { maxLength: 100 });
    // Also with a valid signature prefix, so the length and checksum checks are exercised.
    rejectsOnlyTyped((d) => pxenvCodec.decode(Uint8Array.from([0x50, 0x58, 0x45, 0x4e, 0x56, 0x2b, ...d]), 0, d.length + 6), { maxLength: 64 });
    rejectsOnlyTyped((d) => bangPxeCodec.decode(Uint8Array.from([0x21, 0x50, 0x58, 0x45, ...d]), 0, d.length + 4), { maxLength: 100 });
  });

  it("a PXENV+ without PXEPtr (pre-2.1, 0x28 bytes) decodes without pxePtr", () => {
    fc.assert(fc.property(arbPxenv(), (v) => {
      const { pxePtr: _p, ...old } = v;
      const b = encode(pxenvCodec, old);
      expect(b.length).toBe(0x28);
      expect(pxenvCodec.decode(b, 0, b.length).value.pxePtr).toBeUndefined();
    }), { numRuns: 20 });
  });
});

describe("BOOTP/DHCP packet codec", () => {
  it("round-trips", () => roundTrip(bootpCodec, arbBootp(), { numRuns: 200 }));
  it("rejects malformed input only with WireError", () => {
    rejectsOnlyTyped((d) => bootpCodec.decode(d, 0, d.length), { maxLength: 400 });
    const fixed = new Uint8Array(240);
    fixed.set([99, 130, 83, 99], 236);
    rejectsOnlyTyped((d) => bootpCodec.decode(Uint8Array.from([...fixed, ...d]), 0, 240 + d.length), { maxLength: 100 });
  });
});

describe("SegOff, opcodes and status names", () => {
  it("linear() is segment*16+offset and fromLinear is canonical", () => {
    fc.assert(fc.property(arbSegOff(), (p) => p.linear() === p.segment * 16 + p.offset));
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xfffff }), (a) => {
      const p = SegOff.fromLinear(a);
      return p.linear() === a && p.offset < 16;
    }));
    expect(new SegOff(0x9f00, 0x40).toString()).toBe("9f00:0040");
    expect(() => SegOff.fromLinear(0x100000)).toThrow(RangeError);
  });

  it("names opcodes and statuses", () => {
    expect(opcodeName(PXENV_UNDI_TRANSMIT)).toBe("PXENV_UNDI_TRANSMIT");
    expect(opcodeName(PXENV_GET_CACHED_INFO)).toBe("PXENV_GET_CACHED_INFO");
    expect(opcodeName(PXENV_STOP_UNDI)).toBe("PXENV_STOP_UNDI");
    expect(opcodeName(0x99)).toBe("PXENV_0x0099");
    expect(statusName(PxeStatus.UNDI_TRANSMIT_ERROR)).toBe("PXENV_STATUS_UNDI_TRANSMIT_ERROR");
    expect(statusName(0)).toBe("PXENV_STATUS_SUCCESS");
    expect(statusName(0x6a)).toBe("PXENV_STATUS_UNDI_INVALID_STATE");
    expect(statusName(0x4242)).toBe("PXENV_STATUS_0x4242");
  });
});
