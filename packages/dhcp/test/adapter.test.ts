import { describe, expect, it } from "vitest";
import { acquireLease, DhcpTimeoutError, startFromCachedReply, dhcpMessage, type DhcpTransmit } from "@pxe/dhcp";
import { fromHex } from "@pxe/core";
import { DNSMASQ_ACK } from "./fixtures/dnsmasq.js";
import { FakeDhcpServer } from "./fake-server.js";
import { serveUdp, stackPair, type StackPair } from "@pxe/sockets/testing";

/** The server stack, as in the fake servers' fixtures. */
const SERVER = { address: "10.0.0.1", prefix: 24 };

/** Runs a FakeDhcpServer on the server stack's UDP port 67, answering by broadcast. */
function serveDhcp(p: StackPair, fake = new FakeDhcpServer()) {
  serveUdp(p, 67, (d) => fake.handle({ payload: d.data } as DhcpTransmit).map((r) => ({ data: r, to: { address: 0xffffffff, port: 68 } })));
  return fake;
}

describe("acquireLease over a Stack (UDP sockets, virtual time)", () => {
  it("binds and configures the stack", async () => {
    const p = stackPair({ a: null, b: SERVER });
    serveDhcp(p);
    const lease = await acquireLease(p.a);
    expect(lease.address).toBe(0x0a000064);
    expect(p.a.config.address).toBe(0x0a000064);
    expect(p.a.config.prefix).toBe(24);
    expect(p.a.config.gateway).toBe(0x0a000001);
    expect(p.a.config.dns).toEqual([0x0a000001, 0x0a000002]);
    expect(p.a.config.domain).toBe("lab.example");
  });

  it("still binds through 20% frame loss each way", async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const p = stackPair({ a: null, b: SERVER, loss: 0.2, seed, stepMs: 20 });
      serveDhcp(p);
      const lease = await acquireLease(p.a, { totalTimeoutMs: 300_000 });
      expect(lease.address).toBe(0x0a000064);
    }
  });

  it("rejects with DhcpTimeoutError when no server answers", async () => {
    const p = stackPair({ a: null, b: SERVER, stepMs: 100 });
    const t0 = p.clock.time;
    await expect(acquireLease(p.a, { totalTimeoutMs: 20_000 })).rejects.toBeInstanceOf(DhcpTimeoutError);
    expect(p.clock.time - t0).toBeGreaterThanOrEqual(20_000);
    expect(p.a.config.address).toBe(0);
  });

  it("startFromCachedReply configures the stack from PXE's cached ACK without sending anything", () => {
    const p = stackPair({ a: null, b: SERVER });
    const ack = fromHex(DNSMASQ_ACK);
    const lease = startFromCachedReply(p.a, ack);
    expect(lease.message.xid).toBe(dhcpMessage.decode(ack, 0, ack.length).value.xid);
    expect(p.a.config.address).toBe(0xc0a84d6f);
    expect(p.a.config.gateway).toBe(0xc0a84d01);
    expect(p.a.config.hostname).toBe("node7");
    expect(p.a.stats().udp.sent).toBe(0);
  });
});
