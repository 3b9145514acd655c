// @pxe/http's Sha256 with a native block-compression accelerator (what
// pxehttp.0 offers as nbp.sha256Blocks) gives the same digests as pure TS.
// The fake accelerator runs the TS compression block by block on the
// Uint32Array state, so this checks the plumbing: block boundaries, the
// partial-block buffer, the state view, and the default set by useAccelerators.
import type { Accelerators } from "@pxe/core";
import { Sha256, sha256CompressTs as compressTs, sha256Hex } from "@pxe/http";
import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import { nbpPlatform } from "../src/adapter.js";
import type { NbpHost } from "../src/host-api.js";

function fakeAccel(): Accelerators & { calls: number; blocks: number } {
  const w = new Int32Array(64);
  const a = {
    calls: 0,
    blocks: 0,
    sha256Blocks(state: Uint32Array, data: Uint8Array, start: number, end: number): void {
      expect(state.length).toBe(8);
      expect((end - start) % 64).toBe(0);
      expect(end).toBeLessThanOrEqual(data.length);
      a.calls++;
      for (let o = start; o < end; o += 64, a.blocks++) compressTs(state, w, data, o);
    },
  };
  return a;
}

function hex(d: Uint8Array): string {
  return Array.from(d, (b) => (b < 16 ? "0" : "") + b.toString(16)).join("");
}

afterEach(() => Sha256.useAccelerators(undefined));

describe("Sha256 with a sha256Blocks accelerator", () => {
  test("FIPS 180-4 examples: 'abc' and the two-block message", () => {
    const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
    const accel = fakeAccel();
    expect(new Sha256(accel).update(enc("abc")).hex()).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(new Sha256(accel).update(enc("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).hex()).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
    expect(accel.blocks).toBe(1 + 2);
  });

  test("any data cut into any chunks: same digest as pure TS, and the accelerator did the blocks", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.array(fc.nat(200), { maxLength: 8 }), (data, cuts) => {
        const accel = fakeAccel();
        const h = new Sha256(accel);
        let o = 0;
        for (const c of cuts) {
          const n = Math.min(c, data.length - o);
          h.update(data.subarray(o, o + n));
          o += n;
        }
        h.update(data.subarray(o));
        expect(h.hex()).toBe(hex(new Sha256().update(data).digest()));
        // Every block, padding included, went through the accelerator.
        expect(accel.blocks).toBe(Math.floor((data.length + 9 + 63) / 64));
      }),
      { numRuns: 200 },
    );
  });

  test("useAccelerators sets the default for new hashes (sha256Hex too); undefined restores pure TS", () => {
    const accel = fakeAccel();
    const data = new Uint8Array(1000).map((_, i) => (i * 7) & 255);
    const want = sha256Hex(data);
    Sha256.useAccelerators(accel);
    expect(sha256Hex(data)).toBe(want);
    expect(accel.calls).toBeGreaterThan(0);
    Sha256.useAccelerators(undefined);
    const before = accel.calls;
    expect(sha256Hex(data)).toBe(want);
    expect(accel.calls).toBe(before);
  });

  test("nbpPlatform passes the host's sha256Blocks through (and omits it when the host lacks it)", () => {
    const state: unknown[] = [];
    const base = { now: () => 1, write: () => {}, onesSum: () => 0 } as unknown as NbpHost;
    expect(nbpPlatform(base).accel?.sha256Blocks).toBeUndefined();
    const host = { ...base, sha256Blocks: (s: Uint32Array, d: Uint8Array, a: number, b: number) => void state.push([s.length, d.length, a, b]) } as NbpHost;
    nbpPlatform(host).accel!.sha256Blocks!(new Uint32Array(8), new Uint8Array(128), 0, 128);
    expect(state).toEqual([[8, 128, 0, 128]]);
  });
});
