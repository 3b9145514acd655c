// Issue 15, item 7: an ACK (or PXE's cached reply) with an impossible lease is
// never bound and applied. yiaddr 255.255.255.255, 127.0.0.1 or 224.0.0.1 is
// refused with a typed error; a 0.0.0.0 netmask falls back to the classful
// prefix (as for a missing mask) instead of a /0 whose default route replaces
// the connected one; a router equal to our address or to a broadcast is ignored.
import { describe, expect, it } from "vitest";
import {
  BootOp, BOOTP_MIN_LEN, DhcpBadLeaseError, DhcpMessageType as T, DhcpOptionCode as O, DhcpTimeoutError, acquireLease, dhcpMessage,
  ipv4Option, leaseFromCachedReply, startFromCachedReply, u8Option, type DhcpMessage, type DhcpOption, type DhcpTransmit,
} from "@pxe/dhcp";
import { serveUdp, stackPair } from "@pxe/sockets/testing";
import { FakeDhcpServer } from "./fake-server.js";

const MAC = Uint8Array.of(2, 0, 0, 0, 0, 1);

/** The BOOTP bytes of an ACK granting `yiaddr` with `options`. */
function ack(yiaddr: number, options: DhcpOption[]): Uint8Array {
  const m: DhcpMessage = {
    op: BootOp.Reply, htype: 1, hops: 0, xid: 1, secs: 0, flags: 0, ciaddr: 0, yiaddr, siaddr: 0x0a000001, giaddr: 0,
    chaddr: MAC, sname: "", file: "", options: [u8Option(O.MessageType, T.Ack), ipv4Option(O.ServerId, 0x0a000001), ...options],
  };
  const out = new Uint8Array(Math.max(BOOTP_MIN_LEN, dhcpMessage.encodingLength(m)));
  dhcpMessage.encodeInto(m, out, 0);
  return out;
}

const MASK24 = ipv4Option(O.SubnetMask, 0xffffff00);

describe("impossible leases (issue 15.7)", () => {
  for (const [name, addr] of [["255.255.255.255", 0xffffffff], ["127.0.0.1", 0x7f000001], ["224.0.0.1", 0xe0000001], ["240.0.0.5", 0xf0000005]] as const) {
    it(`a cached reply granting ${name} is refused with DhcpBadLeaseError; the stack stays unconfigured`, () => {
      const p = stackPair({ a: null });
      const e = (() => {
        try {
          startFromCachedReply(p.a, ack(addr, [MASK24]));
        } catch (x) {
          return x;
        }
      })();
      expect(e).toBeInstanceOf(DhcpBadLeaseError);
      expect((e as DhcpBadLeaseError).value).toBe(name);
      expect(p.a.config.address).toBe(0);
    });
  }

  it("a DHCP server offering 255.255.255.255: no lease bound, the timeout names the refused lease", async () => {
    const p = stackPair({ a: null, b: { address: "10.0.0.1", prefix: 24 }, stepMs: 100 });
    const fake = new FakeDhcpServer(0x0a000001, 0xffffffff);
    serveUdp(p, 67, (d) => fake.handle({ payload: d.data } as DhcpTransmit).map((r) => ({ data: r, to: { address: 0xffffffff, port: 68 } })));
    const e = await acquireLease(p.a, { totalTimeoutMs: 5000 }).catch((x) => x);
    expect(e).toBeInstanceOf(DhcpTimeoutError);
    expect(e.refused).toBeInstanceOf(DhcpBadLeaseError);
    expect(e.message).toContain("255.255.255.255");
    expect(p.a.config.address).toBe(0);
  });

  it("netmask 0.0.0.0 falls back to the classful prefix: no /0, the connected route stays", () => {
    const p = stackPair({ a: null });
    const lease = startFromCachedReply(p.a, ack(0x0a000264, [ipv4Option(O.SubnetMask, 0), ipv4Option(O.Router, 0x0a000201)]));
    expect(lease.prefix).toBe(8);
    expect(p.a.config.prefix).toBe(8);
    expect(p.a.config.gateway).toBe(0x0a000201);
  });

  it("netmask 255.255.255.255 likewise (a /32 has no connected network for the router)", () => {
    const lease = leaseFromCachedReply(ack(0xc0a80105, [ipv4Option(O.SubnetMask, 0xffffffff)]));
    expect(lease.prefix).toBe(24);
  });

  it("a router equal to our own address, or a broadcast address, is ignored; a real one behind it is used", () => {
    const p = stackPair({ a: null });
    const lease = startFromCachedReply(p.a, ack(0x0a000064, [MASK24, ipv4Option(O.Router, 0x0a000064, 0x0a0000ff, 0xffffffff, 0x0a000001)]));
    expect(lease.routers).toEqual([0x0a000001]);
    expect(p.a.config.gateway).toBe(0x0a000001);
  });

  it("only impossible routers: no gateway rather than a broken one", () => {
    const p = stackPair({ a: null });
    startFromCachedReply(p.a, ack(0x0a000064, [MASK24, ipv4Option(O.Router, 0x0a000064)]));
    expect(p.a.config.gateway).toBe(0);
  });
});
