import { ManualClock, seededPlatform } from "@pxe/core";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  DhcpClient, DhcpMessageType as T, DhcpOptionCode as O, DhcpTimeoutError, dhcpMessage, findOption, messageTypeOf,
  readString, readU16, type DhcpTransmit, type DhcpClientConfig, backoffDelay, RFC2131_BACKOFF,
} from "@pxe/dhcp";
import { FakeDhcpServer, Lossy } from "./fake-server.js";

const MAC = Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, 0x56);

function client(seed = 1, extra: Partial<DhcpClientConfig> = {}): DhcpClient {
  return new DhcpClient({ mac: MAC, random: seededPlatform(seed), ...extra });
}

/**
 * Drives client and server in virtual time until the client is bound or
 * failed; returns the send times. `path` may drop datagrams either way.
 */
function run(c: DhcpClient, server: FakeDhcpServer, clock: ManualClock, path?: Lossy, limit = 1000): number[] {
  const sendTimes: number[] = [];
  c.start(clock.time);
  for (let i = 0; i < limit && c.state !== "bound" && c.state !== "failed"; i++) {
    const at = c.pollAt();
    if (at > clock.time) clock.time = at;
    for (const t of c.poll(clock.time)) {
      sendTimes.push(clock.time);
      if (path && !path.pass()) continue;
      for (const r of server.handle(t)) {
        if (path && !path.pass()) continue;
        c.receive(clock.time, r);
      }
    }
  }
  return sendTimes;
}

function decodeT(t: DhcpTransmit) {
  return dhcpMessage.decode(t.payload, 0, t.payload.length).value;
}

