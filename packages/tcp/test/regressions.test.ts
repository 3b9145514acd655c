import { describe, expect, it } from "vitest";
import { Assembler, ByteRing, TcpStateError, seq } from "@pxe/tcp";
import { download, established } from "@pxe/tcp/testing";

/** Regression tests named after what broke. */
describe("regressions", () => {
  it("ring keeps out-of-order bytes when its readable part drains to empty (head was reset to 0)", () => {
    const r = new ByteRing(16);
    const a = new Assembler();
    r.push(Uint8Array.of(1, 2, 3, 4, 5));
    r.writeAt(3, Uint8Array.of(40, 50), 0, 2); // held out of order, beyond the readable bytes
    a.add(3, 5);
    r.read(new Uint8Array(5)); // the application drains the readable part
    r.writeAt(0, Uint8Array.of(10, 20, 30), 0, 3);
    r.commit(a.advance(3));
    expect(Array.from(r.view(0, r.length))).toEqual([10, 20, 30, 40, 50]);
  });
  it("the same bug end to end: a lossy download with the reader draining the buffer stays byte-exact", () => {
    const data = new Uint8Array(200_000).map((_, i) => i * 7);
    const r = download({ data, seed: 1, channel: { loss: 0.05 } });
    expect(r.received.every((b, i) => b === data[i]) && r.received.length === data.length).toBe(true);
  });
  it("send after close throws TcpStateError naming the peer and state", () => {
    const h = established();
    h.conn.close();
    expect(() => h.conn.send(Uint8Array.of(1))).toThrow(TcpStateError);
    expect(() => h.conn.send(Uint8Array.of(1))).toThrow(/10\.0\.2\.2:80 in state FIN-WAIT-1/);
  });
  it("data segments leave room for SACK options within the peer's MSS", () => {
    const h = established({ peerMss: 1000 });
    h.data(1, new Uint8Array(100), seq.add(h.peerSeq, 5000)); // now we hold out-of-order data
    const out = h.send(2, new Uint8Array(5000));
    for (const s of out) {
      const optLen = s.header.options.reduce((n, o) => n + (o.kind === "sack" ? 2 + 8 * o.blocks.length : o.kind === "timestamps" ? 10 : o.kind === "nop" ? 1 : 0), 0);
      expect(s.payload.length + optLen).toBeLessThanOrEqual(1000 + (h.conn.timestampsEnabled ? 12 : 0));
    }
  });
});
