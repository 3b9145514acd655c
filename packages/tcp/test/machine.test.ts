import { describe, expect, it } from "vitest";
import { seededPlatform } from "@pxe/core";
import { TcpConnection, TcpFlags as F, TcpRefusedError, TcpResetError, TcpTimeoutError, seq, windowScaleFor, type OutSegment } from "@pxe/tcp";
import { CLIENT_ADDR, SERVER_ADDR, TcpHarness, closeWait, closing, established, finWait1, finWait2, lastAck, synSent, timeWait } from "@pxe/tcp/testing";

const bytes = (n: number, salt = 0) => new Uint8Array(n).map((_, i) => (i * 31 + salt) & 0xff);
const dataSegs = (out: OutSegment[]) => out.filter((s) => s.payload.length > 0);
const sackOf = (s: OutSegment) => s.header.options.find((o) => o.kind === "sack") as { blocks: { left: number; right: number }[] } | undefined;

describe("handshake", () => {
  it("SYN retries give up with TcpTimeoutError at the configured limit", () => {
    const h = synSent({ config: { synRetries: 3, initialRtoMs: 1000 } });
    const synTimes = [0];
    for (let step = 0; step < 10; step++) {
      const r = h.advance();
      if (!r) break;
      if (r[1].some((s) => s.header.flags & F.SYN)) synTimes.push(r[0]);
    }
    expect(synTimes).toEqual([0, 1000, 3000, 7000]);
    expect(h.conn.state).toBe("CLOSED");
    expect(h.conn.error).toBeInstanceOf(TcpTimeoutError);
    expect(h.conn.error?.message).toBe("connection to 10.0.2.2:80 timed out");
    expect((h.conn.error as TcpTimeoutError).retries).toBe(3);
    expect(() => h.conn.send(bytes(1))).toThrow(TcpTimeoutError);
  });
  it("RST in SYN-SENT -> refused (only when it acknowledges our SYN)", () => {
    const h = synSent();
    const iss = h.conn.initialSendSeq;
    h.input(5, { flags: F.RST | F.ACK, seq: 0, ack: seq.add(iss, 7) });
    expect(h.conn.state).toBe("SYN-SENT");
    h.input(6, { flags: F.RST | F.ACK, seq: 0, ack: seq.add(iss, 1) });
    expect(h.conn.state).toBe("CLOSED");
    expect(h.conn.error).toBeInstanceOf(TcpRefusedError);
    expect(h.conn.error?.message).toBe("connection to 10.0.2.2:80 refused");
  });
  it("the SYN offers MSS, SACK, timestamps and the window scale for a 1 MiB buffer", () => {
    const h = synSent();
    const syn = h.sent[0].header;
    expect(syn.flags).toBe(F.SYN);
    expect(syn.options).toContainEqual({ kind: "mss", mss: 1460 });
    expect(syn.options).toContainEqual({ kind: "windowScale", shift: 5 });
    expect(syn.options).toContainEqual({ kind: "sackPermitted" });
    expect(syn.options.some((o) => o.kind === "timestamps")).toBe(true);
    expect(syn.window).toBe(65535);
  });
  it("window scaling: after the handshake the window field is the free buffer >> 5", () => {
    const h = established({ peerWindowScale: 7 });
    const ack = h.sent[h.sent.length - 1].header;
    expect(ack.flags).toBe(F.ACK);
    expect(ack.window).toBe((1 << 20) >> 5);
    expect(h.conn.recvWindowScale).toBe(5);
    h.ack(1, undefined, 100);
    expect(h.conn.sendWindow).toBe(100 << 7);
  });
  it("without the peer's window-scale option neither side scales", () => {
    const h = established({ peerWindowScale: undefined });
    expect(h.conn.recvWindowScale).toBe(0);
    expect(h.sent[h.sent.length - 1].header.window).toBe(65535);
  });
  it("random initial sequence numbers differ across seeds", () => {
    const isns = [1, 2, 3, 4].map((seed) => synSent({ seed }).conn.initialSendSeq);
    expect(new Set(isns).size).toBe(4);
  });
  it("simultaneous open: SYN in SYN-SENT -> SYN-RECEIVED -> ESTABLISHED", () => {
    const h = synSent();
    const iss = h.conn.initialSendSeq;
    const out = h.input(1, { flags: F.SYN, ack: 0, options: [{ kind: "mss", mss: 1400 }] });
    expect(h.conn.state).toBe("SYN-RECEIVED");
    expect(out[0].header.flags).toBe(F.SYN | F.ACK);
    expect(out[0].header.seq).toBe(iss);
    // The peer's SYN+ACK (its SYN again, now acking ours).
    h.input(2, { flags: F.SYN | F.ACK, seq: seq.add(h.peerSeq, -1), ack: seq.add(iss, 1) });
    expect(h.conn.state).toBe("ESTABLISHED");
    expect(h.conn.mss).toBe(1400);
  });
  it("passive open: LISTEN -> SYN-RECEIVED -> ESTABLISHED", () => {
    const h = new TcpHarness();
    h.conn.listen();
    const out = h.input(0, { flags: F.SYN, ack: 0, options: [{ kind: "mss", mss: 1460 }] });
    expect(out[0].header.flags).toBe(F.SYN | F.ACK);
    expect(h.conn.state).toBe("SYN-RECEIVED");
    h.ack(1);
    expect(h.conn.state).toBe("ESTABLISHED");
  });
});

