import { describe, expect, it } from "vitest";
import { bytesEqual, ManualClock, seededPlatform, TimeoutError } from "@pxe/core";
import { createSimLinkPair, type Impairments } from "@pxe/undi";
import { Stack, virtualHost } from "@pxe/sockets";

function simPair(seed: number, imp: Impairments) {
  const clock = new ManualClock(0);
  const [ea, eb] = createSimLinkPair({ seed, aToB: imp, bToA: imp });
  let b: Stack | undefined;
  const a: Stack = new Stack({ link: ea, platform: seededPlatform(seed, clock), config: { address: "10.0.0.1", prefix: 24 }, driver: virtualHost(clock, { beforeIdle: (n) => void b?.poll(n) }) });
  b = new Stack({ link: eb, platform: seededPlatform(seed + 1, clock), config: { address: "10.0.0.2", prefix: 24 }, driver: virtualHost(clock, { beforeIdle: (n) => void a.poll(n) }) });
  return { a, b, clock };
}

describe("over @pxe/undi's impairing simulated link", () => {
  it("ping counts loss consistently at 30% loss each way", async () => {
    const { a } = simPair(5, { loss: 0.3, delayMs: 2 });
    const st = await a.ping("10.0.0.2", { count: 20, intervalMs: 50 });
    expect(st.transmitted).toBe(20);
    expect(st.received).toBeGreaterThan(0);
    expect(st.received).toBeLessThan(20);
    expect(st.lossPercent).toBeCloseTo(((20 - st.received) / 20) * 100);
    for (const r of st.replies) expect(r.rttMs).toBeGreaterThanOrEqual(4);
  });

  it("fragmented datagrams through reordering, duplication and bit flips: nothing corrupt is ever delivered", async () => {
    const { a, b } = simPair(11, { reorder: 0.3, duplicate: 0.2, corrupt: 0.1, delayMs: 1, jitterMs: 3 });
    const server = b.udpSocket({ port: 9 });
    const client = a.udpSocket({ port: 10 });
    const sent: Uint8Array[] = [];
    // Resolve ARP first so the datagrams themselves meet the impairments.
    await a.ping("10.0.0.2", { count: 1 });
    for (let i = 0; i < 30; i++) {
      const d = Uint8Array.from({ length: 2500 + i }, (_, j) => (i * 31 + j) & 255);
      sent.push(d);
      client.sendTo(d, { address: "10.0.0.2", port: 9 });
    }
    const got = new Set<number>();
    for (;;) {
      let d;
      try {
        d = await server.recvFrom({ timeoutMs: 200 });
      } catch (e) {
        expect(e).toBeInstanceOf(TimeoutError);
        break;
      }
      const i = d.data.length - 2500;
      expect(i >= 0 && i < 30 && bytesEqual(d.data, sent[i])).toBe(true);
      got.add(i);
    }
    expect(got.size).toBeGreaterThan(10);
    const s = b.stats();
    let dropped = 0;
    for (const k in s.link.dropped) dropped += s.link.dropped[k];
    expect(s.link.received).toBe(s.link.delivered + dropped);
  });
});
