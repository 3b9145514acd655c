// StackTransport in core, on virtual time: the HttpClient over a @pxe/sockets
// Stack + @pxe/tcp talking to a tiny HTTP server on a second Stack (same
// in-memory Ethernet, @pxe/sockets/testing's stackPair). No Node APIs in the
// path: every wait polls the stacks, timers are the transport's PollTimers.
import { describe, expect, it } from "vitest";
import { installTcp, TcpState, type TcpConnection } from "@pxe/tcp";
import { stackPair } from "@pxe/sockets/testing";
import { ConnectionRefusedError, HttpClient, HttpTimeoutError, PollTimers, Sha256, StackTransport, dnsResolver, sha256Hex, type HttpTransport, type TcpStream } from "@pxe/http";

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A server on stack B: answers each request with `body`, or (stall) with the head and half the body, then nothing. */
function setup(body: Uint8Array, mode: "ok" | "stall" = "ok") {
  const p = stackPair({ seed: 7 });
  const layer = installTcp(p.b);
  const conns: { c: TcpConnection; req: string; out: Uint8Array | null; sent: number }[] = [];
  layer.listen(80, (c) => conns.push({ c, req: "", out: null, sent: 0 }));
  const serve = (now: number) => {
    for (const s of conns) {
      if (s.c.recvAvailable > 0) s.req += String.fromCharCode(...s.c.recvBytes());
      if (s.out === null && s.req.includes("\r\n\r\n")) {
        const head = enc(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
        const n = mode === "stall" ? body.length >> 1 : body.length;
        s.out = new Uint8Array(head.length + n);
        s.out.set(head);
        s.out.set(body.subarray(0, n), head.length);
      }
      if (s.out && s.sent < s.out.length && s.c.state === TcpState.ESTABLISHED) s.sent += s.c.send(s.out.subarray(s.sent));
      layer.flush(s.c, now);
    }
  };
  // The server runs on every poll of stack B (a protocol handler that only polls).
  p.b.registerProtocol(253, { receive: () => "ok", poll: serve });
  const transport = new StackTransport(p.a);
  return { ...p, transport, client: new HttpClient({ transport, timers: transport.timers, connectTimeoutMs: 3000, stallTimeoutMs: 2000 }) };
}

describe("StackTransport (core, virtual time)", () => {
  const body = new Uint8Array(300_000).map((_, i) => (i * 31 + (i >> 9)) & 255);

  it("GET over our TCP: byte-exact body (SHA-256), large reads", async () => {
    const { client } = setup(body);
    const res = await client.get("http://10.0.0.2/file");
    expect(res.status).toBe(200);
    const h = new Sha256();
    let chunks = 0;
    for await (const c of res.body) {
      h.update(c);
      chunks++;
    }
    expect(h.hex()).toBe(sha256Hex(body));
    expect(chunks).toBeLessThan(body.length / 1460); // more than one segment per read
    client.close();
  });

  it("data already received is taken at once (readNow); read() and its stall timer only for an empty stream", async () => {
    const { transport, b, clock } = setup(body);
    const seen = { now: 0, reads: 0 };
    const counting: HttpTransport = {
      async connect(host, port, opts) {
        const s = (await transport.connect(host, port, opts)) as TcpStream;
        return {
          write: (d) => s.write(d),
          read: () => (seen.reads++, s.read()),
          readNow: () => {
            b.poll(clock.time); // the server sends while the client works, as a real peer does
            const r = s.readNow();
            if (r) seen.now++;
            return r;
          },
          close: () => s.close(),
          abort: () => s.abort(),
        };
      },
    };
    const client = new HttpClient({ transport: counting, timers: transport.timers });
    const res = await client.get("http://10.0.0.2/file");
    const h = new Sha256();
    for await (const c of res.body) h.update(c);
    expect(h.hex()).toBe(sha256Hex(body));
    expect(seen.now).toBeGreaterThan(0);
    expect(seen.reads).toBeGreaterThan(0); // the head, and waits for data not yet sent
    client.close();
  });

  it("nobody listening: RST to the SYN is TransportError('refused') → ConnectionRefusedError", async () => {
    const { client } = setup(body);
    const e = await client.get("http://10.0.0.2:81/").catch((x) => x);
    expect(e).toBeInstanceOf(ConnectionRefusedError);
    expect(e.cause.kind).toBe("refused");
  });

  it("connect to a silent address: HttpTimeoutError('connect') at the setting, on virtual time", async () => {
    const { client, clock } = setup(body);
    const t0 = clock.time;
    const e = await client.get("http://10.0.0.9/").catch((x) => x);
    expect(e).toBeInstanceOf(HttpTimeoutError);
    expect(e.phase).toBe("connect");
    expect(clock.time - t0).toBeGreaterThanOrEqual(3000);
    expect(clock.time - t0).toBeLessThan(3200);
  });

  it("stalled body: the poll-driven timers fire HttpTimeoutError('response')", async () => {
    const { transport, clock } = setup(body, "stall");
    const client = new HttpClient({ transport, timers: transport.timers, stallTimeoutMs: 1500, maxResumes: 0 });
    const res = await client.get("http://10.0.0.2/file");
    const t0 = clock.time;
    const e = await res.bytes().catch((x) => x);
    expect(e).toBeInstanceOf(HttpTimeoutError);
    expect(e.phase).toBe("response");
    expect(clock.time - t0).toBeGreaterThanOrEqual(1500);
    expect(transport.timers.pending).toBe(0);
  });

  it("PollTimers: fire once when due, in order; cancelled ones never", () => {
    let t = 0;
    const timers = new PollTimers(() => t);
    const fired: string[] = [];
    timers.setTimer(10, () => fired.push("a"));
    const cancel = timers.setTimer(5, () => fired.push("x"));
    timers.setTimer(20, () => fired.push("b"));
    cancel();
    expect(timers.nextDeadline()).toBe(10);
    t = 9;
    timers.fireDue(t);
    expect(fired).toEqual([]);
    t = 25;
    expect(timers.due(t)).toBe(true);
    timers.fireDue(t);
    timers.fireDue(t);
    expect(fired).toEqual(["a", "b"]);
    expect(timers.pending).toBe(0);
  });

  it("dnsResolver turns @pxe/dns's u32 answer into a dotted quad", async () => {
    const r = dnsResolver({ resolve4: async () => 0x0a000002 });
    expect(await r.resolve("www.lab.test")).toBe("10.0.0.2");
  });
});