describe("receiving", () => {
  it("delayed ACK: one segment waits 40 ms, a second is ACKed at once", () => {
    const h = established();
    expect(h.data(10, bytes(1000))).toEqual([]);
    expect(h.conn.nextDeadline()).toBe(50);
    const [t, out] = h.advance() ?? [0, []];
    expect(t).toBe(50);
    expect(out[0].header.ack).toBe(h.peerSeq);
    h.data(60, bytes(1000));
    const out2 = h.data(61, bytes(1000));
    expect(out2.length).toBe(1);
    expect(out2[0].header.ack).toBe(h.peerSeq);
    expect(h.recvAll().length).toBe(3000);
  });
  it("SACK blocks reported for held out-of-order data, most recent first", () => {
    const h = established();
    const base = h.peerSeq;
    const out = h.data(1, bytes(500), seq.add(base, 1000));
    expect(out.length).toBe(1);
    expect(out[0].header.ack).toBe(base);
    expect(sackOf(out[0])?.blocks).toEqual([{ left: seq.add(base, 1000), right: seq.add(base, 1500) }]);
    const out2 = h.data(2, bytes(500), seq.add(base, 2000));
    expect(sackOf(out2[0])?.blocks).toEqual([
      { left: seq.add(base, 2000), right: seq.add(base, 2500) },
      { left: seq.add(base, 1000), right: seq.add(base, 1500) },
    ]);
    expect(h.conn.heldRanges().length).toBe(2);
    // Fill the first hole: immediate ACK up to 1500, one block left.
    const out3 = h.data(3, bytes(1000), base);
    expect(out3[0].header.ack).toBe(seq.add(base, 1500));
    expect(sackOf(out3[0])?.blocks).toEqual([{ left: seq.add(base, 2000), right: seq.add(base, 2500) }]);
  });
  it("out-of-order data coalesced by the driver still earns one duplicate ACK per segment (at most 3)", () => {
    const h = established(); // MSS 1460
    const base = h.peerSeq;
    // One segment's worth: one dupack.
    let out = h.data(1, bytes(1460), seq.add(base, 1460));
    expect(out.length).toBe(1);
    // Three segments merged into one (as the native receive loop does): three identical dupacks.
    out = h.data(2, bytes(3 * 1460), seq.add(base, 2 * 1460));
    expect(out.length).toBe(3);
    for (const s of out) {
      expect(s.payload.length).toBe(0);
      expect(s.header.ack).toBe(base);
      expect(sackOf(s)?.blocks[0]).toEqual({ left: seq.add(base, 1460), right: seq.add(base, 5 * 1460) });
    }
    // Eight segments' worth: still only three (enough to start fast retransmit).
    out = h.data(3, bytes(8 * 1460), seq.add(base, 5 * 1460));
    expect(out.length).toBe(3);
    // The hole filled: one ACK for everything.
    out = h.data(4, bytes(1460), base);
    expect(out.length).toBe(1);
    expect(out[0].header.ack).toBe(seq.add(base, 13 * 1460));
  });
  it("windowClamp caps the advertised window however much buffer is free, and free space below it still rules", () => {
    const mss = 1460;
    const clamp = 16 * mss;
    const h = established({ config: { windowClamp: clamp } }); // 1 MiB buffer: scale 5
    const shift = windowScaleFor(1 << 20);
    // Two segments: the ACK is due at once.
    const twoSegs = (x: typeof h, n: number) => (x.data(1, bytes(n)), x.data(2, bytes(n)));
    const out = twoSegs(h, mss);
    expect(out.length).toBe(1);
    expect(out[0].header.window << shift).toBe(clamp);
    const free = established(); // no clamp: the free buffer, about 1 MiB
    expect(twoSegs(free, mss)[0].header.window << shift).toBeGreaterThan(1000 * 1024);
    const small = established({ config: { windowClamp: clamp, recvBufferSize: 8192 } }); // buffer below the clamp
    const w = twoSegs(small, 1000);
    expect(w.length).toBe(1);
    expect(w[0].header.window << windowScaleFor(8192)).toBe(8192 - 2000);
  });
  it("overlapping and duplicate segments reassemble byte-exact", () => {
    const h = established();
    const base = h.peerSeq;
    const d = bytes(3000, 7);
    h.data(1, d.subarray(1000, 2500), seq.add(base, 1000));
    h.data(2, d.subarray(500, 1500), seq.add(base, 500));
    h.data(3, d.subarray(1000, 2500), seq.add(base, 1000));
    h.data(4, d.subarray(2000, 3000), seq.add(base, 2000));
    h.data(5, d.subarray(0, 800), base);
    expect(h.conn.recvNext).toBe(seq.add(base, 3000));
    expect(h.recvAll()).toEqual(d);
  });
  it("FIN both ways: peer FIN -> CLOSE-WAIT -> close -> LAST-ACK -> ACK -> CLOSED", () => {
    const h = closeWait();
    expect(h.conn.state).toBe("CLOSE-WAIT");
    expect(h.conn.eof).toBe(true);
    h.conn.send(bytes(10));
    h.conn.close();
    const out = h.poll(1);
    expect(out.some((s) => s.header.flags & F.FIN && s.payload.length === 10)).toBe(true);
    expect(h.conn.state).toBe("LAST-ACK");
    h.ack(2);
    expect(h.conn.state).toBe("CLOSED");
    expect(h.conn.error).toBeUndefined();
    expect(lastAck().conn.state).toBe("LAST-ACK");
  });
  it("out-of-order FIN is held until the data before it arrives", () => {
    const h = established();
    const base = h.peerSeq;
    h.input(1, { flags: F.FIN | F.ACK, seq: seq.add(base, 100), data: bytes(50) });
    expect(h.conn.state).toBe("ESTABLISHED");
    h.input(2, { flags: F.ACK, seq: base, data: bytes(100) });
    expect(h.conn.state).toBe("CLOSE-WAIT");
    expect(h.conn.recvNext).toBe(seq.add(base, 151));
  });
  it("PAWS drops a segment with an older timestamp", () => {
    const h = established({ peerTimestamps: true, now: 1000 });
    const base = h.peerSeq;
    h.data(1010, bytes(100));
    const out = h.input(1020, { flags: F.ACK, data: bytes(100), options: [{ kind: "timestamps", tsVal: 5, tsEcr: 0 }] });
    expect(h.conn.recvNext).toBe(seq.add(base, 100));
    expect(out.length).toBe(1);
    expect(h.conn.stats.dropped).toBe(1);
  });
});

