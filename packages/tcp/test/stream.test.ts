import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seq } from "@pxe/tcp";
import { download, established, upload } from "@pxe/tcp/testing";

/** Heavier runs on demand: PXE_TCP_HEAVY=1 npx vitest run --project unit packages/tcp */
const HEAVY = typeof process !== "undefined" && !!process.env.PXE_TCP_HEAVY;
const runs = (n: number) => ({ numRuns: HEAVY ? n * 20 : n, interruptAfterTimeLimit: HEAVY ? 600_000 : 8_000 });

const nearWrap = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0xffffffff - 40_000, max: 0xffffffff }));

function firstDiff(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

describe("receive path: any stream cut, reordered, duplicated and partly lost arrives byte-exact", () => {
  it("through the state machine directly (ISNs anywhere, also just below 2^32; small buffers wrap the ring)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 30_000 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3000 })), { maxLength: 10 }),
        fc.array(fc.nat(), { minLength: 80, maxLength: 80 }),
        nearWrap,
        fc.constantFrom(4096, 16384, 1 << 20),
        (data, cutsRaw, extra, rnd, irs, buf) => {
          const h = established({ irs, config: { recvBufferSize: buf } });
          const base = h.peerSeq;
          const cuts = [...new Set(cutsRaw.map((c) => c % data.length))].sort((a, b) => a - b);
          const bounds = [0, ...cuts.filter((c) => c > 0), data.length];
          const segs: Array<[number, number]> = [];
          for (let i = 0; i + 1 < bounds.length; i++) if (bounds[i] < bounds[i + 1]) segs.push([bounds[i], bounds[i + 1]]);
          for (const [a, l] of extra) {
            const s = a % data.length;
            segs.push([s, Math.min(data.length, s + l)]); // overlapping extras
          }
          // First pass: shuffled, some lost, some duplicated.
          const keyed = segs.map((s, i) => ({ s, k: rnd[i % rnd.length] ^ (i * 2654435761) }));
          keyed.sort((x, y) => x.k - y.k);
          const got: Uint8Array[] = [];
          let t = 1;
          keyed.forEach(({ s, k }, i) => {
            if (k % 5 === 0) return; // lost
            h.data(t++, data.subarray(s[0], s[1]), seq.add(base, s[0]));
            if (k % 7 === 0) h.data(t++, data.subarray(s[0], s[1]), seq.add(base, s[0])); // duplicate
            if (rnd[i % rnd.length] % 3 === 0) got.push(h.recvAll());
          });
          // The peer retransmits what is not acknowledged, in order, until done.
          for (let round = 0; round < 1000 && seq.sub(h.conn.recvNext, base) < data.length; round++) {
            const nxt = seq.sub(h.conn.recvNext, base);
            const s = segs.filter(([a, b]) => b > nxt).sort((x, y) => x[0] - y[0])[0] ?? [nxt, data.length];
            const from = Math.min(s[0], nxt);
            h.data(t++, data.subarray(from, s[1]), seq.add(base, from));
            got.push(h.recvAll());
          }
          got.push(h.recvAll());
          const all = new Uint8Array(got.reduce((n, g) => n + g.length, 0));
          let p = 0;
          for (const g of got) {
            all.set(g, p);
            p += g.length;
          }
          expect(firstDiff(all, data)).toBe(-1);
          expect(h.conn.heldRanges()).toEqual([]);
        },
      ),
      runs(60),
    );
  });
});

describe("through the impairing netsim against the reference peer", () => {
  const channel = fc.record({
    loss: fc.constantFrom(0, 0.01, 0.05, 0.15),
    duplicate: fc.constantFrom(0, 0.02, 0.1),
    reorder: fc.constantFrom(0, 0.02, 0.1),
    corrupt: fc.constantFrom(0, 0.01, 0.05),
    latencyMs: fc.constantFrom(0.5, 1, 10),
    jitterMs: fc.constantFrom(0, 2),
    bytesPerMs: fc.constantFrom(1250, 12500),
  });
  it("download arrives byte-exact (any seeds, impairments, ISNs across the wrap)", () => {
    fc.assert(
      fc.property(fc.integer(), channel, fc.integer({ min: 0, max: 150_000 }), nearWrap, nearWrap, fc.constantFrom(undefined, 1500, 1 << 20), (seed, ch, size, iss, peerIss, readChunk) => {
        const data = new Uint8Array(size).map((_, i) => (i * 13 + (i >> 8)) & 0xff);
        const r = download({ data, seed, channel: ch, iss, peer: { iss: peerIss }, readChunk });
        expect(r.conn.error).toBeUndefined();
        expect(firstDiff(r.received, data)).toBe(-1);
        expect(r.done).toBe(true);
      }),
      runs(25),
    );
  });
  it("a slow reader with a small buffer: zero windows, window updates and the peer's probes, still byte-exact", () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(0, 0.02, 0.1), fc.integer({ min: 1, max: 60_000 }), fc.constantFrom(2048, 8192), fc.integer({ min: 1, max: 3000 }), (seed, loss, size, buf, perTick) => {
        const data = new Uint8Array(size).map((_, i) => (i * 5 + (i >> 7)) & 0xff);
        const r = download({ data, seed, channel: { loss, reorder: loss, latencyMs: 1 }, config: { recvBufferSize: buf }, readPerTick: perTick });
        expect(r.conn.error).toBeUndefined();
        expect(firstDiff(r.received, data)).toBe(-1);
        expect(r.done).toBe(true);
      }),
      runs(20),
    );
  });
  it("upload arrives byte-exact (our sending direction, same impairments)", () => {
    fc.assert(
      fc.property(fc.integer(), channel, fc.integer({ min: 0, max: 150_000 }), nearWrap, (seed, ch, size, iss) => {
        const data = new Uint8Array(size).map((_, i) => (i * 7 + (i >> 9)) & 0xff);
        const r = upload({ data, seed, channel: ch, iss, config: { sendBufferSize: 32 << 10 } });
        expect(r.conn.error).toBeUndefined();
        expect(firstDiff(r.received, data)).toBe(-1);
        expect(r.done).toBe(true);
      }),
      runs(25),
    );
  });
  it("sequence numbers cross 2^32 mid-stream in both directions", () => {
    const data = new Uint8Array(200_000).map((_, i) => i & 0xff);
    const d = download({ data, seed: 3, channel: { loss: 0.02, reorder: 0.02 }, peer: { iss: 0xffffffff - 50_000 } });
    expect(firstDiff(d.received, data)).toBe(-1);
    const u = upload({ data, seed: 4, channel: { loss: 0.02, reorder: 0.02 }, iss: 0xffffffff - 50_000 });
    expect(firstDiff(u.received, data)).toBe(-1);
    expect(d.done && u.done).toBe(true);
  });
});
