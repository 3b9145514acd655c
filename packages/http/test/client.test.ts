import { describe, expect, it } from "vitest";
import { asciiBytes, utf8 } from "@pxe/core";
import {
  BodyTruncatedError, ConnectionRefusedError, ConnectionResetError, DnsError, HttpStatusError, HttpTimeoutError, MalformedResponseError,
  RangeMismatchError, TooManyRedirectsError, sha256Hex,
} from "@pxe/http";
import type { RestartInfo } from "@pxe/http";
import { MemoryResolver, responseHead } from "@pxe/http/testing";
import type { ScriptedConnection } from "@pxe/http/testing";
import { data, fileServer, readAll, setup } from "./client-helpers.js";

describe("HttpClient basics", () => {
  it("GETs a Content-Length body and reuses the connection (keep-alive)", async () => {
    const { client, transport, run } = setup();
    const body = data(10_000);
    transport.listen("10.0.0.1", 80, fileServer(body));
    const r1 = await run(client.get("http://10.0.0.1/file"));
    expect(r1.status).toBe(200);
    expect(r1.contentLength).toBe(10_000);
    expect(await run(r1.bytes())).toEqual(body);
    const r2 = await run(client.get("http://10.0.0.1/other"));
    expect(await run(r2.bytes())).toEqual(body);
    expect(transport.log.length).toBe(1);
    expect(transport.log[0].requests.map((r) => r.target)).toEqual(["/file", "/other"]);
    const h = transport.log[0].requests[0].headers;
    expect(h.get("host")).toBe("10.0.0.1");
    expect(h.get("user-agent")).toBe("pxe-http/0.1");
    expect(h.get("connection")).toBe("keep-alive");
    expect(client.idleConnections()).toBe(1);
  });
  it("opens a new connection after Connection: close", async () => {
    const { client, transport, run } = setup();
    transport.listen("10.0.0.1", 80, fileServer(data(100), { close: true }));
    for (let i = 0; i < 3; i++) await run(run(client.get("http://10.0.0.1/f")).then((r) => r.bytes()));
    expect(transport.log.length).toBe(3);
    expect(transport.openConnections()).toBe(0);
  });
  it("reads a close-delimited HTTP/1.0 body and does not reuse the connection", async () => {
    const { client, transport, run } = setup();
    const body = data(5000);
    transport.listen("10.0.0.1", 80, fileServer(body, { http10: true }));
    const r = await run(client.get("http://10.0.0.1/f"));
    expect(r.contentLength).toBeNull();
    expect(r.versionMinor).toBe(0);
    expect(await run(r.bytes())).toEqual(body);
    await run(run(client.get("http://10.0.0.1/f")).then((x) => x.bytes()));
    expect(transport.log.length).toBe(2);
  });
  it("decodes chunked bodies and exposes trailers", async () => {
    const { client, transport, run } = setup();
    const body = data(3000);
    transport.listen("10.0.0.1", 80, fileServer(body, { chunked: { sizes: [1, 700, 13], trailers: [["X-Checksum", "abc"]] } }));
    const r = await run(client.get("http://10.0.0.1/f"));
    expect(await run(readAll(r.body))).toEqual(body);
    expect(r.trailers!.get("x-checksum")).toBe("abc");
    expect(client.idleConnections()).toBe(1);
  });
  it("HEAD gives the announced length and no body", async () => {
    const { client, transport, run } = setup();
    transport.listen("10.0.0.1", 80, fileServer(data(777)));
    const r = await run(client.head("http://10.0.0.1/f"));
    expect(r.contentLength).toBe(777);
    expect((await run(r.bytes())).length).toBe(0);
  });
  it("range requests give the 206 Content-Range", async () => {
    const { client, transport, run } = setup();
    const body = data(1000);
    transport.listen("10.0.0.1", 80, fileServer(body));
    const r = await run(client.get("http://10.0.0.1/f", { range: { start: 100, end: 199 } }));
    expect(r.status).toBe(206);
    expect(r.contentRange).toEqual({ start: 100, end: 199, total: 1000 });
    expect(r.totalLength).toBe(1000);
    expect(await run(r.bytes())).toEqual(body.subarray(100, 200));
  });
  it("sends Basic credentials from the URL", async () => {
    const { client, transport, run } = setup();
    const srv = fileServer(data(1));
    transport.listen("10.0.0.1", 80, srv);
    await run(run(client.get("http://Aladdin:open%20sesame@10.0.0.1/")).then((r) => r.bytes()));
    expect(srv.requests[0].headers.get("authorization")).toBe("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  });
});

describe("hostile servers", () => {
  it("resumes with Range after a reset mid-body, byte-exact, with If-Range", async () => {
    const { client, transport, run } = setup();
    const body = data(50_000);
    const srv = fileServer(body, { etag: '"v1"', cut: { 0: { after: 12_345, how: "reset" }, 1: { after: 20_000, how: "reset" } } });
    transport.listen("10.0.0.1", 80, srv);
    const r = await run(client.get("http://10.0.0.1/big"));
    const got = await run(readAll(r.body));
    expect(sha256Hex(got)).toBe(sha256Hex(body));
    expect(srv.requests.map((q) => q.headers.get("range"))).toEqual([null, "bytes=12345-", "bytes=32345-"]);
    expect(srv.requests[1].headers.get("if-range")).toBe('"v1"');
  });
  it("body shorter than Content-Length: BodyTruncatedError without resume, complete with it", async () => {
    const body = data(4000);
    {
      const { client, transport, run } = setup();
      transport.listen("10.0.0.1", 80, fileServer(body, { cut: { 0: { after: 1000, how: "end" } } }));
      const r = await run(client.get("http://10.0.0.1/f", { resume: false }));
      const err = await run(r.bytes()).catch((e) => e);
      expect(err).toBeInstanceOf(BodyTruncatedError);
      expect(err).toMatchObject({ received: 1000, expected: 4000, url: "http://10.0.0.1/f" });
    }
    {
      const { client, transport, run } = setup();
      transport.listen("10.0.0.1", 80, fileServer(body, { cut: { 0: { after: 1000, how: "end" } } }));
      const r = await run(client.get("http://10.0.0.1/f"));
      expect(await run(r.bytes())).toEqual(body);
    }
  });
  it("gives up after maxResumes with BodyTruncatedError", async () => {
    const { client, transport, run } = setup({ maxResumes: 2 });
    const cut = { after: 10, how: "end" as const };
    transport.listen("10.0.0.1", 80, fileServer(data(100), { cut: { 0: cut, 1: cut, 2: cut } }));
    const r = await run(client.get("http://10.0.0.1/f"));
    const err = await run(r.bytes()).catch((e) => e);
    expect(err).toBeInstanceOf(BodyTruncatedError);
    expect(transport.log.length).toBe(3);
  });
  it("slow drip within the stall timeout succeeds", async () => {
    const { client, transport, run, timers } = setup({ stallTimeoutMs: 1000 });
    const body = data(300);
    transport.listen("10.0.0.1", 80, fileServer(body, { drip: { bytes: 7, ms: 900, sleep: (ms) => timers.sleep(ms) } }));
    const r = await run(client.get("http://10.0.0.1/f"));
    expect(await run(r.bytes())).toEqual(body);
    expect(timers.now()).toBeGreaterThan(900 * 40);
    expect(transport.log.length).toBe(1);
  });
  it("a stalled body times out (HttpTimeoutError) when it cannot resume", async () => {
    const { client, transport, run, timers } = setup({ stallTimeoutMs: 1000 });
    transport.listen("10.0.0.1", 80, fileServer(data(300), { drip: { bytes: 100, ms: 5000, sleep: (ms) => timers.sleep(ms) } }));
    const r = await run(client.get("http://10.0.0.1/f", { resume: false }));
    const err = await run(r.bytes()).catch((e) => e);
    expect(err).toBeInstanceOf(HttpTimeoutError);
    expect(err).toMatchObject({ phase: "response", timeoutMs: 1000, url: "http://10.0.0.1/f" });
  });
  it("a body that stalls mid-way is aborted after the stall timeout and resumed", async () => {
    const { client, transport, run, timers } = setup({ stallTimeoutMs: 2000 });
    const body = data(6000);
    let conns = 0;
    const srv = fileServer(body);
    transport.listen("10.0.0.1", 80, async (c: ScriptedConnection) => {
      if (conns++ > 0) return srv(c);
      const q = await c.readRequest();
      if (!q) return;
      c.send(responseHead(200, "OK", [["Content-Length", String(body.length)], ["ETag", '"s"']]));
      c.send(body.subarray(0, 2500));
      await timers.sleep(60_000); // then silence
    });
    const r = await run(client.get("http://10.0.0.1/f"));
    expect(await run(r.bytes())).toEqual(body);
    expect(srv.requests.map((q) => q.headers.get("range"))).toEqual(["bytes=2500-"]);
    expect(timers.now()).toBeGreaterThanOrEqual(2000);
  });
  it("Range ignored on resume: restarts cleanly and tells the consumer", async () => {
    const { client, transport, run } = setup();
    const body = data(9000);
    transport.listen("10.0.0.1", 80, fileServer(body, { ignoreRange: true, cut: { 0: { after: 4000, how: "reset" } } }));
    const restarts: RestartInfo[] = [];
    const r = await run(client.get("http://10.0.0.1/f", { onRestart: (i) => restarts.push(i) }));
    expect(await run(r.bytes())).toEqual(body);
    expect(restarts).toEqual([{ url: "http://10.0.0.1/f", discarded: 4000, reason: "server ignored Range when resuming" }]);
  });
  it("Range ignored on resume without onRestart on the raw body: RangeMismatchError", async () => {
    const { client, transport, run } = setup();
    transport.listen("10.0.0.1", 80, fileServer(data(9000), { ignoreRange: true, cut: { 0: { after: 4000, how: "reset" } } }));
    const r = await run(client.get("http://10.0.0.1/f"));
    const err = await run(readAll(r.body)).catch((e) => e);
    expect(err).toBeInstanceOf(RangeMismatchError);
  });
  it("a malformed response is a MalformedResponseError naming the URL", async () => {
    const { client, transport, run } = setup();
    transport.listen("10.0.0.1", 80, async (c: ScriptedConnection) => {
      await c.readRequest();
      c.send("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd");
    });
    const err = await run(client.get("http://10.0.0.1/x")).catch((e) => e);
    expect(err).toBeInstanceOf(MalformedResponseError);
    expect(err.url).toBe("http://10.0.0.1/x");
  });
  it("retries once on a fresh connection when a pooled one was closed by the server", async () => {
    const { client, transport, run } = setup();
    const body = data(10);
    transport.listen("10.0.0.1", 80, async (c: ScriptedConnection) => {
      const req = await c.readRequest();
      if (!req) return;
      c.send(responseHead(200, "OK", [["Content-Length", "10"]]));
      c.send(body);
      c.end(); // closes without saying so
    });
    await run(run(client.get("http://10.0.0.1/a")).then((r) => r.bytes()));
    const r2 = await run(client.get("http://10.0.0.1/b"));
    expect(await run(r2.bytes())).toEqual(body);
    expect(transport.log.length).toBe(2);
  });
  it("drops idle connections after the server's Keep-Alive timeout", async () => {
    const { client, transport, run, timers } = setup();
    transport.listen("10.0.0.1", 80, fileServer(data(10), { headers: [["Keep-Alive", "timeout=2"]] }));
    await run(run(client.get("http://10.0.0.1/a")).then((r) => r.bytes()));
    timers.advance(1500);
    await run(run(client.get("http://10.0.0.1/a")).then((r) => r.bytes()));
    expect(transport.log.length).toBe(2);
  });
});

describe("redirects", () => {
  it("follows a chain across hosts and ports with relative Location and 303", async () => {
    const { client, transport, run } = setup({ resolver: new MemoryResolver({ a: "10.0.0.1", b: "10.0.0.2" }) });
    const seen: string[] = [];
    transport.listen("10.0.0.1", 80, async (c) => {
      for (;;) {
        const q = await c.readRequest();
        if (!q) return;
        seen.push(`a ${q.target} auth=${q.headers.get("authorization") !== null}`);
        c.send(responseHead(302, "Found", [["Location", "http://b:8080/dir/mid"], ["Content-Length", "0"]]));
      }
    });
    transport.listen("10.0.0.2", 8080, async (c) => {
      for (;;) {
        const q = await c.readRequest();
        if (!q) return;
        seen.push(`b ${q.target} auth=${q.headers.get("authorization") !== null}`);
        if (q.target === "/dir/mid") c.send(responseHead(303, "See Other", [["Location", "../final?x=1"], ["Content-Length", "5"]]) + "hello");
        else c.send(responseHead(200, "OK", [["Content-Length", "2"]]) + "ok");
      }
    });
    const r = await run(client.get("http://u:p@a/start"));
    expect(utf8(await run(r.bytes()))).toBe("ok");
    expect(r.url).toBe("http://b:8080/final?x=1");
    expect(r.redirects).toEqual(["http://a/start", "http://b:8080/dir/mid", "http://b:8080/final?x=1"]);
    expect(seen).toEqual(["a /start auth=true", "b /dir/mid auth=false", "b /final?x=1 auth=false"]);
  });
  it("detects loops and more than 5 hops", async () => {
    const { client, transport, run } = setup();
    transport.listen("10.0.0.1", 80, async (c) => {
      for (;;) {
        const q = await c.readRequest();
        if (!q) return;
        const n = Number(q.target.slice(1));
        const loc = q.target.startsWith("/loop") ? (q.target === "/loop1" ? "/loop2" : "/loop1") : `/${n + 1}`;
        c.send(responseHead(301, "Moved", [["Location", loc], ["Content-Length", "0"]]));
      }
    });
    const loop = await run(client.get("http://10.0.0.1/loop1")).catch((e) => e);
    expect(loop).toBeInstanceOf(TooManyRedirectsError);
    expect(loop.loop).toBe(true);
    expect(loop.chain).toEqual(["http://10.0.0.1/loop1", "http://10.0.0.1/loop2", "http://10.0.0.1/loop1"]);
    const many = await run(client.get("http://10.0.0.1/0")).catch((e) => e);
    expect(many).toBeInstanceOf(TooManyRedirectsError);
    expect(many.chain.length).toBe(7);
    expect(many.message).toContain("http://10.0.0.1/6");
  });
});

describe("proxy", () => {
  it("sends absolute-form with Proxy-Authorization to the proxy; no-proxy hosts go direct", async () => {
    const { client, transport, run } = setup({ proxy: "http://pu:pp@10.9.9.9:3128", noProxy: "10.0.0.2" });
    const proxySrv = fileServer(data(20));
    transport.listen("10.9.9.9", 3128, proxySrv);
    const direct = fileServer(data(20));
    transport.listen("10.0.0.2", 80, direct);
    await run(run(client.get("http://user:pw@origin.example:8000/p?q=1")).then((r) => r.bytes()));
    await run(run(client.get("http://other.example/x")).then((r) => r.bytes()));
    await run(run(client.get("http://10.0.0.2/d")).then((r) => r.bytes()));
    expect(proxySrv.requests.map((q) => q.target)).toEqual(["http://origin.example:8000/p?q=1", "http://other.example/x"]);
    expect(proxySrv.requests[0].headers.get("proxy-authorization")).toBe("Basic cHU6cHA=");
    expect(proxySrv.requests[0].headers.get("host")).toBe("origin.example:8000");
    expect(proxySrv.requests[0].headers.get("authorization")).toBe("Basic dXNlcjpwdw==");
    expect(transport.log.filter((l) => l.host === "10.9.9.9").length).toBe(1);
    expect(direct.requests.map((q) => q.target)).toEqual(["/d"]);
    expect(direct.requests[0].headers.get("proxy-authorization")).toBeNull();
  });
});

describe("typed errors", () => {
  it("connection refused, DNS failure, connect timeout, HTTP status", async () => {
    const { client, transport, run } = setup({ resolver: new MemoryResolver({ known: "10.0.0.1" }), connectTimeoutMs: 3000 });
    const refused = await run(client.get("http://known/x")).catch((e) => e);
    expect(refused).toBeInstanceOf(ConnectionRefusedError);
    expect(refused).toMatchObject({ url: "http://known/x", host: "known", port: 80 });
    const dns = await run(client.get("http://nowhere.example/x")).catch((e) => e);
    expect(dns).toBeInstanceOf(DnsError);
    expect(dns).toMatchObject({ url: "http://nowhere.example/x", hostname: "nowhere.example" });
    transport.blackhole("10.0.0.3", 80);
    const to = await run(client.get("http://10.0.0.3/x")).catch((e) => e);
    expect(to).toBeInstanceOf(HttpTimeoutError);
    expect(to).toMatchObject({ phase: "connect", timeoutMs: 3000 });
    transport.listen("10.0.0.1", 80, async (c) => {
      await c.readRequest();
      c.send(responseHead(404, "Not Found", [["Content-Length", "3"]]) + "nope");
    });
    const st = await run(client.get("http://known/missing")).catch((e) => e);
    expect(st).toBeInstanceOf(HttpStatusError);
    expect(st).toMatchObject({ status: 404, reason: "Not Found", url: "http://known/missing" });
    expect(st.message).toBe("http://known/missing: HTTP 404 Not Found");
  });
  it("a reset before any response on a new connection is a ConnectionResetError", async () => {
    const { client, transport, run } = setup();
    transport.listen("10.0.0.1", 80, async (c) => {
      await c.readRequest();
      c.reset();
    });
    expect(await run(client.get("http://10.0.0.1/")).catch((e) => e)).toBeInstanceOf(ConnectionResetError);
  });
  it("a close before any response on a new connection is a ConnectionResetError too", async () => {
    const { client, transport, run } = setup();
    transport.listen("10.0.0.1", 80, async (c) => {
      await c.readRequest();
      c.end();
    });
    const err = await run(client.get("http://10.0.0.1/")).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionResetError);
    expect(err.message).toContain("before any response");
    expect(transport.log.length).toBe(1);
  });
});

void asciiBytes;

describe("client over arbitrary segmentation (property)", () => {
  it("delivers the body byte-exact for any response framing and any split into segments", async () => {
    const fc = (await import("fast-check")).default;
    const { arbResponseSpec, encodeResponse, arbChunking } = await import("@pxe/http/testing");
    await fc.assert(
      fc.asyncProperty(
        arbResponseSpec.chain((spec) => fc.tuple(fc.constant(spec), arbChunking(encodeResponse(spec), 25))),
        async ([spec, pieces]) => {
          const { client, transport, run } = setup();
          transport.listen("10.0.0.1", 80, async (c: ScriptedConnection) => {
            await c.readRequest();
            for (const p of pieces) c.send(p);
            if (spec.framing === "close") c.end();
          });
          const r = await run(client.get("http://10.0.0.1/", { throwOnStatus: false, resume: false }));
          expect(r.status).toBe(spec.status);
          expect(await run(r.bytes())).toEqual(spec.body);
        },
      ),
      { numRuns: 150 },
    );
  });
});