describe("closing", () => {
  it("FIN-WAIT-1 -> FIN-WAIT-2 -> TIME-WAIT", () => {
    const h = finWait1();
    expect(h.conn.state).toBe("FIN-WAIT-1");
    expect(h.sent[h.sent.length - 1].header.flags & F.FIN).toBeTruthy();
    h.ack(1);
    expect(h.conn.state).toBe("FIN-WAIT-2");
    h.fin(2);
    expect(h.conn.state).toBe("TIME-WAIT");
    expect(finWait2().conn.state).toBe("FIN-WAIT-2");
  });
  it("CLOSING -> TIME-WAIT when our FIN is acknowledged", () => {
    const h = closing();
    expect(h.conn.state).toBe("CLOSING");
    h.ack(1);
    expect(h.conn.state).toBe("TIME-WAIT");
  });
  it("TIME-WAIT expiry after the configured time", () => {
    const h = timeWait({ config: { timeWaitMs: 1000 }, now: 0 });
    expect(h.conn.state).toBe("TIME-WAIT");
    expect(h.conn.nextDeadline()).toBe(1000);
    h.poll(999);
    expect(h.conn.state).toBe("TIME-WAIT");
    // A retransmitted FIN is ACKed again and restarts the timer.
    const out = h.input(500, { flags: F.FIN | F.ACK, seq: seq.add(h.peerSeq, -1) });
    expect(out.length).toBe(1);
    expect(h.conn.nextDeadline()).toBe(1500);
    h.poll(1500);
    expect(h.conn.state).toBe("CLOSED");
    expect(h.conn.error).toBeUndefined();
  });
  it("a segment to a CLOSED connection is answered with RST", () => {
    const h = new TcpHarness();
    const out = h.input(0, { flags: F.ACK, ack: 12345, data: bytes(3) });
    expect(out[0].header.flags).toBe(F.RST);
    expect(out[0].header.seq).toBe(12345);
  });
  it("abort sends RST and closes", () => {
    const h = established();
    h.conn.abort();
    const out = h.poll(1);
    expect(out[0].header.flags & F.RST).toBeTruthy();
    expect(h.conn.state).toBe("CLOSED");
  });
});

