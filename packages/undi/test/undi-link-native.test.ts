// UndiLink on a port with the native receive loop (PxeCallPort.isrReceive):
// records handed over in order, counters and statistics taken from the
// loop's state, flags from the options, failures typed.
import { describe, expect, it } from "vitest";
import { UndiLink, LinkError, PxeCallError, PxeStatus, IsrLoopFlag, IsrLoopState as S, type PxeCallPort } from "@pxe/undi";
import { SimPxeFirmware } from "@pxe/undi/testing";

type Loop = NonNullable<PxeCallPort["isrReceive"]>;

/** The simulated firmware's port with `loop` as its native receive loop. */
function portWith(fw: SimPxeFirmware, loop: Loop): PxeCallPort {
  return { call: (o, b) => fw.call(o, b), read: (a, n) => fw.read(a, n), write: (a, d) => fw.write(a, d), allocLow: (n) => fw.allocLow(n), isrReceive: loop };
}

function record(out: Uint8Array, at: number, bytes: number[]): number {
  out[at] = bytes.length & 255;
  out[at + 1] = bytes.length >>> 8;
  out.set(bytes, at + 2);
  return at + 2 + bytes.length;
}

describe("UndiLink with a native receive loop", () => {
  it("hands the records over in order and takes counters and statistics from the loop state", () => {
    const calls: Array<{ maxFrames: number; maxCalls: number; flags: number; maxFrame: number }> = [];
    const loop: Loop = (out, maxFrames, maxCalls, flags, maxFrame, st) => {
      calls.push({ maxFrames, maxCalls, flags, maxFrame });
      record(out, record(out, 0, [1, 2, 3]), [4, 5]);
      st[S.frames] += 5;
      st[S.merged] += 3;
      st[S.isrCalls] += 9;
      st[S.txCompletions] += 1;
      st[S.oversize] += 1;
      return 2;
    };
    const link = new UndiLink(portWith(new SimPxeFirmware({ irq: 11 }), loop), { maxIsrCallsPerPoll: 40 });
    link.open();
    const got: number[][] = [];
    expect(link.poll(0, (f) => got.push(Array.from(f)), 6)).toBe(2);
    expect(got).toEqual([[1, 2, 3], [4, 5]]);
    expect(calls).toEqual([{ maxFrames: 6, maxCalls: 40, flags: IsrLoopFlag.START | IsrLoopFlag.COALESCE | IsrLoopFlag.RESET, maxFrame: 1514 }]);
    expect(link.counters).toMatchObject({ isrCalls: 9, merged: 3, txCompletions: 1, oversize: 1 });
    const s = link.statistics();
    expect(s.rcvGoodFrames).toBe(5);
    expect(s.dropped).toBe(1);
  });

  it("asks for neither START nor coalescing when the options say so", () => {
    let flags = -1;
    const link = new UndiLink(portWith(new SimPxeFirmware({ irq: 11 }), (_o, _m, _c, f) => ((flags = f), 0)), { isrStart: "never", coalesce: false });
    link.open();
    link.poll(0, () => {});
    expect(link.poll(0, () => {})).toBe(0);
    expect(flags).toBe(0);
  });

  it("the first poll after each open() tells the loop to drop a half-reassembled frame (RESET), later ones do not", () => {
    const flags: number[] = [];
    const link = new UndiLink(portWith(new SimPxeFirmware({ irq: 11 }), (_o, _m, _c, f) => (flags.push(f & IsrLoopFlag.RESET), 0)));
    link.open();
    link.poll(0, () => {});
    link.poll(0, () => {});
    link.close();
    link.open();
    link.poll(0, () => {});
    expect(flags).toEqual([IsrLoopFlag.RESET, 0, IsrLoopFlag.RESET]);
  });

  it("a failed ISR call in the loop is a PxeCallError with its status; open() starts a fresh cycle", () => {
    let processing = -1;
    const loop: Loop = (_o, _m, _c, _f, _x, st) => {
      processing = st[S.processing];
      st[S.processing] = 1;
      st[S.status] = PxeStatus.UNDI_INVALID_STATE;
      st[S.exit] = 1;
      return -1;
    };
    const link = new UndiLink(portWith(new SimPxeFirmware(), loop));
    link.open();
    const e = (() => { try { link.poll(0, () => {}); } catch (x) { return x; } })();
    expect(e).toBeInstanceOf(PxeCallError);
    expect((e as PxeCallError).status).toBe(PxeStatus.UNDI_INVALID_STATE);
    expect(processing).toBe(0);
    link.close();
    link.open();
    expect(() => link.poll(0, () => {})).toThrow(PxeCallError);
    expect(processing).toBe(0);
  });

  it("a record that claims more bytes than the buffer holds is a LinkError, not a read past the end", () => {
    const link = new UndiLink(portWith(new SimPxeFirmware(), (out) => {
      out.fill(0xff, 0, 2); // 65535 bytes, then a second record of 65535 past the end
      out.fill(0xff, 65537, 65539);
      return 2;
    }));
    link.open();
    let frames = 0;
    expect(() => link.poll(0, () => frames++)).toThrow(LinkError);
    expect(frames).toBe(1);
  });
});
