import { describe, expect, it } from "vitest";
import { download, upload } from "@pxe/tcp/testing";

/**
 * Deterministic netsim throughput table (virtual time, seeded loss): a
 * measurement kept as a snapshot so changes in behaviour show up in review.
 * It asserts only that the transfers complete byte-exact, never a speed.
 */
describe("netsim throughput (virtual time)", () => {
  it("2 MiB over 100 Mbit/s, 1 ms one-way, seeded loss 0/1/5%", () => {
    const size = 2 << 20;
    const data = new Uint8Array(size).map((_, i) => (i * 131) & 0xff);
    const rows: string[] = ["direction  loss  MB/s    ms      segs-out  segs-in  peer-rexmit  our-rexmit  ooo-held"];
    for (const dir of ["down", "up"] as const) {
      for (const loss of [0, 0.01, 0.05]) {
        const o = { data, seed: 2026, channel: { loss, latencyMs: 1, bytesPerMs: 12_500 } };
        const r = dir === "down" ? download(o) : upload(o);
        expect(r.done).toBe(true);
        expect(r.received.length).toBe(size);
        expect(r.received.every((b, i) => b === data[i])).toBe(true);
        const mbps = size / 1e6 / (r.elapsedMs / 1000);
        rows.push(
          [
            dir.padEnd(9),
            `${(loss * 100).toFixed(0)}%`.padStart(4),
            mbps.toFixed(2).padStart(6),
            r.elapsedMs.toFixed(0).padStart(7),
            String(r.conn.stats.segmentsSent).padStart(9),
            String(r.conn.stats.segmentsReceived).padStart(8),
            String(r.peer.retransmissions).padStart(12),
            String(r.conn.stats.retransmissions).padStart(11),
            String(r.conn.stats.outOfOrder).padStart(9),
          ].join("  "),
        );
      }
    }
    expect("\n" + rows.join("\n") + "\n").toMatchSnapshot();
  });
});