describe("DhcpClient", () => {
  it("DISCOVER → OFFER → REQUEST → ACK binds with the lease fields", () => {
    const c = client();
    const s = new FakeDhcpServer();
    const clock = new ManualClock(1000);
    run(c, s, clock);
    expect(c.state).toBe("bound");
    const l = c.lease!;
    expect(l.address).toBe(0x0a000064);
    expect(l.subnetMask).toBe(0xffffff00);
    expect(l.routers).toEqual([0x0a000001]);
    expect(l.dnsServers).toEqual([0x0a000001, 0x0a000002]);
    expect(l.domainName).toBe("lab.example");
    expect(l.bootFile).toBe("pxelinux.0");
    expect(l.leaseTime).toBe(3600);
    expect(l.serverId).toBe(0x0a000001);
    expect(s.seen.map(messageTypeOf)).toEqual([T.Discover, T.Request]);
    const ev = c.takeEvents();
    expect(ev.map((e) => e.type)).toEqual(["bound"]);
  });

  it("sends PXE identity options: arch 93 = 0, vendor class 60, client id 61, parameter list 55, broadcast flag", () => {
    const c = client(2, { hostname: "node7" });
    c.start(0);
    const [t] = c.poll(0);
    expect(t.dst).toBe(0xffffffff);
    expect(t.src).toBe(0);
    expect(t.dstPort).toBe(67);
    expect(t.srcPort).toBe(68);
    expect(t.payload.length).toBeGreaterThanOrEqual(300);
    const m = decodeT(t);
    expect(m.xid).toBe(c.transactionId);
    expect(m.flags & 0x8000).toBe(0x8000);
    expect(readU16(findOption(m, O.ClientArch))).toBe(0);
    expect(readString(findOption(m, O.VendorClass))).toBe("PXEClient:Arch:00000:UNDI:002001");
    expect(Array.from(findOption(m, O.ClientId)!)).toEqual([1, ...MAC]);
    expect(Array.from(findOption(m, O.ParameterRequestList)!)).toEqual(expect.arrayContaining([1, 3, 6, 12, 15, 17, 51, 54, 66, 67, 72]));
    expect(readString(findOption(m, O.HostName))).toBe("node7");
  });

  it("retransmits with RFC 2131 backoff (4, 8, 16, 32, 64, 64 s ±1 s) and fails with DhcpTimeoutError", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const c = client(seed, { totalTimeoutMs: 300_000 });
        const s = new FakeDhcpServer();
        s.silent = true;
        const clock = new ManualClock(0);
        const times = run(c, s, clock);
        const gaps = times.slice(1).map((t, i) => t - times[i]);
        const nominal = [4000, 8000, 16000, 32000, 64000, 64000, 64000, 64000];
        gaps.forEach((g, i) => {
          expect(Math.abs(g - nominal[i])).toBeLessThanOrEqual(1000);
        });
        expect(times.length).toBeGreaterThanOrEqual(6);
        expect(c.state).toBe("failed");
        expect(c.error).toBeInstanceOf(DhcpTimeoutError);
        expect(c.error!.phase).toBe("offer");
        expect(clock.time).toBe(300_000);
        const events = c.takeEvents();
        expect(events[events.length - 1]).toMatchObject({ type: "failed" });
        // every retransmission keeps the xid (same exchange)
        expect(new Set(s.seen.map((m) => m.xid)).size).toBe(1);
      }),
      { numRuns: 30 },
    );
  });

  it("backoff jitter spans the whole ±1 s range", () => {
    expect(backoffDelay(RFC2131_BACKOFF, 1, 0)).toBe(3000);
    expect(backoffDelay(RFC2131_BACKOFF, 1, 0xffff)).toBe(5000);
    expect(backoffDelay(RFC2131_BACKOFF, 9, 0x7fff)).toBe(64000);
  });

  it("ignores replies with a foreign xid or chaddr and takes the first OFFER", () => {
    const c = client(3);
    c.start(0);
    const [d] = c.poll(0);
    const s1 = new FakeDhcpServer(0x0a000001, 0x0a000064);
    const s2 = new FakeDhcpServer(0x0a000002, 0x0a0000c8);
    const [o1] = s1.handle(d);
    const [o2] = s2.handle(d);
    const wrongXid = o1.slice();
    wrongXid[4] ^= 0xff;
    c.receive(0, wrongXid);
    const wrongMac = o1.slice();
    wrongMac[28 + 5] ^= 1;
    c.receive(0, wrongMac);
    c.receive(0, Uint8Array.of(1, 2, 3));
    expect(c.state).toBe("selecting");
    c.receive(0, o2);
    c.receive(0, o1);
    expect(c.state).toBe("requesting");
    const [r] = c.poll(0);
    const req = decodeT(r);
    expect(messageTypeOf(req)).toBe(T.Request);
    expect(findOption(req, O.ServerId)).toEqual(Uint8Array.of(10, 0, 0, 2));
    expect(findOption(req, O.RequestedAddress)).toEqual(Uint8Array.of(10, 0, 0, 200));
    expect(c.stats.ignored.xid).toBe(1);
    expect(c.stats.ignored.chaddr).toBe(1);
    expect(c.stats.ignored.malformed).toBe(1);
    // the ACK from the server we did not choose is ignored
    const [ackFromS1] = s1.handle(r);
    expect(ackFromS1).toBeUndefined();
  });

  it("restarts with a new xid after a NAK and still binds", () => {
    const c = client(4);
    const s = new FakeDhcpServer();
    s.nakNext = 2;
    run(c, s, new ManualClock(0));
    expect(c.state).toBe("bound");
    expect(c.stats.naks).toBe(2);
    expect(s.seen.map(messageTypeOf)).toEqual([T.Discover, T.Request, T.Discover, T.Request, T.Discover, T.Request]);
    expect(new Set(s.seen.map((m) => m.xid)).size).toBe(3);
  });

  it("gives up on an OFFER whose REQUESTs go unanswered and DISCOVERs again", () => {
    const c = client(5, { requestAttempts: 2, totalTimeoutMs: 600_000 });
    const s = new FakeDhcpServer();
    let requests = 0;
    const types: (number | undefined)[] = [];
    const handle = s.handle.bind(s);
    s.handle = (t) => {
      const type = messageTypeOf(decodeT(t));
      types.push(type);
      return type === T.Request && requests++ < 2 ? [] : handle(t);
    };
    run(c, s, new ManualClock(0));
    expect(c.state).toBe("bound");
    expect(types).toEqual([T.Discover, T.Request, T.Request, T.Discover, T.Request]);
  });

  it("times out in phase 'ack' when only OFFERs arrive", () => {
    const c = client(6, { totalTimeoutMs: 30_000 });
    const s = new FakeDhcpServer();
    const handle = s.handle.bind(s);
    s.handle = (t) => (messageTypeOf(decodeT(t)) === T.Request ? [] : handle(t));
    run(c, s, new ManualClock(0));
    expect(c.state).toBe("failed");
    expect(c.error!.phase).toBe("ack");
  });

  it("still binds through 20% loss each way (seeded, many seeds)", () => {
    let binds = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const c = client(seed, { totalTimeoutMs: 300_000 });
      const path = new Lossy(0.2, seed * 7919);
      run(c, new FakeDhcpServer(), new ManualClock(0), path);
      if (c.state === "bound") binds++;
    }
    // P(fail) per seed is tiny with 300 s of retries; all seeds bind.
    expect(binds).toBe(200);
  });

  it("renews at T1 (unicast), rebinds at T2 (broadcast), loses the lease at expiry", () => {
    const c = client(7);
    const s = new FakeDhcpServer();
    const clock = new ManualClock(0);
    run(c, s, clock);
    const boundAt = clock.time;
    c.takeEvents();
    expect(c.pollAt()).toBe(boundAt + 1800_000);
    // server silent from now on
    s.silent = true;
    clock.time = c.pollAt();
    let [t] = c.poll(clock.time);
    expect(c.state).toBe("renewing");
    expect(t.dst).toBe(0x0a000001);
    expect(t.src).toBe(0x0a000064);
    expect(decodeT(t).ciaddr).toBe(0x0a000064);
    const sent: DhcpTransmit[] = [t];
    while (c.state === "renewing" || c.state === "rebinding") {
      clock.time = c.pollAt();
      sent.push(...c.poll(clock.time));
    }
    expect(sent.some((x) => x.dst === 0xffffffff && decodeT(x).ciaddr === 0x0a000064)).toBe(true);
    expect(clock.time).toBe(boundAt + 3600_000);
    expect(c.state).toBe("selecting");
    expect(c.takeEvents()).toMatchObject([{ type: "lost", reason: "expired" }]);
    // a server answering the renewal extends the lease
    const c2 = client(8);
    const s2 = new FakeDhcpServer();
    const clock2 = new ManualClock(0);
    run(c2, s2, clock2);
    c2.takeEvents();
    clock2.time = c2.pollAt();
    [t] = c2.poll(clock2.time);
    for (const r of s2.handle(t)) c2.receive(clock2.time, r);
    expect(c2.state).toBe("bound");
    expect(c2.takeEvents()).toMatchObject([{ type: "renewed" }]);
    expect(c2.pollAt()).toBe(clock2.time + 1800_000);
  });

  it("release and decline produce the right messages", () => {
    const c = client(9);
    const s = new FakeDhcpServer();
    run(c, s, new ManualClock(0));
    const d = c.decline(100_000);
    expect(messageTypeOf(decodeT(d))).toBe(T.Decline);
    expect(findOption(decodeT(d), O.RequestedAddress)).toEqual(Uint8Array.of(10, 0, 0, 100));
    expect(c.state).toBe("selecting");
    expect(c.pollAt()).toBe(110_000);
    const c2 = client(10);
    run(c2, s, new ManualClock(0));
    const r = c2.release(5000);
    expect(messageTypeOf(decodeT(r))).toBe(T.Release);
    expect(r.dst).toBe(0x0a000001);
    expect(c2.state).toBe("released");
    expect(c2.lease).toBeUndefined();
  });
});

describe("DhcpClient receive path fuzz", () => {
  it("arbitrary datagrams in any state never throw and never bind", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 700 }), { maxLength: 20 }), fc.integer({ min: 0, max: 2 }), (datagrams, phase) => {
        const c = client(phase + 100);
        const s = new FakeDhcpServer();
        c.start(0);
        let [t] = c.poll(0);
        if (phase >= 1) {
          for (const r of s.handle(t)) c.receive(0, r);
          [t] = c.poll(0);
        }
        if (phase === 2) for (const r of s.handle(t)) c.receive(0, r);
        const before = c.state;
        for (const d of datagrams) c.receive(1, d);
        expect(c.state).toBe(before);
        expect(c.stats.received).toBe(datagrams.length + (phase >= 1 ? 1 : 0) + (phase === 2 ? 1 : 0));
      }),
      { numRuns: 200 },
    );
  });
});
