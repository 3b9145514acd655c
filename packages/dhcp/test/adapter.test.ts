import { describe, expect, it } from "vitest";
import { acquireLease, DhcpTimeoutError, startFromCachedReply, dhcpMessage, type DhcpTransmit } from "@pxe/dhcp";
import { fromHex } from "@pxe/core";
import { DNSMASQ_ACK } from "./fixtures/dnsmasq.js";
import { FakeDhcpServer } from "./fake-server.js";
import { lossyPair } from "./stack-pair.js";

/** Runs a FakeDhcpServer on the server stack's UDP port 67, answering by broadcast. */
function serveDhcp(p: ReturnType<typeof lossyPair>, fake = new FakeDhcpServer()) {
  const sock = p.server.udpSocket({ port: 67 });
  p.hooks.push(() => {
    p.server.poll(p.clock.time);
    for (let d = sock.tryRecvFrom(); d; d = sock.tryRecvFrom()) {
      for (const r of fake.handle({ payload: d.data } as DhcpTransmit)) sock.sendTo(r, { address: 0xffffffff, port: 68 });
    }
  });
  return fake;
}

describe("acquireLease over a Stack (UDP sockets, virtual time)", () => {
  it("binds and configures the stack", async () => {
    const p = lossyPair();
    serveDhcp(p);
    const lease = await acquireLease(p.client);
    expect(lease.address).toBe(0x0a000064);
    expect(p.client.config.address).toBe(0x0a000064);
    expect(p.client.config.prefix).toBe(24);
    expect(p.client.config.gateway).toBe(0x0a000001);
    expect(p.client.config.dns).toEqual([0x0a000001, 0x0a000002]);
    expect(p.client.config.domain).toBe("lab.example");
  });

  it("still binds through 20% frame loss each way", async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const p = lossyPair({ loss: 0.2, seed, stepMs: 20 });
      serveDhcp(p);
      const lease = await acquireLease(p.client, { totalTimeoutMs: 300_000 });
      expect(lease.address).toBe(0x0a000064);
    }
  });

  it("rejects with DhcpTimeoutError when no server answers", async () => {
    const p = lossyPair({ stepMs: 100 });
    const t0 = p.clock.time;
    await expect(acquireLease(p.client, { totalTimeoutMs: 20_000 })).rejects.toBeInstanceOf(DhcpTimeoutError);
    expect(p.clock.time - t0).toBeGreaterThanOrEqual(20_000);
    expect(p.client.config.address).toBe(0);
  });

  it("startFromCachedReply configures the stack from PXE's cached ACK without sending anything", () => {
    const p = lossyPair();
    const ack = fromHex(DNSMASQ_ACK);
    const lease = startFromCachedReply(p.client, ack);
    expect(lease.message.xid).toBe(dhcpMessage.decode(ack, 0, ack.length).value.xid);
    expect(p.client.config.address).toBe(0xc0a84d6f);
    expect(p.client.config.gateway).toBe(0xc0a84d01);
    expect(p.client.config.hostname).toBe("node7");
    expect(p.client.stats().udp.sent).toBe(0);
  });
});
