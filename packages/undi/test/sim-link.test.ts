import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bytesEqual } from "@pxe/core";
import {
  SimLink, createSimLinkPair, ImpairedLink, TracingLink, PcapLink, PcapWriter, parsePcap, LinkError, lineTracer, describeFrame,
  type TraceEvent,
} from "@pxe/undi";
import { arbEthernetFrame } from "@pxe/undi/testing";

function frame(dst: Uint8Array, n: number, len = 64): Uint8Array {
  const f = new Uint8Array(len);
  f.set(dst);
  f.set([2, 0, 0, 0, 0, 0x0a], 6);
  f[12] = 0x88;
  f[13] = 0xb5;
  f[14] = n >>> 24;
  f[15] = (n >>> 16) & 255;
  f[16] = (n >>> 8) & 255;
  f[17] = n & 255;
  return f;
}
const seqOf = (f: Uint8Array) => ((f[14] << 24) | (f[15] << 16) | (f[16] << 8) | f[17]) >>> 0;
const B = Uint8Array.of(2, 0, 0, 0, 0, 0x0b);

/** Within 5 standard deviations of a binomial's mean. */
function near(count: number, n: number, p: number): void {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(count - n * p)).toBeLessThanOrEqual(5 * sd + 1);
}

describe("SimLink", () => {
  it("a perfect link delivers every frame, byte-exact and in order, at once", () => {
    const [a, b] = createSimLinkPair();
    a.open();
    b.open();
    fc.assert(fc.property(fc.array(arbEthernetFrame(), { maxLength: 20 }), (frames) => {
      const sent = frames.map((f) => {
        f.set(B);
        return f;
      });
      for (const f of sent) expect(a.transmit(f)).toBe(true);
      const got: Uint8Array[] = [];
      b.poll(0, (f) => got.push(f));
      expect(got.length).toBe(sent.length);
      got.forEach((g, i) => expect(bytesEqual(g, sent[i])).toBe(true));
    }), { numRuns: 50 });
  });

  it("impairment counts match the configured rates over 20000 frames (fixed seed)", () => {
    const n = 20000;
    const cfg = { loss: 0.1, duplicate: 0.05, reorder: 0.08, corrupt: 0.03, queueLimit: 1e6 };
    const link = new SimLink({ seed: 42, aToB: cfg, bToA: { loss: 0.25, queueLimit: 1e6 } });
    link.a.open({ promiscuous: true });
    link.b.open({ promiscuous: true });
    for (let i = 0; i < n; i++) {
      link.a.transmit(frame(B, i));
      link.b.transmit(frame(link.a.info.mac, i));
    }
    let atB = 0;
    let atA = 0;
    let corrupted = 0;
    link.b.poll(1000, (f) => {
      atB++;
      if (f[12] !== 0x88 || f[13] !== 0xb5 || !bytesEqual(f.subarray(0, 6), B) || f[6] !== 2 || f.subarray(18).some((x) => x !== 0)) corrupted++;
    });
    link.a.poll(1000, () => atA++);
    const c = link.counters();
    expect(c.aToB.offered).toBe(n);
    near(c.aToB.lost, n, 0.1);
    near(c.aToB.duplicated, n - c.aToB.lost, 0.05);
    near(c.aToB.reordered, n - c.aToB.lost, 0.08);
    near(c.aToB.corrupted, n - c.aToB.lost, 0.03);
    near(c.bToA.lost, n, 0.25);
    expect(c.bToA.duplicated + c.bToA.reordered + c.bToA.corrupted).toBe(0);
    expect(atB).toBe(n - c.aToB.lost + c.aToB.duplicated);
    expect(atA).toBe(n - c.bToA.lost);
    // Corruption that hit the sequence number is invisible here; the rest is seen.
    expect(corrupted).toBeLessThanOrEqual(c.aToB.corrupted * 2);
    expect(corrupted).toBeGreaterThan(0);
  });

  it("the same seed gives the same run; another seed a different one", () => {
    const run = (seed: number) => {
      const l = new SimLink({ seed, aToB: { loss: 0.3, reorder: 0.3, duplicate: 0.2 } });
      l.a.open();
      l.b.open();
      for (let i = 0; i < 200; i++) l.a.transmit(frame(B, i));
      const got: number[] = [];
      l.b.poll(100, (f) => got.push(seqOf(f)));
      return got.join(",");
    };
    expect(run(7)).toBe(run(7));
    expect(run(7)).not.toBe(run(8));
  });

  it("delay holds frames until due; reorder lets later frames overtake", () => {
    const l = new SimLink({ aToB: { delayMs: 10 } });
    l.a.open();
    l.b.open();
    l.a.transmit(frame(B, 1));
    expect(l.b.poll(9.9, () => {})).toBe(0);
    expect(l.b.poll(10, () => {})).toBe(1);
    const r = new SimLink({ aToB: { reorder: 1, reorderDelayMs: 5 } });
    r.a.open();
    r.b.open();
    r.a.transmit(frame(B, 1));
    r.a.poll(3, () => {});
    const got: number[] = [];
    r.b.poll(3, (f) => got.push(seqOf(f)));
    expect(got).toEqual([]);
    r.advance(3);
    expect(r.counters().aToB.reordered).toBe(1);
    const p = new SimLink({ seed: 3, aToB: { reorder: 0.5, reorderDelayMs: 5 } });
    p.a.open();
    p.b.open();
    for (let i = 0; i < 100; i++) {
      p.advance(i);
      p.a.transmit(frame(B, i));
    }
    const order: number[] = [];
    p.b.poll(1000, (f) => order.push(seqOf(f)));
    expect(order.length).toBe(100);
    expect(order.some((s, i) => i > 0 && s < order[i - 1])).toBe(true);
  });

  it("filters by MAC unless promiscuous, drops while closed, rejects oversize frames", () => {
    const l = new SimLink();
    l.a.open();
    l.b.open();
    l.a.transmit(frame(Uint8Array.of(2, 9, 9, 9, 9, 9), 1));
    l.a.transmit(frame(new Uint8Array(6).fill(0xff), 2));
    l.a.transmit(frame(Uint8Array.of(1, 0, 0x5e, 0, 0, 1), 3));
    const got: number[] = [];
    l.b.poll(0, (f) => got.push(seqOf(f)));
    expect(got).toEqual([2]);
    expect(l.b.statistics().dropped).toBe(2);
    l.b.close();
    l.a.transmit(frame(B, 4));
    expect(l.b.poll(1, () => {})).toBe(0);
    expect(() => l.a.transmit(new Uint8Array(1515))).toThrow(LinkError);
    const small = new SimLink({ aToB: { queueLimit: 2 } });
    small.a.open();
    expect([1, 2, 3].map((i) => small.a.transmit(frame(B, i)))).toEqual([true, true, false]);
    expect(small.counters().aToB.queueDrops).toBe(1);
    expect(small.a.statistics().dropped).toBe(1);
    l.a.close();
    expect(() => l.a.transmit(frame(B, 5))).toThrow(LinkError);
  });
});

