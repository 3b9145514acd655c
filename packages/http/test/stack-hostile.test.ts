// Issue 15, items 1 and 2 over OUR TCP (StackTransport on a stackPair, virtual
// time): a pooled connection on which the server sent stray bytes, a FIN or
// an RST while it sat idle is never read as the next response; the request
// goes to a new connection.
import { describe, expect, it } from "vitest";
import { stackPair } from "@pxe/sockets/testing";
import { HttpClient, StackTransport } from "@pxe/http";
import { stackFileServer, type ResponsePlan } from "./stack-file-server.js";

const file = new Uint8Array(20_000).map((_, i) => (i * 7 + (i >> 8)) & 255);

function setup(first: ResponsePlan) {
  const p = stackPair({ seed: 3 });
  const srv = stackFileServer(p, new Map([["/f", file]]), (r) => (r.conn === 0 && r.n === 0 ? first : {}));
  const transport = new StackTransport(p.a);
  const client = new HttpClient({ transport, timers: transport.timers, stallTimeoutMs: 5000 });
  const idle = (ms: number) => p.a.waitFor(() => false, p.clock.time + ms);
  return { p, srv, client, idle };
}

describe("pooled connections over our TCP (issue 15.1, 15.2)", () => {
  for (const how of ["bytes", "fin", "rst"] as const) {
    it(`server sends ${how} while the connection is idle: the next GET is answered on a new connection, byte-exact`, async () => {
      const { srv, client, idle } = setup({ idle: how });
      expect(await (await client.get("http://10.0.0.2/f")).bytes()).toEqual(file);
      await idle(200);
      const r = await client.get("http://10.0.0.2/f");
      expect(r.status).toBe(200);
      expect(await r.bytes()).toEqual(file);
      expect(srv.requests.map((q) => q.conn)).toEqual([0, 1]); // nothing was sent again on connection 0
      expect(client.stats.staleDropped).toBe(1);
      client.close();
    });
  }
  it("server resets the idle connection just as the next request goes out: retried once on a new connection", async () => {
    const { srv, client } = setup({ idle: "rst" });
    expect(await (await client.get("http://10.0.0.2/f")).bytes()).toEqual(file);
    // No idle time: the RST is still on its way when the client reuses the connection.
    const r = await client.get("http://10.0.0.2/f");
    expect(await r.bytes()).toEqual(file);
    expect(srv.requests.map((q) => q.conn).slice(-1)).toEqual([1]);
    expect(client.stats.staleDropped + client.stats.staleRetried).toBe(1);
    client.close();
  });
});
