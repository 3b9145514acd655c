// Issue 15, item 4: bounded time against a slow drip. A head dripped a byte
// at a time hits the head timeout; a body below the low-speed limit for the
// low-speed window fails with LowSpeedError (curl's --speed-limit/--speed-time)
// and is not resumed; an optional total deadline; and the defaults never cut
// a slow but real download, nor blame a slow consumer. Virtual time.
import { describe, expect, it } from "vitest";
import { DEFAULT_HEAD_TIMEOUT_MS, DEFAULT_LOW_SPEED_TIME_MS, HttpTimeoutError, LowSpeedError, LowSpeedMonitor } from "@pxe/http";
import { responseHead } from "@pxe/http/testing";
import type { ScriptedConnection } from "@pxe/http/testing";
import { data, fileServer, setup } from "./client-helpers.js";

describe("head timeout (issue 15.4)", () => {
  it("a head dripped one byte every 500 ms fails at the head timeout, though no read ever stalls", async () => {
    const { client, transport, run, timers } = setup();
    transport.listen("10.0.0.1", 80, async (c: ScriptedConnection) => {
      await c.readRequest();
      const head = responseHead(200, "OK", [["X-Padding", "x".repeat(100_000)], ["Content-Length", "1"]]);
      for (const ch of head) {
        if (c.clientClosed) return;
        await timers.sleep(500);
        c.send(ch);
      }
    });
    const err = await run(client.get("http://10.0.0.1/h")).catch((e) => e);
    expect(err).toBeInstanceOf(HttpTimeoutError);
    expect(err).toMatchObject({ phase: "head", timeoutMs: DEFAULT_HEAD_TIMEOUT_MS, url: "http://10.0.0.1/h" });
    expect(timers.now()).toBeGreaterThanOrEqual(DEFAULT_HEAD_TIMEOUT_MS);
    expect(timers.now()).toBeLessThan(DEFAULT_HEAD_TIMEOUT_MS + 1000);
  });
});

describe("low-speed limit (issue 15.4)", () => {
  it("a body dripped one byte every 500 ms fails with LowSpeedError after the window, not resumed", async () => {
    const { client, transport, run, timers } = setup();
    transport.listen("10.0.0.1", 80, fileServer(data(1_000_000), { drip: { bytes: 1, ms: 500, sleep: (ms) => timers.sleep(ms) } }));
    const r = await run(client.get("http://10.0.0.1/drip"));
    const t0 = timers.now();
    const err = await run(r.bytes()).catch((e) => e);
    expect(err).toBeInstanceOf(LowSpeedError);
    expect(err).toMatchObject({ limit: 512, timeMs: DEFAULT_LOW_SPEED_TIME_MS, url: "http://10.0.0.1/drip" });
    expect(err.received).toBeLessThan(200);
    expect(timers.now() - t0).toBeGreaterThanOrEqual(DEFAULT_LOW_SPEED_TIME_MS);
    expect(timers.now() - t0).toBeLessThan(DEFAULT_LOW_SPEED_TIME_MS + 1000);
    expect(transport.log.length).toBe(1); // no resume against a server that is simply too slow
    expect(client.stats.resumes).toBe(0);
  });
  it("settings: 1000 bytes/s over 5 s catches a 100 bytes/s body in 5 s", async () => {
    const { client, transport, run, timers } = setup({ lowSpeedLimit: 1000, lowSpeedTimeMs: 5000 });
    transport.listen("10.0.0.1", 80, fileServer(data(100_000), { drip: { bytes: 100, ms: 1000, sleep: (ms) => timers.sleep(ms) } }));
    const r = await run(client.get("http://10.0.0.1/slow"));
    const t0 = timers.now();
    expect(await run(r.bytes()).catch((e) => e)).toBeInstanceOf(LowSpeedError);
    expect(timers.now() - t0).toBeLessThan(6500);
  });
  it("the defaults never cut a slow real link: 300 KB at 2 KB/s (150 s) arrives complete", async () => {
    const { client, transport, run, timers } = setup();
    const body = data(300_000);
    transport.listen("10.0.0.1", 80, fileServer(body, { drip: { bytes: 1000, ms: 500, sleep: (ms) => timers.sleep(ms) } }));
    const r = await run(client.get("http://10.0.0.1/kernel"));
    expect(await run(r.bytes())).toEqual(body);
    expect(timers.now()).toBeGreaterThan(149_000);
  });
  it("bursts with long pauses (64 KB, then 20 s of silence) pass: the average over the window counts", async () => {
    const { client, transport, run, timers } = setup();
    const body = data(256 * 1024);
    transport.listen("10.0.0.1", 80, fileServer(body, { drip: { bytes: 64 * 1024, ms: 20_000, sleep: (ms) => timers.sleep(ms) } }));
    const r = await run(client.get("http://10.0.0.1/bursty"));
    expect(await run(r.bytes())).toEqual(body);
  });
  it("a slow consumer is not blamed: 5 s of work per chunk on a fast body", async () => {
    const { client, transport, run, timers } = setup({ lowSpeedLimit: 1000, lowSpeedTimeMs: 2000 });
    const body = data(50_000);
    transport.listen("10.0.0.1", 80, fileServer(body, { chunked: { sizes: [1000] } }));
    const r = await run(client.get("http://10.0.0.1/f"));
    let n = 0;
    await run(
      (async () => {
        for await (const c of r.body) {
          n += c.length;
          await timers.sleep(5000);
        }
      })(),
    );
    expect(n).toBe(body.length);
  });
});

describe("total deadline (issue 15.4)", () => {
  it("deadlineMs bounds the whole request, resumes included", async () => {
    const { client, transport, run, timers } = setup({ deadlineMs: 10_000 });
    transport.listen("10.0.0.1", 80, fileServer(data(100_000), { drip: { bytes: 1000, ms: 1000, sleep: (ms) => timers.sleep(ms) } }));
    const r = await run(client.get("http://10.0.0.1/d"));
    const err = await run(r.bytes()).catch((e) => e);
    expect(err).toBeInstanceOf(HttpTimeoutError);
    expect(err).toMatchObject({ phase: "deadline", timeoutMs: 10_000 });
    expect(timers.now()).toBeLessThanOrEqual(10_001);
    expect(transport.log.length).toBe(1);
  });
  it("no deadline by default", async () => {
    const { client } = setup();
    expect((client as unknown as { opts: { deadlineMs?: number } }).opts.deadlineMs).toBeUndefined();
  });
});

describe("LowSpeedMonitor (sans-IO)", () => {
  it("fails a window of waiting with fewer bytes than limit x time; time not spent waiting does not count", () => {
    const m = new LowSpeedMonitor(100, 1000); // 100 bytes over each second of waiting
    m.startWait(0);
    expect(m.waitBudget()).toBe(1000);
    expect(m.endWait(400, 50)).toBe(true);
    m.startWait(5000); // 4.6 s with the consumer: not counted
    expect(m.waitBudget()).toBe(600);
    expect(m.endWait(5600, 10)).toBe(false); // 60 bytes in 1 s of waiting
    m.startWait(6000);
    expect(m.endWait(7000, 100)).toBe(true); // a new window, 100 bytes
    expect(new LowSpeedMonitor(0, 1000).waitBudget()).toBeNull();
  });
});
