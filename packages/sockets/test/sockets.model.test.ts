import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesEqual } from "@pxe/core";
import { IcmpErrorReport, parseIpv4 } from "@pxe/ip";
import { AddressInUseError } from "@pxe/udp";
import { SocketClosedError, type UdpSocket } from "@pxe/sockets";
import { stackPair, type StackPair } from "@pxe/sockets/testing";

const ADDR = [parseIpv4("10.0.0.1"), parseIpv4("10.0.0.2")];
const PORTS = [7, 53, 68, 0];

interface MSock {
  side: 0 | 1;
  port: number;
  closed: boolean;
  queue: Uint8Array[];
  error: boolean;
}
interface Model {
  socks: MSock[];
}
interface Real {
  net: StackPair;
  socks: UdpSocket[];
}
type Cmd = fc.Command<Model, Real>;

/** Lets both stacks process everything in flight (the in-memory link has no delay). */
function settle(r: Real): void {
  for (let i = 0; i < 4; i++) {
    r.net.a.poll(r.net.clock.time);
    r.net.b.poll(r.net.clock.time);
  }
}

class Open implements Cmd {
  constructor(readonly side: 0 | 1, readonly port: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const stack = this.side ? r.net.b : r.net.a;
    const taken = this.port !== 0 && m.socks.some((s) => !s.closed && s.side === this.side && s.port === this.port);
    if (taken) {
      expect(() => stack.udpSocket({ port: this.port })).toThrow(AddressInUseError);
      return;
    }
    const s = stack.udpSocket({ port: this.port });
    const port = s.localAddress()!.port;
    if (this.port === 0) expect(port).toBeGreaterThanOrEqual(49152);
    m.socks.push({ side: this.side, port, closed: false, queue: [], error: false });
    r.socks.push(s);
  }
  toString = () => `open(${this.side}, ${this.port})`;
}

class Close implements Cmd {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>) => m.socks.length > 0;
  run(m: Model, r: Real): void {
    const k = this.i % m.socks.length;
    m.socks[k].closed = true;
    m.socks[k].queue = [];
    r.socks[k].close();
  }
  toString = () => `close(${this.i})`;
}

class Send implements Cmd {
  constructor(readonly i: number, readonly toPort: number, readonly data: Uint8Array) {}
  check = (m: Readonly<Model>) => m.socks.length > 0;
  run(m: Model, r: Real): void {
    const k = this.i % m.socks.length;
    const from = m.socks[k];
    const to = { address: ADDR[1 - from.side], port: this.toPort };
    if (from.closed) {
      expect(() => r.socks[k].sendTo(this.data, to)).toThrow(SocketClosedError);
      return;
    }
    r.socks[k].sendTo(this.data, to);
    settle(r);
    const dst = m.socks.find((s) => !s.closed && s.side === 1 - from.side && s.port === this.toPort);
    if (dst) dst.queue.push(this.data);
    else from.error = true; // ICMP port unreachable comes back to the sender
  }
  toString = () => `send(${this.i} -> :${this.toPort}, ${this.data.length} bytes)`;
}

class Recv implements Cmd {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>) => m.socks.length > 0;
  run(m: Model, r: Real): void {
    const k = this.i % m.socks.length;
    const s = m.socks[k];
    if (s.closed) {
      expect(() => r.socks[k].tryRecvFrom()).toThrow(SocketClosedError);
      return;
    }
    if (s.error) {
      s.error = false;
      expect(() => r.socks[k].tryRecvFrom()).toThrow(IcmpErrorReport);
      return;
    }
    const want = s.queue.shift();
    const got = r.socks[k].tryRecvFrom();
    expect(got === undefined ? undefined : bytesEqual(got.data, want ?? new Uint8Array(0)) && got.from.address === ADDR[1 - s.side]).toBe(want === undefined ? undefined : true);
  }
  toString = () => `recv(${this.i})`;
}

describe("UDP sockets vs model (fast-check commands)", () => {
  it("bind conflicts, delivery per port, port-unreachable errors, close", () => {
    const cmds = [
      fc.tuple(fc.constantFrom<0 | 1>(0, 1), fc.constantFrom(...PORTS)).map(([s, p]) => new Open(s, p)),
      fc.nat().map((i) => new Close(i)),
      fc.tuple(fc.nat(), fc.constantFrom(...PORTS.filter((p) => p !== 0), 9), fc.uint8Array({ maxLength: 40 })).map(([i, p, d]) => new Send(i, p, d)),
      fc.nat().map((i) => new Recv(i)),
    ];
    fc.assert(
      fc.property(fc.commands(cmds, { maxCommands: 40 }), (c) => {
        fc.modelRun(() => ({ model: { socks: [] }, real: { net: stackPair(), socks: [] } }), c);
      }),
      { numRuns: 150 },
    );
  });
});
