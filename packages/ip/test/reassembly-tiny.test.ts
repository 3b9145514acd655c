// Issue 15, item 12: IPv4 reassembly of thousands of tiny fragments stays near
// linear (8188 eight-byte fragments cost 1.5-2.8 s before), with the same
// memory bounds. The work is counted (held pieces looked at), not timed.
import { describe, expect, it } from "vitest";
import { Reassembler } from "@pxe/ip";

const KEY = { src: 0x0a000001, dst: 0x0a000002, protocol: 17, id: 7 };
const N = 8188; // 8188 x 8 = 65504 bytes, the largest payload

function fragments(order: "forward" | "reverse" | "shuffled") {
  const payload = new Uint8Array(N * 8).map((_, i) => (i * 13) & 255);
  const idx = Array.from({ length: N }, (_, i) => i);
  if (order === "reverse") idx.reverse();
  if (order === "shuffled") {
    let x = 12345;
    for (let i = N - 1; i > 0; i--) {
      x = (x * 1103515245 + 12345) >>> 0;
      const j = x % (i + 1);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
  }
  return { payload, idx };
}

describe("reassembly of 8188 eight-byte fragments (issue 15.12)", () => {
  for (const order of ["forward", "reverse", "shuffled"] as const) {
    it(`${order}: complete and byte-exact, with n log n work, not quadratic`, () => {
      const { payload, idx } = fragments(order);
      const r = new Reassembler({ maxBytes: 256 * 1024 });
      let done: Uint8Array | undefined;
      const t0 = Date.now();
      for (const i of idx) {
        const res = r.add(KEY, i * 8, i !== N - 1, payload.subarray(i * 8, i * 8 + 8), 0);
        if (res.kind === "complete") done = res.payload;
        else if (res.kind !== "held") throw new Error(`fragment ${i}: ${res.reason}`);
      }
      const ms = Date.now() - t0;
      expect(done).toEqual(payload);
      const s = r.stats();
      console.log(`reassembly ${order}: ${N} fragments in ${ms} ms, ${s.piecesVisited} pieces visited`);
      expect(s.piecesVisited).toBeLessThan(16 * N); // n log2 n; the quadratic scan was n^2 / 2 = 33 million
      expect(s.bytesHeld).toBe(0);
    });
  }
  it("duplicates and overlaps of tiny fragments are still checked byte by byte", () => {
    const r = new Reassembler();
    const a = new Uint8Array(64).fill(1);
    for (let i = 0; i < 8; i++) expect(r.add(KEY, i * 8, true, a.subarray(0, 8), 0).kind).toBe("held");
    expect(r.add(KEY, 8, true, a.subarray(0, 16), 0).kind).toBe("held"); // repeats agree
    expect(r.add(KEY, 16, true, new Uint8Array(8).fill(2), 0)).toEqual({ kind: "dropped", reason: "fragmentOverlap" });
  });
});
