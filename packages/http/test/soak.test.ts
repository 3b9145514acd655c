// Issue 15 soak: 200 consecutive downloads with keep-alive over OUR TCP
// through the impairing link (loss, reorder, duplicate, corrupt, both ways),
// all in virtual time, while the server randomly closes idle connections
// (FIN or RST), sends stray bytes on idle ones, resets mid-body and answers
// Range requests. Every body's SHA-256 must be exact, no request may hang
// (each has a virtual deadline), and what the stacks hold stays bounded.
import { describe, expect, it } from "vitest";
import { SeededRandom } from "@pxe/core";
import { stackPair } from "@pxe/sockets/testing";
import { HttpClient, StackTransport, sha256Hex } from "@pxe/http";
import { stackFileServer, type ResponsePlan } from "./stack-file-server.js";

const DOWNLOADS = 200;

describe("soak: 200 downloads through the impairing link against a hostile keep-alive server", () => {
  it("every body SHA-256 exact, nothing hangs, connections and buffers bounded", async () => {
    const rnd = new SeededRandom(15);
    const p = stackPair({ seed: 15, impair: { loss: 0.02, reorder: 0.02, duplicate: 0.01, corrupt: 0.002 } });
    const files = new Map<string, Uint8Array>();
    for (let i = 0; i < 6; i++) {
      const f = new Uint8Array(1000 + i * 9000);
      new SeededRandom(100 + i).fill(f);
      files.set(`/f${i}`, f);
    }
    const plans = { resetMidBody: 0, idleFin: 0, idleRst: 0, idleBytes: 0 };
    const plan = (): ResponsePlan => {
      const x = rnd.below(100);
      if (x < 12) return (plans.resetMidBody++, { resetAfter: rnd.below(8000) });
      if (x < 22) return (plans.idleFin++, { idle: "fin" });
      if (x < 32) return (plans.idleRst++, { idle: "rst" });
      if (x < 37) return (plans.idleBytes++, { idle: "bytes" });
      return {};
    };
    const srv = stackFileServer(p, files, plan);
    const transport = new StackTransport(p.a);
    const client = new HttpClient({ transport, timers: transport.timers, stallTimeoutMs: 5000, deadlineMs: 120_000, maxResumes: 20 });
    const t0 = p.clock.time;
    let ranged = 0;
    let maxConns = 0;
    let maxServerConns = 0;
    for (let i = 0; i < DOWNLOADS; i++) {
      const path = `/f${rnd.below(files.size)}`;
      const file = files.get(path)!;
      let want = file;
      let range: { start: number; end: number } | undefined;
      if (rnd.below(4) === 0) {
        const start = rnd.below(file.length);
        const end = start + rnd.below(file.length - start);
        range = { start, end };
        want = file.subarray(start, end + 1);
        ranged++;
      }
      const res = await client.get(`http://10.0.0.2${path}`, { range });
      const got = await res.bytes();
      expect(got.length, `download ${i} ${path} ${JSON.stringify(range)}`).toBe(want.length);
      expect(sha256Hex(got), `download ${i}`).toBe(sha256Hex(want));
      maxConns = Math.max(maxConns, transport.tcp.stats().connections);
      maxServerConns = Math.max(maxServerConns, srv.layer.stats().connections);
      // Idle between downloads (0-3 s), so that idle closes happen while pooled.
      await p.a.waitFor(() => false, p.clock.time + rnd.below(3000));
    }
    client.close();
    await p.a.waitFor(() => false, p.clock.time + 300_000); // TIME-WAITs and retries run out
    const virtualS = (p.clock.time - t0) / 1000;
    const link = p.links;
    void link;
    console.log(
      `soak: ${DOWNLOADS} downloads (${ranged} ranged) in ${virtualS.toFixed(0)} s virtual; server plans ${JSON.stringify(plans)}; ` +
        `client ${JSON.stringify(client.stats)}; connections opened ${new Set(srv.requests.map((r) => r.conn)).size}; ` +
        `most TCP connections at once: client ${maxConns}, server ${maxServerConns}; left at the end: client ${transport.tcp.stats().connections}, server ${srv.layer.stats().connections}`,
    );
    // The hostile paths really ran.
    expect(plans.resetMidBody).toBeGreaterThan(5);
    expect(client.stats.resumes).toBeGreaterThan(5);
    expect(client.stats.staleDropped + client.stats.staleRetried).toBeGreaterThan(5);
    expect(ranged).toBeGreaterThan(20);
    // Bounded: a handful of connections at any time, none left behind.
    expect(maxConns).toBeLessThanOrEqual(8);
    expect(transport.tcp.stats().connections).toBe(0);
    expect(transport.timers.pending).toBe(0);
  }, 120_000);
});
