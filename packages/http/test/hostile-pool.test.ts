// Issue 15, items 1, 2 and 6: a pooled connection that is not what it seems
// (bytes or a close arrived while it sat idle; a write or read fails before
// any response byte on reuse), and a body iterated twice. Written from the
// issue's description; in-memory transport, virtual time.
import { describe, expect, it } from "vitest";
import { BodyConsumedError, ConnectionResetError, HttpClient, TransportError } from "@pxe/http";
import type { ByteStream, HttpTransport } from "@pxe/http";
import { drive, ManualTimers, MemoryTransport, responseHead } from "@pxe/http/testing";
import type { ScriptedConnection } from "@pxe/http/testing";
import { data, fileServer, setup } from "./client-helpers.js";

/** Serves `body` once per request; after the first response on connection 0, `idle` misbehaves while the client holds it idle. */
function idleMisbehaver(body: Uint8Array, idle: (c: ScriptedConnection) => void) {
  const honest = fileServer(body);
  let k = 0;
  return async (c: ScriptedConnection) => {
    if (k++ > 0) return honest(c);
    const req = await c.readRequest();
    if (!req) return;
    c.send(responseHead(200, "OK", [["Content-Length", String(body.length)]]));
    c.send(body);
    await Promise.resolve();
    idle(c);
    // Whatever comes next on this connection gets a second, different answer.
    const next = await c.readRequest();
    if (next) c.send(responseHead(200, "OK", [["Content-Length", "5"]]) + "wrong");
  };
}

describe("pooled connection checked before reuse (issue 15.1)", () => {
  it("bytes that arrived while idle are never read as the next response: the connection is dropped", async () => {
    const { client, transport, run } = setup();
    const body = data(64);
    transport.listen("10.0.0.1", 80, idleMisbehaver(body, (c) => c.send(responseHead(200, "OK", [["Content-Length", "5"]]) + "stale")));
    expect(await run(run(client.get("http://10.0.0.1/a")).then((r) => r.bytes()))).toEqual(body);
    const r2 = await run(client.get("http://10.0.0.1/b"));
    expect(await run(r2.bytes())).toEqual(body);
    expect(transport.log.length).toBe(2);
    expect(transport.log[0].requests.length).toBe(1); // nothing more was sent on the poisoned connection
    expect(client.stats.staleDropped).toBe(1);
  });
  it("a close (FIN) while idle: the next request goes to a new connection without touching the old one", async () => {
    const { client, transport, run } = setup();
    const body = data(64);
    transport.listen("10.0.0.1", 80, idleMisbehaver(body, (c) => c.end()));
    await run(run(client.get("http://10.0.0.1/a")).then((r) => r.bytes()));
    expect(await run(run(client.get("http://10.0.0.1/b")).then((r) => r.bytes()))).toEqual(body);
    expect(transport.log[0].requests.length).toBe(1);
    expect(client.stats.staleDropped).toBe(1);
  });
  it("a reset while idle: likewise", async () => {
    const { client, transport, run } = setup();
    const body = data(64);
    transport.listen("10.0.0.1", 80, idleMisbehaver(body, (c) => c.reset()));
    await run(run(client.get("http://10.0.0.1/a")).then((r) => r.bytes()));
    expect(await run(run(client.get("http://10.0.0.1/b")).then((r) => r.bytes()))).toEqual(body);
    expect(transport.log.length).toBe(2);
  });
});

/** Wraps a transport: the n-th write on connection 0 fails as if the server had reset the idle connection just before. */
function failingWrite(inner: HttpTransport, failWrite: number): HttpTransport & { connects: number } {
  const t = {
    connects: 0,
    async connect(host: string, port: number, opts: { timeoutMs?: number }): Promise<ByteStream> {
      const s = await inner.connect(host, port, opts);
      const index = t.connects++;
      let writes = 0;
      return {
        write: (d) => (index === 0 && ++writes === failWrite ? Promise.reject(new TransportError("reset", "write: broken pipe")) : s.write(d)),
        read: () => s.read(),
        close: () => s.close(),
        abort: () => s.abort?.(),
      };
    },
  };
  return t;
}

describe("stale pooled connection retried once (issue 15.2)", () => {
  it("a write error on a reused connection retries the GET on a fresh connection", async () => {
    const timers = new ManualTimers();
    const mem = new MemoryTransport();
    const body = data(100);
    mem.listen("10.0.0.1", 80, fileServer(body));
    const transport = failingWrite(mem, 2);
    const client = new HttpClient({ transport, timers });
    await drive(timers, drive(timers, client.get("http://10.0.0.1/a")).then((r) => r.bytes()));
    const r = await drive(timers, client.get("http://10.0.0.1/b"));
    expect(await drive(timers, r.bytes())).toEqual(body);
    expect(transport.connects).toBe(2);
    expect(client.stats.staleRetried).toBe(1);
  });
  it("a reset right after the request on a reused connection retries; on a fresh connection it is a ConnectionResetError", async () => {
    const { client, transport, run } = setup();
    const body = data(100);
    const honest = fileServer(body);
    let k = 0;
    transport.listen("10.0.0.1", 80, async (c) => {
      const mine = k++;
      if (mine === 0) {
        const q = await c.readRequest();
        if (!q) return;
        c.send(responseHead(200, "OK", [["Content-Length", "100"]]));
        c.send(body);
        await c.readRequest();
        c.reset();
        return;
      }
      if (mine === 1) return honest(c);
      await c.readRequest();
      c.reset();
    });
    await run(run(client.get("http://10.0.0.1/a")).then((r) => r.bytes()));
    expect(await run(run(client.get("http://10.0.0.1/b")).then((r) => r.bytes()))).toEqual(body);
    expect(transport.log.length).toBe(2);
    client.close();
    expect(await run(client.get("http://10.0.0.1/c")).catch((e) => e)).toBeInstanceOf(ConnectionResetError);
  });
});

describe("body iterated twice (issue 15.6)", () => {
  it("throws the package's typed BodyConsumedError naming the URL", async () => {
    const { client, transport, run } = setup();
    transport.listen("10.0.0.1", 80, fileServer(data(10)));
    const r = await run(client.get("http://10.0.0.1/once"));
    await run(r.bytes());
    const err = await run(r.bytes()).catch((e) => e);
    expect(err).toBeInstanceOf(BodyConsumedError);
    expect(err.url).toBe("http://10.0.0.1/once");
    expect(err.code).toBe("HTTP_BODY_CONSUMED");
  });
});
