import { describe, expect, it } from "vitest";
import { latin1 } from "@pxe/core";
import { openTunnel, parseProxy, ProxyTunnelError } from "@pxe/http";
import { MemoryTransport } from "@pxe/http/testing";

describe("openTunnel (CONNECT through a proxy)", () => {
  it("sends CONNECT host:port with Host and Proxy-Authorization, and hands over the stream with what followed the answer", async () => {
    const t = new MemoryTransport();
    const seen: string[] = [];
    t.listen("10.0.0.9", 3128, async (c) => {
      const req = await c.readRequest();
      seen.push(req!.raw);
      c.send("HTTP/1.1 200 Connection established\r\n\r\nlogin: ");
    });
    const s = await openTunnel({ transport: t, proxy: parseProxy("http://u:p@10.0.0.9:3128"), host: "console.lab", port: 23 });
    expect(seen[0]).toMatch(/^CONNECT console\.lab:23 HTTP\/1\.1\r\nHost: console\.lab:23\r\nProxy-Authorization: Basic dTpw$/);
    expect(latin1((await s.read())!)).toBe("login: ");
    s.close();
  });

  it("rejects with ProxyTunnelError naming proxy, target and status when the proxy refuses", async () => {
    const t = new MemoryTransport();
    t.listen("10.0.0.9", 3128, async (c) => {
      await c.readRequest();
      c.send("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    });
    const e = await openTunnel({ transport: t, proxy: parseProxy("10.0.0.9:3128"), host: "10.1.1.1", port: 23 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProxyTunnelError);
    expect(e).toMatchObject({ status: 403, target: "10.1.1.1:23", proxy: "http://10.0.0.9:3128/" });
    expect((e as Error).message).toBe("proxy http://10.0.0.9:3128/ refused CONNECT 10.1.1.1:23: HTTP 403 Forbidden");
  });

  it("says the proxy could not be reached, or closed without answering", async () => {
    const t = new MemoryTransport();
    const e1 = await openTunnel({ transport: t, proxy: parseProxy("10.0.0.9:3128"), host: "h", port: 23 }).catch((x: unknown) => x);
    expect(e1).toMatchObject({ status: null, message: expect.stringMatching(/cannot connect to the proxy/) });
    t.listen("10.0.0.9", 3128, async (c) => {
      await c.readRequest();
      c.end();
    });
    const e2 = await openTunnel({ transport: t, proxy: parseProxy("10.0.0.9:3128"), host: "h", port: 23 }).catch((x: unknown) => x);
    expect(e2).toMatchObject({ status: null, message: expect.stringMatching(/closed the connection without answering/) });
  });
});