describe("wrapper devices", () => {
  it("ImpairedLink impairs any driver; counts match rates", () => {
    const l = new SimLink({ aToB: { queueLimit: 1e6 }, bToA: { queueLimit: 1e6 } });
    const w = new ImpairedLink(l.a, { seed: 9, tx: { loss: 0.2 }, rx: { duplicate: 0.1, queueLimit: 1e6 } });
    w.open();
    l.b.open();
    const n = 5000;
    for (let i = 0; i < n; i++) w.transmit(frame(B, i));
    let atB = 0;
    l.b.poll(0, () => atB++);
    near(w.counters().tx.lost, n, 0.2);
    expect(atB).toBe(n - w.counters().tx.lost);
    for (let i = 0; i < n; i++) l.b.transmit(frame(l.a.info.mac, i));
    let atA = 0;
    w.poll(1, () => atA++);
    near(w.counters().rx.duplicated, n, 0.1);
    expect(atA).toBe(n + w.counters().rx.duplicated);
  });

  it("ImpairedLink delays transmit until a later poll", () => {
    const l = new SimLink();
    const w = new ImpairedLink(l.a, { tx: { delayMs: 50 } });
    w.open();
    l.b.open();
    w.transmit(frame(B, 1));
    expect(l.b.poll(100, () => {})).toBe(0);
    w.poll(49, () => {});
    expect(l.b.poll(100, () => {})).toBe(0);
    w.poll(50, () => {});
    expect(l.b.poll(100, () => {})).toBe(1);
  });

  it("wrappers stack: tracing over pcap over impairment over a sim end", () => {
    const l = new SimLink();
    const writer = new PcapWriter();
    const events: TraceEvent[] = [];
    const lines: string[] = [];
    const dev = new TracingLink(new PcapLink(new ImpairedLink(l.a, {}), writer), (e) => {
      events.push({ ...e, frame: e.frame.slice() });
      lineTracer((s) => lines.push(s))(e);
    });
    dev.open();
    l.b.open();
    dev.transmit(frame(B, 1));
    l.b.transmit(frame(l.a.info.mac, 2));
    dev.poll(5, () => {});
    expect(events.map((e) => e.direction)).toEqual(["tx", "rx"]);
    const file = parsePcap(writer.bytes());
    expect(file.records.length).toBe(2);
    expect(bytesEqual(file.records[0].data, events[0].frame)).toBe(true);
    expect(bytesEqual(file.records[1].data, events[1].frame)).toBe(true);
    expect(lines[0]).toContain("02:00:00:00:00:0a > 02:00:00:00:00:0b type 0x88b5 len 64");
    expect(describeFrame(new Uint8Array(3))).toBe("runt len 3");
  });
});

describe("readiness hooks", () => {
  it("wrappers forward onReadable/waitForFrame only when the inner driver has them", async () => {
    const l = new SimLink();
    expect(new TracingLink(l.a, () => {}).onReadable).toBeUndefined();
    let fired = 0;
    const inner = Object.assign(l.a, {
      onReadable: (cb: () => void) => {
        cb();
        return () => {};
      },
      waitForFrame: async () => true,
    });
    const w = new ImpairedLink(new PcapLink(new TracingLink(inner, () => {}), new PcapWriter()));
    w.onReadable!(() => fired++);
    expect(fired).toBe(1);
    expect(await w.waitForFrame!(10)).toBe(true);
  });
});
