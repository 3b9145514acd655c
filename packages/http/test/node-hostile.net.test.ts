// Issue 15 over the Node transport (NodeNetTransport, real sockets on
// 127.0.0.1): items 1 and 2 (a pooled connection that received bytes or a
// close while idle is never read as a response; the request goes to a new
// connection) and item 5 (an endless body read by a slow consumer keeps
// memory bounded: the socket is paused, the server's writes back up).
import { afterEach, describe, expect, it } from "vitest";
import { createServer, type Server, type Socket } from "node:net";
import { HttpClient } from "@pxe/http";
import { NodeNetTransport, nodeTimers } from "@pxe/http/node";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const body = Buffer.alloc(5000, 7);
let server: Server | null = null;

afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

/** A keep-alive server: answers every request with `body`; after the first response on the first connection, `idle(sock)` 30 ms later. */
async function listen(idle: (s: Socket) => void): Promise<{ port: number; conns: () => number }> {
  let conns = 0;
  const sockets: Socket[] = [];
  server = createServer((sock) => {
    const index = conns++;
    sockets.push(sock);
    let buf = "";
    let answered = 0;
    sock.on("error", () => undefined);
    sock.on("data", (d) => {
      buf += d.toString("latin1");
      while (buf.includes("\r\n\r\n")) {
        buf = buf.slice(buf.indexOf("\r\n\r\n") + 4);
        if (index === 0 && answered > 0) return; // a poisoned connection answers nothing more
        sock.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
        sock.write(body);
        if (index === 0 && answered++ === 0) setTimeout(() => idle(sock), 30);
      }
    });
  });
  server.on("close", () => sockets.forEach((s) => s.destroy()));
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return { port: (server.address() as { port: number }).port, conns: () => conns };
}

describe("NodeNetTransport: pooled connections checked before reuse (issue 15.1, 15.2)", () => {
  const cases: [string, (s: Socket) => void][] = [
    ["stray bytes", (s) => s.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale")],
    ["a FIN", (s) => s.end()],
    ["an RST", (s) => s.resetAndDestroy()],
  ];
  for (const [what, idle] of cases) {
    it(`${what} while idle: the next GET is answered on a new connection, byte-exact`, async () => {
      const srv = await listen(idle);
      const client = new HttpClient({ transport: new NodeNetTransport(), timers: nodeTimers });
      expect(Buffer.from(await (await client.get(`http://127.0.0.1:${srv.port}/a`)).bytes())).toEqual(body);
      await sleep(150);
      const r = await client.get(`http://127.0.0.1:${srv.port}/b`);
      expect(Buffer.from(await r.bytes())).toEqual(body);
      expect(srv.conns()).toBe(2);
      expect(client.stats.staleDropped + client.stats.staleRetried).toBe(1);
      client.close();
    });
  }
});

describe("NodeNetTransport backpressure (issue 15.5)", () => {
  it("an endless body and a slow consumer: memory stays bounded and the server is held back", async () => {
    let serverBacklog = 0;
    let written = 0;
    server = createServer((sock) => {
      sock.on("error", () => undefined);
      sock.once("data", () => {
        sock.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
        const chunk = Buffer.alloc(256 * 1024, 1);
        const pump = () => {
          while (!sock.destroyed && sock.write(chunk)) written += chunk.length;
          serverBacklog = Math.max(serverBacklog, sock.writableLength);
        };
        sock.on("drain", pump);
        pump();
      });
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const client = new HttpClient({ transport: new NodeNetTransport({ highWater: 1 << 20 }), timers: nodeTimers });
    const res = await client.get(`http://127.0.0.1:${port}/endless`);
    const before = process.memoryUsage().arrayBuffers;
    let got = 0;
    let peak = 0;
    const t0 = Date.now();
    for await (const c of res.body) {
      got += c.length;
      await sleep(20); // a consumer far slower than loopback
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
      if (Date.now() - t0 > 3000) break;
    }
    client.close();
    console.log(`backpressure: read ${got} bytes in 3 s, server wrote ${written}, peak extra arrayBuffers ${(peak / 2 ** 20).toFixed(1)} MiB, server backlog ${serverBacklog}`);
    expect(peak).toBeLessThan(32 * 2 ** 20);
    expect(serverBacklog).toBeGreaterThan(0); // the server's writes backed up: we stopped reading
    expect(written - got).toBeLessThan(64 * 2 ** 20);
  }, 20_000);
});