describe("RST handling (RFC 5961)", () => {
  it("an in-window RST that is not exact gets a challenge ACK; the exact one resets", () => {
    const h = established();
    const out = h.rst(1, seq.add(h.peerSeq, 10));
    expect(h.conn.state).toBe("ESTABLISHED");
    expect(out.length).toBe(1);
    expect(out[0].header.flags).toBe(F.ACK);
    expect(h.rst(2, seq.add(h.peerSeq, 0x7fff0000))).toEqual([]);
    h.rst(3);
    expect(h.conn.state).toBe("CLOSED");
    expect(h.conn.error).toBeInstanceOf(TcpResetError);
    expect(h.conn.error?.message).toBe("connection reset by 10.0.2.2:80");
  });
  it("a SYN in ESTABLISHED gets a challenge ACK", () => {
    const h = established();
    const out = h.input(1, { flags: F.SYN, seq: 777, ack: 0 });
    expect(h.conn.state).toBe("ESTABLISHED");
    expect(out.length).toBe(1);
    expect(out[0].header.flags).toBe(F.ACK);
  });
});

describe("sending", () => {
  it("initial window of 10 segments, then more as ACKs arrive", () => {
    const h = established({ peerWindowScale: 7, peerWindow: 1000 });
    h.ack(0); // the SYN+ACK's window is unscaled; this ACK announces 1000 << 7
    const out = h.send(1, bytes(100_000));
    expect(dataSegs(out).length).toBe(10);
    expect(dataSegs(out).every((s) => s.payload.length === 1460)).toBe(true);
    const more = h.ack(10, seq.add(out[0].header.seq, 2920));
    expect(dataSegs(more).length).toBeGreaterThanOrEqual(2);
  });
  it("3 dup ACKs -> fast retransmit of the first unacknowledged segment (limited transmit before)", () => {
    const h = established({ peerWindowScale: 7, peerWindow: 1000 });
    h.ack(0);
    const out = dataSegs(h.send(1, bytes(20_000)));
    const first = out[0].header.seq;
    const una = seq.add(first, 1460);
    h.ack(10, una);
    const before = h.sentUpTo;
    // Dup ACKs 1 and 2: limited transmit (RFC 3042) sends one new segment each, no retransmission.
    const d1 = dataSegs(h.ack(11, una));
    const d2 = dataSegs(h.ack(12, una));
    expect([...d1, ...d2].map((s) => s.header.seq)).toEqual([before, seq.add(before, 1460)]);
    const rex = dataSegs(h.ack(13, una));
    expect(rex[0].header.seq).toBe(una);
    expect(rex[0].payload.length).toBe(1460);
    expect(h.conn.stats.fastRetransmits).toBe(1);
  });
  it("RTO retransmits with exponential backoff and gives up with TcpTimeoutError", () => {
    // The handshake at t=0 measured an RTT of 0, so the RTO sits at its 200 ms floor.
    const h = established({ config: { maxRetries: 3, minRtoMs: 200 } });
    const first = dataSegs(h.send(0, bytes(100)))[0].header.seq;
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = h.advance();
      if (!r) break;
      if (dataSegs(r[1]).some((s) => s.header.seq === first)) times.push(r[0]);
    }
    expect(times).toEqual([200, 600, 1400]);
    expect(h.conn.error).toBeInstanceOf(TcpTimeoutError);
    expect((h.conn.error as TcpTimeoutError).phase).toBe("retransmission");
  });
  it("zero window -> persist probes with backoff, data flows once the window opens", () => {
    const h = established({ peerWindow: 0 }); // RTO 200 ms (handshake RTT 0)
    expect(dataSegs(h.send(0, bytes(5000)))).toEqual([]);
    const probes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = h.advance();
      if (!r) break;
      for (const s of r[1]) if (s.payload.length === 0 && s.header.seq === seq.add(h.conn.sendUnacked, -1)) probes.push(r[0]);
    }
    expect(probes).toEqual([200, 600, 1400, 3000]);
    expect(h.conn.stats.windowProbes).toBe(4);
    const out = h.ack(3001, undefined, 65535);
    expect(dataSegs(out).reduce((n, s) => n + s.payload.length, 0)).toBe(5000);
  });
  it("send() accepts at most the send buffer", () => {
    const h = established({ config: { sendBufferSize: 4096 } });
    expect(h.conn.send(bytes(10_000))).toBe(4096);
    expect(h.conn.send(bytes(10))).toBe(0);
  });
  it("timestamps: TSecr echoes the peer, RTT comes from our echoed TSval", () => {
    const h = established({ peerTimestamps: true, now: 1000 });
    expect(h.conn.timestampsEnabled).toBe(true);
    const seg = dataSegs(h.send(1000, bytes(100)))[0];
    const ts = seg.header.options.find((o) => o.kind === "timestamps") as { tsVal: number; tsEcr: number };
    expect(ts.tsEcr).toBe(1000);
    h.input(1123, { flags: F.ACK, options: [{ kind: "timestamps", tsVal: 1123, tsEcr: ts.tsVal }] });
    expect(h.conn.srtt).toBe(123 + (h.conn.srtt as number) - 123); // a sample was taken
    expect(Math.round(h.conn.srtt as number)).toBeGreaterThan(0);
  });
});

