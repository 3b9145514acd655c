import { describe, expect, it } from "vitest";
import { SocketClosedError, TimeoutError, seededPlatform } from "@pxe/core";
import { IpInterface } from "@pxe/ip";
import { createSimLinkPair, type Impairments } from "@pxe/undi";
import { IP_PROTO_TCP, TcpLayer, TcpRefusedError, TcpSocket, TcpUnreachableError, installTcp, type TcpConnection, type TcpStackHost } from "@pxe/tcp";

/**
 * Two IP interfaces (10.0.2.15 and 10.0.2.2) over @pxe/undi's simulated
 * impairing link, each with a TcpLayer: our TCP on both ends, through the
 * real IPv4/Ethernet/ARP path. A tiny stack-like host drives them with a
 * virtual clock (the shape @pxe/sockets' Stack offers).
 */
function world(seed: number, imp: Impairments = {}, tcpOnB = true) {
  const [la, lb, link] = createSimLinkPair({ seed, aToB: { delayMs: 1, ...imp }, bToA: { delayMs: 1, ...imp } });
  const clock = { t: 0 };
  const pa = seededPlatform(seed);
  const pb = seededPlatform(seed + 1);
  const ipA = new IpInterface({ link: la, platform: pa, config: { address: "10.0.2.15", prefix: 24 } });
  const ipB = new IpInterface({ link: lb, platform: pb, config: { address: "10.0.2.2", prefix: 24 } });
  const tcpB = new TcpLayer({ ip: ipB, platform: pb });
  if (tcpOnB) ipB.register(IP_PROTO_TCP, tcpB);
  const step = () => {
    ipA.poll(clock.t);
    ipB.poll(clock.t);
    let next: number | undefined = link.nextDue();
    for (const d of [ipA.nextDeadline(), ipB.nextDeadline()]) if (d !== undefined && (next === undefined || d < next)) next = d;
    clock.t = Math.max(clock.t + 0.1, Math.min(next ?? clock.t + 10, clock.t + 10));
  };
  let registered: ((s: unknown) => TcpSocket) | undefined;
  const stats: Record<string, () => unknown> = {};
  const host: TcpStackHost = {
    ip: ipA,
    platform: pa,
    now: () => clock.t,
    async waitFor(ready, deadline) {
      for (let i = 0; i < 1_000_000; i++) {
        if (ready()) return true;
        if (deadline !== undefined && clock.t >= deadline) return false;
        step();
      }
      return ready();
    },
    registerProtocol(p, handler, s) {
      ipA.register(p, handler);
      if (s) stats[s.name] = s.counters;
    },
    registerSocketType(_kind, factory) {
      registered = factory;
    },
  };
  const tcpA = installTcp(host);
  return { host, tcpA, tcpB, ipA, ipB, link, clock, socket: () => (registered as (s: unknown) => TcpSocket)(host), stats };
}

/** Server on B: echoes or serves `body` then closes. */
function serve(tcp: TcpLayer, port: number, body: Uint8Array | "echo") {
  const conns: TcpConnection[] = [];
  tcp.listen(port, (c) => conns.push(c));
  return {
    conns,
    tick(now: number) {
      for (const c of conns) {
        if (body === "echo") {
          const d = c.recvBytes();
          if (d.length) c.send(d);
          if (c.eof && c.state === "CLOSE-WAIT") c.close();
        } else if (c.state === "ESTABLISHED" && !(c as unknown as { sentAll?: boolean }).sentAll) {
          (c as unknown as { off?: number }).off ??= 0;
          const o = c as unknown as { off: number; sentAll?: boolean };
          o.off += c.send(body.subarray(o.off));
          if (o.off === body.length) {
            c.close();
            o.sentAll = true;
          }
        }
        tcp.flush(c, now);
      }
    },
  };
}

/** Runs the server on every wait of the world's host, so sockets on A see it answer. */
function serveWhileWaiting(w: ReturnType<typeof world>, srv: ReturnType<typeof serve>): void {
  const hostWait = w.host.waitFor.bind(w.host);
  w.host.waitFor = (r, d) => hostWait(() => (srv.tick(w.clock.t), r()), d);
}

