import { onesSumTs } from "@pxe/core";
import { describe, expect, test } from "vitest";
import { hasNbpHost, nbpHost, nbpPlatform, nbpPxeCallPort, parseE820, NbpHostMissingError, type NbpHost } from "@pxe/nbp";

/** A host over a plain array, standing in for pxehttp.0's C platform. */
function fakeHost(): NbpHost & { calls: Array<[number, number[]]>; mem: Uint8Array } {
  const mem = new Uint8Array(0x110000);
  let low = 0x8000;
  const calls: Array<[number, number[]]> = [];
  const h = {
    calls,
    mem,
    pxe: { entry: "!PXE" as const, bangPxe: 0x9cba0, pxenv: 0x9cc00 },
    pxeCall(op: number, block: Uint8Array) {
      calls.push([op, [...block]]);
      block[0] = 0x55;
      return 1;
    },
    memRead: (a: number, n: number) => mem.slice(a, a + n),
    memReadInto: (a: number, d: Uint8Array, o: number, n: number) => d.set(mem.subarray(a, a + n), o),
    memWrite: (a: number, d: Uint8Array, o = 0, n = d.length - o) => mem.set(d.subarray(o, o + n), a),
    allocLow: (n: number) => {
      const p = low;
      low += (n + 15) & ~15;
      return p;
    },
    allocHigh: () => 0x100000,
    now: () => 1234.5,
    write: () => {},
    readKey: () => -1,
    e820: () => new Uint8Array(0),
    onesSum: (d: Uint8Array, s: number, e: number, i: number) => onesSumTs(d, s, e, i) + 0,
    reboot: (): never => {
      throw new Error("reboot");
    },
    poweroff: (): never => {
      throw new Error("poweroff");
    },
  };
  return h;
}

describe("@pxe/nbp adapters", () => {
  test("PxeCallPort passes blocks, memory and allocations through", () => {
    const h = fakeHost();
    const port = nbpPxeCallPort(h);
    const block = new Uint8Array([1, 2, 3]);
    expect(port.call(0x74, block)).toBe(1);
    expect(h.calls).toEqual([[0x74, [1, 2, 3]]]);
    expect(block[0]).toBe(0x55); // copied back
    port.write(0x500, new Uint8Array([9, 8, 7]));
    expect(Array.from(port.read(0x500, 3))).toEqual([9, 8, 7]);
    expect(port.allocLow(20)).toBe(0x8000);
    expect(port.allocLow(1)).toBe(0x8020);
  });

  test("Platform: clock, console, accelerator, seeded random bytes", () => {
    const h = fakeHost();
    const p = nbpPlatform(h, { seed: 42 });
    expect(p.now()).toBe(1234.5);
    const d = Uint8Array.from({ length: 100 }, (_, i) => i * 3);
    expect(p.accel?.onesSum?.(d, 1, 99, 7)).toBe(onesSumTs(d, 1, 99, 7));
    const a = new Uint8Array(13);
    const b = new Uint8Array(13);
    p.randomBytes(a);
    nbpPlatform(h, { seed: 42 }).randomBytes(b);
    expect(a).toEqual(b);
    expect(a.some((x) => x !== 0)).toBe(true);
  });

  test("parseE820 decodes 24-byte entries with 64-bit fields", () => {
    const raw = new Uint8Array(48);
    const dv = new DataView(raw.buffer);
    dv.setUint32(8, 0x9fc00, true);
    dv.setUint32(16, 1, true);
    dv.setUint32(24, 0, true);
    dv.setUint32(28, 1, true); // base 4 GiB
    dv.setUint32(32, 0x40000000, true);
    dv.setUint32(40, 2, true);
    dv.setUint32(44, 1, true);
    expect(parseE820(raw)).toEqual([
      { base: 0, length: 0x9fc00, type: 1, attributes: 0 },
      { base: 2 ** 32, length: 0x40000000, type: 2, attributes: 1 },
    ]);
  });

  test("nbpHost() outside pxehttp.0 throws a typed error", () => {
    expect(hasNbpHost()).toBe(false);
    expect(() => nbpHost()).toThrow(NbpHostMissingError);
  });
});