describe("errors carry the peer", () => {
  it("names address and port", () => {
    const c = new TcpConnection({ platform: seededPlatform(1), localAddr: CLIENT_ADDR, localPort: 5, remoteAddr: SERVER_ADDR, remotePort: 8080 });
    expect(() => c.send(bytes(1))).toThrow(/10\.0\.2\.2:8080/);
  });
});

describe("release (the application is gone)", () => {
  it("with unread data: RST at once", () => {
    const h = established();
    h.data(1, bytes(10));
    h.conn.release(2);
    expect(h.poll(2).some((s) => s.header.flags & F.RST)).toBe(true);
    expect(h.conn.state).toBe("CLOSED");
  });
  it("late data after release is answered with RST", () => {
    const h = established();
    h.conn.release(1);
    h.poll(1);
    h.ack(2);
    expect(h.conn.state).toBe("FIN-WAIT-2");
    const out = h.data(3, bytes(10));
    expect(out.some((s) => s.header.flags & F.RST)).toBe(true);
    expect(h.conn.state).toBe("CLOSED");
    expect(h.conn.error).toBeUndefined();
  });
  it("FIN-WAIT-2 of a released connection times out; an unreleased one waits for the peer", () => {
    const h = established({ config: { finWait2TimeoutMs: 5000 } });
    h.conn.release(0);
    h.poll(0);
    h.ack(1);
    expect(h.conn.nextDeadline()).toBe(5001);
    h.poll(5001);
    expect(h.conn.state).toBe("CLOSED");
    const k = finWait2();
    expect(k.conn.nextDeadline()).toBeUndefined();
  });
});
