import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIpv4, prefixToMask, RouteTable } from "@pxe/ip";
import { arbIpv4 } from "@pxe/ip/testing";

describe("route table", () => {
  it("longest-prefix match equals a brute-force reference", () => {
    const arbRoute = fc.record({ destination: arbIpv4, prefix: fc.integer({ min: 0, max: 32 }), gateway: arbIpv4 });
    fc.assert(
      fc.property(fc.array(arbRoute, { maxLength: 12 }), fc.array(arbIpv4, { maxLength: 20 }), (routes, dsts) => {
        const t = new RouteTable();
        const kept = new Map<string, { destination: number; prefix: number; gateway: number }>();
        for (const r of routes) {
          t.add({ ...r, origin: "static" });
          const d = (r.destination & prefixToMask(r.prefix)) >>> 0;
          kept.delete(`${d}/${r.prefix}`);
          kept.set(`${d}/${r.prefix}`, { ...r, destination: d });
        }
        for (const dst of [...dsts, ...routes.map((r) => r.destination)]) {
          let best: { prefix: number; gateway: number } | undefined;
          for (const r of kept.values()) if (((dst & prefixToMask(r.prefix)) >>> 0) === r.destination && (!best || r.prefix > best.prefix)) best = r;
          const got = t.lookup(dst);
          expect(got?.prefix).toBe(best?.prefix);
          expect(got?.gateway).toBe(best ? best.gateway >>> 0 : undefined);
        }
      }),
    );
  });

  it("prefers the subnet over the default route and a host route over both", () => {
    const t = new RouteTable();
    t.add({ destination: 0, prefix: 0, gateway: parseIpv4("10.0.2.2"), origin: "default" });
    t.add({ destination: parseIpv4("10.0.2.0"), prefix: 24, gateway: 0, origin: "connected" });
    t.add({ destination: parseIpv4("10.0.2.9"), prefix: 32, gateway: parseIpv4("10.0.2.3"), origin: "static" });
    expect(t.lookup(parseIpv4("8.8.8.8"))?.origin).toBe("default");
    expect(t.lookup(parseIpv4("10.0.2.7"))?.origin).toBe("connected");
    expect(t.lookup(parseIpv4("10.0.2.9"))?.gateway).toBe(parseIpv4("10.0.2.3"));
    expect(t.format()[0]).toBe("10.0.2.9/32 via 10.0.2.3 (static)");
  });
});