describe("TcpLayer + TcpSocket over IPv4 on the simulated link", () => {
  it("installTcp registers protocol 6, the stream socket type and tcp counters", async () => {
    const w = world(1);
    serveWhileWaiting(w, serve(w.tcpB, 7, "echo"));
    const s = w.socket();
    await s.connect({ address: "10.0.2.2", port: 7 });
    expect(s.remoteAddress()).toEqual({ address: 0x0a000202, port: 7 });
    expect(s.localAddress()?.port).toBeGreaterThanOrEqual(49152);
    const msg = Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff);
    expect(await s.send(msg)).toBe(5000);
    const got: number[] = [];
    while (got.length < 5000) got.push(...(await s.recv()));
    expect(Uint8Array.from(got)).toEqual(msg);
    s.shutdown("write");
    expect((await s.recv()).length).toBe(0); // the echo server closed after our FIN
    s.close();
    expect((w.stats.tcp() as { sent: number }).sent).toBeGreaterThan(3);
  });

  it("recvNow: undefined until data arrived, then the data without waiting, empty at the peer's FIN", async () => {
    const w = world(3);
    serveWhileWaiting(w, serve(w.tcpB, 7, "echo"));
    const s = w.socket();
    await s.connect({ address: "10.0.2.2", port: 7 });
    expect(s.recvNow()).toBeUndefined();
    const msg = Uint8Array.from({ length: 3000 }, (_, i) => (i * 5) & 0xff);
    await s.send(msg);
    const got: number[] = [];
    while (got.length < msg.length) {
      await w.host.waitFor(() => s.connection!.recvAvailable > 0);
      const d = s.recvNow(1000);
      expect(d).toBeDefined();
      expect(d!.length).toBeGreaterThan(0);
      expect(d!.length).toBeLessThanOrEqual(1000);
      got.push(...d!);
    }
    expect(Uint8Array.from(got)).toEqual(msg);
    expect(s.recvNow()).toBeUndefined();
    s.shutdown("write");
    await w.host.waitFor(() => s.connection!.eof);
    expect(s.recvNow()?.length).toBe(0);
    s.close();
    expect(() => s.recvNow()).toThrow(SocketClosedError);
  });

  it("downloads 1 MiB byte-exact through loss, duplication, reordering and corruption", async () => {
    const w = world(7, { loss: 0.02, duplicate: 0.01, reorder: 0.02, corrupt: 0.001 });
    const body = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 7 + (i >> 10)) & 0xff);
    serveWhileWaiting(w, serve(w.tcpB, 80, body));
    const s = w.socket();
    await s.connect({ address: 0x0a000202, port: 80 });
    const parts: Uint8Array[] = [];
    let n = 0;
    for (;;) {
      const d = await s.recv();
      if (d.length === 0) break;
      parts.push(d);
      n += d.length;
    }
    const all = new Uint8Array(n);
    let p = 0;
    for (const d of parts) {
      all.set(d, p);
      p += d.length;
    }
    expect(n).toBe(body.length);
    expect(all.every((b, i) => b === body[i])).toBe(true);
    s.close();
  });

  it("connection refused: a SYN to a closed port gets RST -> TcpRefusedError", async () => {
    const w = world(2);
    const s = w.socket();
    await expect(s.connect({ address: "10.0.2.2", port: 81 })).rejects.toBeInstanceOf(TcpRefusedError);
    expect(w.tcpB.stats().resetsSent).toBe(1);
  });

  it("ICMP protocol unreachable in SYN-SENT -> TcpUnreachableError (host without TCP)", async () => {
    const w = world(4, {}, false);
    const s = w.socket();
    const e = await s.connect({ address: "10.0.2.2", port: 80 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TcpUnreachableError);
    expect((e as Error).message).toMatch(/^connection to 10\.0\.2\.2:80 failed: /);
  });

  it("connect honours the socket timeout with a TimeoutError", async () => {
    const w = world(3, { loss: 1 });
    const s = w.socket();
    s.timeoutMs = 2500;
    await expect(s.connect({ address: "10.0.2.2", port: 80 })).rejects.toBeInstanceOf(TimeoutError);
  });
});
