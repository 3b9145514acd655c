import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededPlatform } from "@pxe/core";
import { TcpConnection, TcpRefusedError, TcpResetError, TcpTimeoutError, type TcpState } from "@pxe/tcp";
import { CLIENT_ADDR, Netsim, RefPeer, SERVER_ADDR } from "@pxe/tcp/testing";

const HEAVY = typeof process !== "undefined" && !!process.env.PXE_TCP_HEAVY;

/** What the connection should look like, as a simple model. */
interface Model {
  started: boolean;
  connected: boolean;
  weClosed: boolean;
  peerClosed: boolean;
  ended: "refused" | "reset" | "timeout" | "aborted" | undefined;
  refuse: boolean;
  silent: boolean; // nothing answers the SYN
  sent: number; // bytes we sent
  peerSent: number; // bytes the peer sent
}

interface Real {
  conn: TcpConnection;
  peer: RefPeer;
  sim: Netsim;
  got: number[];
  sentData: number[];
  peerData: number[];
}

function expectedState(m: Model): TcpState {
  if (!m.started || m.ended) return "CLOSED";
  if (!m.connected) return "SYN-SENT";
  if (m.weClosed && m.peerClosed) return "CLOSED"; // TIME-WAIT / LAST-ACK are over after settling
  if (m.weClosed) return "FIN-WAIT-2";
  if (m.peerClosed) return "CLOSE-WAIT";
  return "ESTABLISHED";
}

/** Lets virtual time run 3 s (beyond TIME-WAIT's 1 s) or until nothing is pending. */
function settle(r: Real): void {
  r.sim.run(() => false, r.sim.now + 3000);
}

function check(m: Model, r: Real): void {
  expect(r.conn.state).toBe(expectedState(m));
  expect(r.got.length).toBe(m.ended ? r.got.length : m.peerSent);
  expect(r.got).toEqual(r.peerData.slice(0, r.got.length));
  if (!m.ended || m.ended === "aborted") expect(Array.from(r.peer.received())).toEqual(r.sentData.slice(0, r.peer.receivedLength));
  if (!m.ended && m.connected) expect(r.peer.receivedLength).toBe(m.sent);
  const err = r.conn.error;
  if (m.ended === "refused") expect(err).toBeInstanceOf(TcpRefusedError);
  else if (m.ended === "reset") expect(err).toBeInstanceOf(TcpResetError);
  else if (m.ended === "timeout") expect(err).toBeInstanceOf(TcpTimeoutError);
  else expect(err).toBeUndefined();
}

const open = (m: Model) => m.connected && !m.ended;

class Connect implements fc.Command<Model, Real> {
  check = (m: Readonly<Model>) => !m.started;
  run(m: Model, r: Real) {
    m.started = true;
    if (m.silent) r.sim.dropIf = () => true;
    r.conn.connect(r.sim.now);
    if (m.silent) r.sim.run(() => r.conn.state === "CLOSED", r.sim.now + 3_600_000);
    settle(r);
    if (m.silent) m.ended = "timeout";
    else if (m.refuse) m.ended = "refused";
    else m.connected = true;
    check(m, r);
  }
  toString = () => "connect";
}

class Send implements fc.Command<Model, Real> {
  constructor(readonly data: Uint8Array) {}
  check = (m: Readonly<Model>) => open(m) && !m.weClosed;
  run(m: Model, r: Real) {
    expect(r.conn.send(this.data)).toBe(this.data.length);
    r.sentData.push(...this.data);
    m.sent += this.data.length;
    settle(r);
    check(m, r);
  }
  toString = () => `send(${this.data.length})`;
}

class PeerSend implements fc.Command<Model, Real> {
  constructor(readonly data: Uint8Array) {}
  check = (m: Readonly<Model>) => open(m) && !m.peerClosed;
  run(m: Model, r: Real) {
    r.peer.write(this.data);
    r.peerData.push(...this.data);
    m.peerSent += this.data.length;
    settle(r);
    check(m, r);
  }
  toString = () => `peerSend(${this.data.length})`;
}

