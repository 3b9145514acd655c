import { describe, expect, it } from "vitest";
import { asciiBytes, TimeoutError } from "@pxe/core";
import { ArpTimeoutError, IcmpErrorReport, parseIpv4 } from "@pxe/ip";
import { stackPair } from "@pxe/sockets/testing";
import { NoResolverError, NotConnectedError, SocketClosedError, UnsupportedSocketTypeError, WouldBlockError, type StreamSocket } from "@pxe/sockets";
import { AddressInUseError } from "@pxe/udp";

describe("two stacks over an in-memory link", () => {
  it("echo a UDP datagram (ARP resolves on the way)", async () => {
    const { a, b } = stackPair();
    const server = b.udpSocket({ port: 7 });
    const client = a.socket("dgram");
    client.sendTo(asciiBytes("hello"), { address: "10.0.0.2", port: 7 });
    const got = await server.recvFrom({ timeoutMs: 1000 });
    expect(Array.from(got.data)).toEqual(Array.from(asciiBytes("hello")));
    expect(got.from.address).toBe(parseIpv4("10.0.0.1"));
    server.sendTo(got.data, got.from);
    const back = await client.recvFrom({ timeoutMs: 1000 });
    expect(back.from).toEqual({ address: parseIpv4("10.0.0.2"), port: 7 });
    expect(a.arpEntries().map((e) => e.state)).toEqual(["reachable"]);
  });

  it("ping gets replies with RTT statistics", async () => {
    const { a } = stackPair();
    const st = await a.ping("10.0.0.2", { count: 3, intervalMs: 100 });
    expect(st.transmitted).toBe(3);
    expect(st.received).toBe(3);
    expect(st.lossPercent).toBe(0);
    expect(st.replies.map((r) => r.seq)).toEqual([0, 1, 2]);
  });

  it("a closed port yields ICMP port unreachable delivered to the sender's socket", async () => {
    const { a } = stackPair();
    const s = a.socket("dgram");
    await s.connect({ address: "10.0.0.2", port: 9999 });
    await s.send(Uint8Array.of(1));
    await expect(s.recv({ timeoutMs: 1000 })).rejects.toBeInstanceOf(IcmpErrorReport);
  });

  it("no ARP reply: ArpTimeoutError on the socket, after 3 tries", async () => {
    const { a } = stackPair();
    const s = a.socket("dgram");
    s.sendTo(Uint8Array.of(1), { address: "10.0.0.77", port: 9 });
    const e = await s.recvFrom({ timeoutMs: 10_000 }).catch((x) => x);
    expect(e).toBeInstanceOf(ArpTimeoutError);
    expect(e.message).toBe("no ARP reply from 10.0.0.77 (after 3 requests)");
  });

  it("timeouts and nonblocking", async () => {
    const { a } = stackPair();
    const s = a.udpSocket({ port: 1234 });
    await expect(s.recvFrom({ timeoutMs: 50 })).rejects.toBeInstanceOf(TimeoutError);
    s.nonblocking = true;
    await expect(s.recvFrom()).rejects.toBeInstanceOf(WouldBlockError);
  });
});

describe("sockets edge cases", () => {
  it("closing a socket wakes a pending recvFrom with SocketClosedError", async () => {
    const { a } = stackPair();
    const s = a.udpSocket({ port: 5000 });
    const p = s.recvFrom({ timeoutMs: 1000 });
    s.close();
    await expect(p).rejects.toBeInstanceOf(SocketClosedError);
    expect(() => s.sendTo(Uint8Array.of(1), { address: "10.0.0.2", port: 1 })).toThrow(SocketClosedError);
    // The port is free again.
    expect(a.udpSocket({ port: 5000 }).localAddress()).toEqual({ address: 0, port: 5000 });
  });

  it("binding a taken port fails; send on an unconnected socket fails", async () => {
    const { a } = stackPair();
    a.udpSocket({ port: 53 });
    expect(() => a.udpSocket({ port: 53 })).toThrow(AddressInUseError);
    await expect(a.socket("dgram").send(Uint8Array.of(1))).rejects.toBeInstanceOf(NotConnectedError);
    expect(() => a.socket("stream")).toThrow(UnsupportedSocketTypeError);
  });

  it("ping of a silent address reports loss and the ARP timeout", async () => {
    const { a } = stackPair();
    const st = await a.ping("10.0.0.99", { count: 2, intervalMs: 100, timeoutMs: 5000 });
    expect(st).toMatchObject({ transmitted: 2, received: 0, lossPercent: 100 });
    expect(st.errors[0]).toBe("no ARP reply from 10.0.0.99 (after 3 requests)");
  });

  it("interfaceInfo has what ifconfig shows", () => {
    const { a } = stackPair();
    expect(a.interfaceInfo()).toMatchObject({ name: "mem-a", mtu: 1500, address: parseIpv4("10.0.0.1"), prefix: 24, gateway: 0 });
    expect(Array.from(a.interfaceInfo().mac)).toEqual([2, 0, 0, 0, 0, 1]);
  });

  it("names resolve through a registered resolver", async () => {
    const { a } = stackPair();
    await expect(a.ping("peer")).rejects.toBeInstanceOf(NoResolverError);
    a.setResolver(async (n) => (n === "peer" ? parseIpv4("10.0.0.2") : Promise.reject(new Error("nx"))));
    expect((await a.ping("peer", { count: 1 })).received).toBe(1);
  });

  it("a registered stream socket type and protocol plug in without changing callers", () => {
    const { a } = stackPair();
    const fake = { kind: "stream" } as unknown as StreamSocket;
    a.registerSocketType("stream", () => fake);
    const seen: number[] = [];
    a.registerProtocol(6, { receive: (p) => (seen.push(p.end - p.start), "ok") }, { name: "tcp", counters: () => ({ segments: seen.length }) });
    expect(a.socket("stream")).toBe(fake);
    expect(a.stats().tcp).toEqual({ segments: 0 });
  });
});
