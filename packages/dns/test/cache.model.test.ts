import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DnsCache } from "@pxe/dns";

/** The model: a list of (key, kind, expires) in recency order, bounded, TTLs clamped. */
interface Entry { key: string; kind: string; expires: number; value?: string }
class Model {
  entries: Entry[] = [];
  constructor(readonly max: number) {}
  private live(now: number, key: string): Entry | undefined {
    const i = this.entries.findIndex((e) => e.key === key);
    if (i < 0) return undefined;
    const e = this.entries[i];
    this.entries.splice(i, 1);
    if (e.expires <= now) return undefined;
    this.entries.push(e);
    return e;
  }
  get(now: number, name: string, type: number): Entry | undefined {
    const n = name.toLowerCase();
    return this.live(now, `${n}|nx`) ?? this.live(now, `${n}|${type}`) ?? this.live(now, `${n}|5`);
  }
  put(now: number, key: string, kind: string, ttl: number, cap: number, value?: string): void {
    const expires = now + Math.min(ttl, cap) * 1000;
    const i = this.entries.findIndex((e) => e.key === key);
    if (i >= 0) this.entries.splice(i, 1);
    if (expires <= now) return;
    this.entries.push({ key, kind, expires, value });
    while (this.entries.length > this.max) this.entries.shift();
  }
}

const MAX_TTL = 100, MAX_NEG = 30;
type Sys = { real: DnsCache; model: Model; now: number };
const names = fc.constantFrom("a.example", "B.example", "b.example", "c.example");
const types = fc.constantFrom(1, 28);
const ttl = fc.oneof(fc.integer({ min: 10, max: 200 }), fc.integer({ min: 0, max: 200 }));

class Advance implements fc.Command<Sys, Sys> {
  constructor(readonly ms: number) {}
  check = () => true;
  run(_m: Sys, r: Sys) { r.now += this.ms; }
  toString() { return `advance(${this.ms})`; }
}
class PutRecords implements fc.Command<Sys, Sys> {
  constructor(readonly name: string, readonly type: number, readonly ttl: number) {}
  check = () => true;
  run(_m: Sys, r: Sys) {
    r.real.putRecords(r.now, this.name, this.type, [`v-${this.name}`], this.ttl);
    r.model.put(r.now, `${this.name.toLowerCase()}|${this.type}`, "records", this.ttl, MAX_TTL, `v-${this.name}`);
  }
  toString() { return `records(${this.name},${this.type},${this.ttl})`; }
}
class PutCname implements fc.Command<Sys, Sys> {
  constructor(readonly name: string, readonly ttl: number) {}
  check = () => true;
  run(_m: Sys, r: Sys) {
    r.real.putCname(r.now, this.name, "t.example", this.ttl);
    r.model.put(r.now, `${this.name.toLowerCase()}|5`, "cname", this.ttl, MAX_TTL);
  }
  toString() { return `cname(${this.name},${this.ttl})`; }
}
class PutNeg implements fc.Command<Sys, Sys> {
  constructor(readonly name: string, readonly type: number | "nx", readonly ttl: number) {}
  check = () => true;
  run(_m: Sys, r: Sys) {
    if (this.type === "nx") r.real.putNxDomain(r.now, this.name, this.ttl);
    else r.real.putNoData(r.now, this.name, this.type, this.ttl);
    r.model.put(r.now, `${this.name.toLowerCase()}|${this.type}`, this.type === "nx" ? "nxdomain" : "nodata", this.ttl, MAX_NEG);
  }
  toString() { return `neg(${this.name},${this.type},${this.ttl})`; }
}
class Get implements fc.Command<Sys, Sys> {
  constructor(readonly name: string, readonly type: number) {}
  check = () => true;
  run(_m: Sys, r: Sys) {
    const got = r.real.get(r.now, this.name, this.type);
    const want = r.model.get(r.now, this.name, this.type);
    expect(got?.kind).toBe(want?.kind);
    if (got && want) expect(got.expires).toBe(want.expires);
    if (got?.kind === "records") expect(got.values).toEqual([want!.value]);
    expect(r.real.size).toBeLessThanOrEqual(3);
  }
  toString() { return `get(${this.name},${this.type})`; }
}

describe("DnsCache against a model (fast-check commands)", () => {
  it("TTL expiry, RFC 2308 negative entries, NXDOMAIN over every type, LRU bound, case-insensitive names", () => {
    const commands = [
      fc.oneof(fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 1, max: 120_000 })).map((ms) => new Advance(ms)),
      fc.tuple(names, types, ttl).map(([n, t, s]) => new PutRecords(n, t, s)),
      fc.tuple(names, ttl).map(([n, s]) => new PutCname(n, s)),
      fc.tuple(names, fc.constantFrom<number | "nx">(1, 28, "nx"), ttl).map(([n, t, s]) => new PutNeg(n, t, s)),
      fc.tuple(names, types).map(([n, t]) => new Get(n, t)),
      fc.tuple(names, types).map(([n, t]) => new Get(n, t)),
    ];
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 60 }), (cmds) => {
        const sys: Sys = { real: new DnsCache({ maxEntries: 3, maxTtl: MAX_TTL, maxNegativeTtl: MAX_NEG }), model: new Model(3), now: 0 };
        fc.modelRun(() => ({ model: sys, real: sys }), cmds);
      }),
      { numRuns: 1500 },
    );
  });
});
