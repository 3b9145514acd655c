import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArpCache } from "@pxe/ip";

const OPTS = { entryTtlMs: 5000, tries: 3, retryIntervalMs: 1000, queueLimit: 2, maxEntries: 100, maxPending: 100 };

/** The model: plain records, recomputed by the rules stated in the ARP requirements. */
interface Model {
  now: number;
  resolved: Map<number, { mac: number; expires: number }>;
  pending: Map<number, { tries: number; next: number; queue: number[] }>;
  failed: { ip: number; packets: number[] }[];
  requests: number[];
  released: number[];
}
interface Real {
  cache: ArpCache<number>;
  failed: { ip: number; packets: number[] }[];
  requests: number[];
  released: number[];
}
type Cmd = fc.Command<Model, Real>;
const mac = (n: number) => Uint8Array.of(2, 0, 0, 0, 0, n);
let packetId = 0;

/** Time passes; both sides poll. */
class Advance implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    m.now += this.ms;
    for (const [ip, p] of [...m.pending].sort((a, b) => a[0] - b[0])) {
      if (m.now < p.next) continue;
      if (p.tries >= OPTS.tries) {
        m.pending.delete(ip);
        m.failed.push({ ip, packets: p.queue });
      } else {
        p.tries++;
        p.next = m.now + OPTS.retryIntervalMs;
        m.requests.push(ip);
      }
    }
    const res = r.cache.poll(m.now);
    r.requests.push(...res.retry.slice().sort((a, b) => a - b));
    r.failed.push(...res.failed.map((f) => ({ ip: f.address, packets: f.packets })).sort((a, b) => a.ip - b.ip));
    m.requests.sort((a, b) => a - b);
    r.requests.sort((a, b) => a - b);
    expect(r.requests).toEqual(m.requests);
    expect(r.failed.map((f) => f.ip).sort()).toEqual(m.failed.map((f) => f.ip).sort());
  }
  toString = () => `advance(${this.ms})`;
}

/** A packet must go to `ip`: sent if known, else queued (first one triggers a request). */
class Send implements Cmd {
  constructor(readonly ip: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const id = ++packetId;
    const e = m.resolved.get(this.ip);
    const known = e && m.now < e.expires ? e.mac : undefined;
    const got = r.cache.lookup(this.ip, m.now);
    expect(got ? got[5] : undefined).toBe(known);
    if (known !== undefined) return;
    let expected: string;
    const p = m.pending.get(this.ip);
    if (p) {
      if (p.queue.length >= OPTS.queueLimit) expected = "full";
      else (p.queue.push(id), (expected = "queued"));
    } else {
      m.pending.set(this.ip, { tries: 1, next: m.now + OPTS.retryIntervalMs, queue: [id] });
      m.requests.push(this.ip);
      expected = "request";
    }
    const res = r.cache.enqueue(this.ip, id, m.now);
    if (res === "request") r.requests.push(this.ip);
    expect(res).toBe(expected);
  }
  toString = () => `send(${this.ip})`;
}

/** An ARP reply from `ip` arrives (RFC 826 merge: learn it only if known or pending, or when `forUs`). */
class Reply implements Cmd {
  constructor(readonly ip: number, readonly mac: number, readonly forUs: boolean) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const e = m.resolved.get(this.ip);
    const known = (e !== undefined && m.now < e.expires) || m.pending.has(this.ip);
    let released: number[] = [];
    if (known || this.forUs) {
      m.resolved.set(this.ip, { mac: this.mac, expires: m.now + OPTS.entryTtlMs });
      released = m.pending.get(this.ip)?.queue ?? [];
      m.pending.delete(this.ip);
    }
    const got = this.forUs ? r.cache.insert(this.ip, mac(this.mac), m.now) : r.cache.update(this.ip, mac(this.mac), m.now) ?? [];
    expect(got).toEqual(released);
  }
  toString = () => `reply(${this.ip}, ${this.mac}, ${this.forUs})`;
}

describe("ARP cache vs model (fast-check commands, virtual time)", () => {
  it("agrees on lookups, requests, retries, failures, ageing and released packets", () => {
    const ip = fc.integer({ min: 1, max: 4 });
    const cmds = [
      fc.integer({ min: 1, max: 3000 }).map((ms) => new Advance(ms)),
      ip.map((i) => new Send(i)),
      fc.tuple(ip, fc.integer({ min: 1, max: 9 }), fc.boolean()).map(([i, m, f]) => new Reply(i, m, f)),
    ];
    fc.assert(
      fc.property(fc.commands(cmds, { maxCommands: 60 }), (c) => {
        const m: Model = { now: 0, resolved: new Map(), pending: new Map(), failed: [], requests: [], released: [] };
        const r: Real = { cache: new ArpCache<number>(OPTS), failed: [], requests: [], released: [] };
        fc.modelRun(() => ({ model: m, real: r }), c);
        // Failures hand back exactly the packets that were queued.
        expect(r.failed).toEqual(m.failed);
        const entries = r.cache.entries(m.now);
        for (const e of entries) {
          if (e.state === "reachable") expect(m.resolved.get(e.address)!.expires).toBeGreaterThan(m.now);
          else expect(m.pending.get(e.address)!.tries).toBe(e.tries);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("gives up after 3 requests 1 s apart", () => {
    const c = new ArpCache<string>();
    expect(c.enqueue(0x0a000202, "p", 0)).toBe("request");
    expect(c.poll(999).retry).toEqual([]);
    expect(c.poll(1000).retry).toEqual([0x0a000202]);
    expect(c.poll(2000).retry).toEqual([0x0a000202]);
    const r = c.poll(3000);
    expect(r.retry).toEqual([]);
    expect(r.failed).toEqual([{ address: 0x0a000202, tries: 3, packets: ["p"] }]);
  });

  it("in-use entries ask for a refresh once, shortly before expiring; a reply renews them", () => {
    const c = new ArpCache<string>({ entryTtlMs: 100, refreshBeforeMs: 20 });
    c.insert(1, mac(1), 0);
    expect(c.needsRefresh(1, 79)).toBe(false);
    expect(c.needsRefresh(1, 80)).toBe(true);
    expect(c.needsRefresh(1, 81)).toBe(false);
    c.insert(1, mac(1), 90);
    expect(c.lookup(1, 150)).toBeDefined();
    expect(c.needsRefresh(1, 170)).toBe(true);
  });

  it("regression: a reply from an address whose entry expired (but was not yet polled away) is not learned", () => {
    // Found by the model test running in QuickJS: update() used to merge into expired entries.
    const c = new ArpCache<string>({ entryTtlMs: 100 });
    c.insert(4, mac(1), 0);
    expect(c.update(4, mac(2), 100)).toBeUndefined();
    expect(c.lookup(4, 100)).toBeUndefined();
  });

  it("entries age out", () => {
    const c = new ArpCache<string>({ entryTtlMs: 100 });
    c.insert(1, mac(1), 0);
    expect(c.lookup(1, 99)).toBeDefined();
    expect(c.lookup(1, 100)).toBeUndefined();
  });
});
