import { describe, expect, it } from "vitest";
import { download } from "@pxe/tcp/testing";

function firstDiff(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
describe("smoke", () => {
  for (const [name, ch] of [["loss", { loss: 0.05 }], ["reorder", { reorder: 0.05 }], ["dup", { duplicate: 0.05 }], ["corrupt", { corrupt: 0.05 }]] as const) {
    it("download " + name, () => {
      const data = new Uint8Array(200_000).map((_, i) => i * 7);
      const r = download({ data, seed: 1, channel: ch });
      console.log(name, r.done, r.received.length, firstDiff(r.received, data), r.elapsedMs, r.conn.state, r.peer.state, JSON.stringify(r.conn.stats), JSON.stringify(r.sim.stats));
      expect(firstDiff(r.received, data)).toBe(-1);
    });
  }
});