class Close implements fc.Command<Model, Real> {
  check = (m: Readonly<Model>) => open(m) && !m.weClosed;
  run(m: Model, r: Real) {
    r.conn.close();
    m.weClosed = true;
    settle(r);
    check(m, r);
  }
  toString = () => "close";
}

class PeerClose implements fc.Command<Model, Real> {
  check = (m: Readonly<Model>) => open(m) && !m.peerClosed;
  run(m: Model, r: Real) {
    r.peer.close();
    m.peerClosed = true;
    settle(r);
    check(m, r);
  }
  toString = () => "peerClose";
}

class PeerReset implements fc.Command<Model, Real> {
  check = (m: Readonly<Model>) => open(m) && !(m.weClosed && m.peerClosed);
  run(m: Model, r: Real) {
    r.peer.reset();
    m.ended = "reset";
    settle(r);
    check(m, r);
  }
  toString = () => "peerReset";
}

class Abort implements fc.Command<Model, Real> {
  check = (m: Readonly<Model>) => open(m) && !(m.weClosed && m.peerClosed);
  run(m: Model, r: Real) {
    r.conn.abort();
    m.ended = "aborted";
    settle(r);
    check(m, r);
    expect(r.peer.resetsSeen).toBeGreaterThanOrEqual(1); // the channel may duplicate it
  }
  toString = () => "abort";
}

class PeerVanishes implements fc.Command<Model, Real> {
  check = (m: Readonly<Model>) => open(m) && !m.weClosed;
  run(m: Model, r: Real) {
    r.sim.dropIf = () => true;
    r.conn.send(Uint8Array.of(1, 2, 3));
    r.sim.run(() => r.conn.state === "CLOSED", r.sim.now + 3_600_000);
    m.ended = "timeout";
    check(m, r);
  }
  toString = () => "peerVanishes";
}

class Wait implements fc.Command<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  run(m: Model, r: Real) {
    r.sim.run(() => false, r.sim.now + this.ms);
    check(m, r);
  }
  toString = () => `wait(${this.ms})`;
}

describe("TCP connection vs a model (fc.commands, virtual time)", () => {
  it("observable state and byte streams match the model", () => {
    const bytes = fc.uint8Array({ minLength: 1, maxLength: 20_000 });
    const commands = fc.commands(
      [
        fc.constant(new Connect()),
        bytes.map((d) => new Send(d)),
        bytes.map((d) => new PeerSend(d)),
        fc.constant(new Close()),
        fc.constant(new PeerClose()),
        fc.constant(new PeerReset()),
        fc.constant(new Abort()),
        fc.constant(new PeerVanishes()),
        fc.integer({ min: 1, max: 120_000 }).map((ms) => new Wait(ms)),
      ],
      { maxCommands: 14 },
    );
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom("listening", "listening", "refuses", "silent"), fc.constantFrom(0, 0.03), commands, (seed, peerKind, impair, cmds) => {
        const conn = new TcpConnection({ platform: seededPlatform(seed), localAddr: CLIENT_ADDR, localPort: 49152, remoteAddr: SERVER_ADDR, remotePort: 80 });
        const peer = new RefPeer({ refuse: peerKind === "refuses", closeOnFin: false });
        const sim = new Netsim({ a: conn, b: peer, aAddr: CLIENT_ADDR, bAddr: SERVER_ADDR, seed, channel: { duplicate: impair, reorder: impair, latencyMs: 1 } });
        const real: Real = { conn, peer, sim, got: [], sentData: [], peerData: [] };
        sim.tick = () => {
          while (conn.recvAvailable > 0) real.got.push(...conn.recvBytes());
        };
        const model: Model = { started: false, connected: false, weClosed: false, peerClosed: false, ended: undefined, refuse: peerKind === "refuses", silent: peerKind === "silent", sent: 0, peerSent: 0 };
        fc.modelRun(() => ({ model, real }), cmds);
      }),
      { numRuns: HEAVY ? 4000 : 200, interruptAfterTimeLimit: HEAVY ? 600_000 : 10_000 },
    );
  });
});
