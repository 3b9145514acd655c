import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesEqual } from "@pxe/core";
import { fragmentSlices, Reassembler, type ReassemblyResult } from "@pxe/ip";

interface Frag {
  off: number;
  more: boolean;
  data: Uint8Array;
}

/** A payload and its fragments at random 8-byte-aligned cut points. */
const arbFragmented = fc
  .uint8Array({ minLength: 1, maxLength: 3000 })
  .chain((payload) =>
    fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, Math.floor((payload.length - 1) / 8)) }), { maxLength: 12 }).map((cuts) => {
      const points = [0, ...cuts.map((c) => c * 8).filter((c) => c < payload.length).sort((a, b) => a - b), payload.length];
      const frags: Frag[] = [];
      for (let i = 0; i + 1 < points.length; i++) {
        if (points[i] === points[i + 1]) continue;
        frags.push({ off: points[i], more: i + 2 < points.length, data: payload.slice(points[i], points[i + 1]) });
      }
      return { payload, frags };
    }),
  )
  .filter((x) => x.frags.length >= 2);

const key = { src: 1, dst: 2, protocol: 17, id: 7 };

describe("fragment reassembly", () => {
  it("yields the datagram for any order and duplication of its fragments", () => {
    fc.assert(
      fc.property(arbFragmented, fc.array(fc.nat()), fc.infiniteStream(fc.nat()), ({ payload, frags }, dups, rnd) => {
        const seq = [...frags, ...dups.map((d) => frags[d % frags.length])];
        const it = rnd[Symbol.iterator]();
        for (let i = seq.length - 1; i > 0; i--) {
          const j = it.next().value % (i + 1);
          [seq[i], seq[j]] = [seq[j], seq[i]];
        }
        const r = new Reassembler();
        const seen = new Set<number>();
        let done = false;
        for (const f of seq) {
          const res = r.add(key, f.off, f.more, f.data, 0);
          if (done) continue; // later duplicates start a new (incomplete) reassembly
          seen.add(f.off);
          if (seen.size === frags.length) {
            expect(res.kind).toBe("complete");
            expect(bytesEqual((res as { payload: Uint8Array }).payload, payload)).toBe(true);
            done = true;
          } else expect(res.kind).toBe("held");
        }
        expect(done).toBe(true);
      }),
    );
  });

  it("rejects overlaps that disagree, whatever the order", () => {
    fc.assert(
      fc.property(arbFragmented, fc.nat(), fc.nat(), fc.nat(), fc.boolean(), ({ payload, frags }, which, byte, pos, shift) => {
        const f = frags[which % frags.length];
        // A conflicting fragment: same bytes (or shifted by 8 into the next range) with one byte flipped in the overlap.
        const off = shift && f.off >= 8 ? f.off - 8 : f.off;
        const len = Math.min(f.data.length + (f.off - off), payload.length - off);
        const data = payload.slice(off, off + len);
        const lo = f.off - off, hi = Math.min(len, lo + f.data.length);
        data[lo + (byte % (hi - lo))] ^= 0xff;
        const bad: Frag = { off, more: off + len < payload.length, data };
        if (bad.more && data.length % 8 !== 0) return; // not a valid fragment shape
        const seq = frags.slice();
        seq.splice(pos % (seq.length + 1), 0, bad);
        const r = new Reassembler();
        const results: ReassemblyResult[] = seq.map((x) => r.add(key, x.off, x.more, x.data, 0));
        // A completion can only be the true payload, or the forged one if the forgery came first and the true fragment later.
        const forged = payload.slice();
        forged.set(bad.data, bad.off);
        for (const res of results) if (res.kind === "complete") expect(bytesEqual(res.payload, payload) || bytesEqual(res.payload, forged)).toBe(true);
        const iBad = seq.indexOf(bad), iGood = seq.indexOf(f);
        const completeAt = results.findIndex((x) => x.kind === "complete");
        if (completeAt === -1 || completeAt > Math.max(iBad, iGood)) {
          expect(results[Math.max(iBad, iGood)]).toEqual({ kind: "dropped", reason: "fragmentOverlap" });
        }
      }),
    );
  });

  it("agreeing overlaps are fine", () => {
    const p = Uint8Array.from({ length: 40 }, (_, i) => i);
    const r = new Reassembler();
    expect(r.add(key, 0, true, p.slice(0, 24), 0).kind).toBe("held");
    expect(r.add(key, 8, true, p.slice(8, 32), 0).kind).toBe("held");
    const res = r.add(key, 16, false, p.slice(16), 0);
    expect(res.kind === "complete" && bytesEqual(res.payload, p)).toBe(true);
  });

  it("discards incomplete datagrams at the timeout and frees their memory", () => {
    const r = new Reassembler({ timeoutMs: 1000 });
    r.add(key, 0, true, new Uint8Array(8), 0);
    expect(r.stats()).toMatchObject({ inProgress: 1, bytesHeld: 8 });
    expect(r.poll(999)).toBe(0);
    expect(r.poll(1000)).toBe(1);
    expect(r.stats()).toMatchObject({ inProgress: 0, bytesHeld: 0, timedOut: 1 });
    expect(r.nextDeadline()).toBeUndefined();
  });

  it("bounds memory: evicts the oldest datagram for room, refuses what can never fit, 64 KiB datagrams", () => {
    const r = new Reassembler({ maxConcurrent: 2, maxBytes: 4096 });
    expect(r.add({ ...key, id: 1 }, 0, true, new Uint8Array(8), 0).kind).toBe("held");
    expect(r.add({ ...key, id: 2 }, 0, true, new Uint8Array(8), 0).kind).toBe("held");
    expect(r.add({ ...key, id: 3 }, 0, true, new Uint8Array(8), 0).kind).toBe("held");
    expect(r.stats()).toMatchObject({ inProgress: 2, evicted: 1, bytesHeld: 16 });
    expect(r.add({ ...key, id: 1 }, 8, false, new Uint8Array(8), 0).kind).toBe("held"); // id 1 was evicted: starts anew, evicting id 2
    expect(r.add({ ...key, id: 3 }, 8, true, new Uint8Array(4088), 0).kind).toBe("held"); // evicts id 1 for bytes
    expect(r.stats()).toMatchObject({ inProgress: 1, evicted: 3, bytesHeld: 4096 });
    expect(r.add({ ...key, id: 3 }, 4096, true, new Uint8Array(16), 0)).toEqual({ kind: "dropped", reason: "reassemblyFull" });
    expect(r.stats()).toMatchObject({ inProgress: 0, bytesHeld: 0 });
    expect(r.add({ ...key, id: 2 }, 65512, false, new Uint8Array(8), 0)).toEqual({ kind: "dropped", reason: "fragmentTooBig" });
    expect(r.add({ ...key, id: 2 }, 8, true, new Uint8Array(5), 0)).toEqual({ kind: "dropped", reason: "malformed" });
  });

  it("memory never exceeds its bounds under any fragment stream", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 200 }), fc.boolean(), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 5000 }))), (frags) => {
        const r = new Reassembler({ maxConcurrent: 4, maxBytes: 2000, timeoutMs: 1000 });
        let now = 0;
        for (const [id, off8, more, len8, dt] of frags) {
          now += dt;
          r.poll(now);
          r.add({ ...key, id }, off8 * 8, more, new Uint8Array(more ? len8 * 8 : len8), now);
          const s = r.stats();
          expect(s.inProgress).toBeLessThanOrEqual(4);
          expect(s.bytesHeld).toBeLessThanOrEqual(2000);
          expect(s.bytesHeld).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it("regression: a last fragment ending inside a held piece is discarded, not a RangeError (fast-check seed 2017707961)", () => {
    const r = new Reassembler();
    expect(r.add(key, 0, true, new Uint8Array(8), 0)).toEqual({ kind: "held" });
    expect(r.add(key, 0, false, new Uint8Array(1), 0)).toEqual({ kind: "dropped", reason: "fragmentOverlap" });
    expect(r.stats().bytesHeld).toBe(0);
    // the stack keeps working: the next datagram with that id reassembles
    r.add(key, 0, true, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 0);
    const done = r.add(key, 8, false, Uint8Array.of(9), 0);
    expect(done.kind === "complete" && Array.from(done.payload)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("inconsistent last fragments are rejected", () => {
    const r = new Reassembler();
    r.add(key, 8, false, new Uint8Array(8), 0);
    expect(r.add(key, 16, false, new Uint8Array(8), 0)).toEqual({ kind: "dropped", reason: "fragmentOverlap" });
  });
});

describe("fragmentSlices", () => {
  it("covers the payload with 8-byte-aligned fragments that fit the MTU", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65515 }), fc.integer({ min: 68, max: 9000 }), (len, mtu) => {
        const s = fragmentSlices(len, mtu, 20);
        let at = 0;
        for (const x of s) {
          expect(x.offset).toBe(at);
          expect(x.length + 20).toBeLessThanOrEqual(mtu);
          if (x.more) expect(x.length % 8).toBe(0);
          at += x.length;
        }
        expect(at).toBe(len);
        expect(s[s.length - 1].more).toBe(false);
      }),
    );
  });
});
