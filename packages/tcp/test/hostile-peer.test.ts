// Issue 15, items 8-10: TCP that always ends. An orphaned connection facing a
// zero window forever is given up (8); the first FIN fixes the end of the
// stream (9); challenge ACKs are rate-limited (10, RFC 5961 §7). Hand-made
// peer segments, explicit time.
import { describe, expect, it } from "vitest";
import { TcpFlags as FL, TcpState, TcpTimeoutError } from "@pxe/tcp";
import { established } from "@pxe/tcp/testing";

const bytes = (n: number, v = 1) => new Uint8Array(n).fill(v);
const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe("orphaned connection facing a zero window (issue 15.8)", () => {
  it("released with data queued and the window shut forever: given up after the orphan probes, reason recorded, buffers freed", () => {
    const h = established({ peerWindow: 0 });
    h.send(0, bytes(5000));
    h.conn.release(0); // the application is gone: FIN-WAIT-1 behind 5000 unsent bytes
    expect(h.conn.state).toBe(TcpState.FIN_WAIT_1);
    let t = 0;
    for (let i = 0; i < 10_000 && h.conn.state !== TcpState.CLOSED; i++) {
      const r = h.advance();
      if (!r) break;
      t = r[0];
      h.ack(t, undefined, 0); // every probe answered: still no room
    }
    expect(h.conn.state).toBe(TcpState.CLOSED);
    expect(h.conn.error).toBeInstanceOf(TcpTimeoutError);
    expect((h.conn.error as TcpTimeoutError).phase).toBe("orphan");
    expect(h.conn.stats.windowProbes).toBeLessThanOrEqual(9);
    expect(t).toBeLessThan(10 * 60_000); // minutes, not hours
    expect(h.conn.nextDeadline()).toBeUndefined();
  });
  it("a connection the application still holds keeps probing (its owner decides)", () => {
    const h = established({ peerWindow: 0 });
    h.send(0, bytes(5000));
    h.conn.close();
    for (let i = 0; i < 30; i++) {
      const r = h.advance();
      if (!r) break;
      h.ack(r[0], undefined, 0);
    }
    expect(h.conn.state).toBe(TcpState.FIN_WAIT_1);
    expect(h.conn.stats.windowProbes).toBe(30);
  });
});

describe("the first FIN fixes the end of the stream (issue 15.9)", () => {
  it("a stray FIN ahead, then data past it and the real FIN: bytes after the first FIN are not delivered, end-of-stream is", () => {
    const h = established();
    const base = h.peerSeq;
    h.input(1, { flags: FL.ACK | FL.FIN, seq: base + 5 }); // FIN at byte 5, out of order
    h.data(2, text("hello, world"), base); // 12 bytes from byte 0
    h.input(3, { flags: FL.ACK | FL.FIN, seq: base + 12 }); // a second, conflicting FIN
    expect(String.fromCharCode(...h.recvAll())).toBe("hello");
    expect(h.conn.eof).toBe(true);
    expect(h.conn.state).toBe(TcpState.CLOSE_WAIT);
  });
  it("data held out of order beyond a FIN never becomes readable", () => {
    const h = established();
    const base = h.peerSeq;
    h.data(1, text("XYZ"), base + 10); // held out of order at 10..12
    h.input(2, { flags: FL.ACK | FL.FIN, seq: base + 4 }); // FIN at byte 4
    h.data(3, text("abcdefghij"), base); // fills 0..9, reaching the held bytes
    expect(String.fromCharCode(...h.recvAll())).toBe("abcd");
    expect(h.conn.eof).toBe(true);
  });
});

describe("challenge ACKs are rate-limited (issue 15.10, RFC 5961 §7)", () => {
  it("10,000 in-window RSTs in one second get at most the limit of challenge ACKs; the connection survives", () => {
    const h = established();
    const base = h.peerSeq;
    let acks = 0;
    for (let i = 0; i < 10_000; i++) acks += h.input(100 + i / 10, { flags: FL.RST | FL.ACK, seq: base + 1 + (i % 1000) }).length;
    expect(acks).toBeGreaterThan(0);
    expect(acks).toBeLessThanOrEqual(10);
    expect(h.conn.state).toBe(TcpState.ESTABLISHED);
    expect(h.conn.stats.challengeAcksSuppressed).toBe(10_000 - acks);
  });
  it("the limit is per second: challenge ACKs resume in the next second; an exact RST still resets", () => {
    const h = established({ config: { challengeAckLimit: 2 } });
    const base = h.peerSeq;
    const n = (t: number) => h.input(t, { flags: FL.RST | FL.ACK, seq: base + 7 }).length;
    expect([n(10), n(11), n(12), n(1011), n(1012), n(1013)]).toEqual([1, 1, 0, 1, 1, 0]);
    h.rst(1100);
    expect(h.conn.state).toBe(TcpState.CLOSED);
  });
  it("SYNs in a synchronised state are challenge ACKs too, under the same limit", () => {
    const h = established();
    let acks = 0;
    for (let i = 0; i < 1000; i++) acks += h.input(50, { flags: FL.SYN, seq: h.peerSeq + 3 }).length;
    expect(acks).toBeLessThanOrEqual(10);
  });
});
