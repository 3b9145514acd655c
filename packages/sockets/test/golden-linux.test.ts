import { describe, expect, it } from "vitest";
import { fromHex, ManualClock, seededPlatform, toHex } from "@pxe/core";
import { IcmpErrorReport, ipv4Datagram, readIcmp, readIpv4Header } from "@pxe/ip";
import { MemoryLink } from "@pxe/ip/testing";
import { readUdp } from "@pxe/udp";
import { Stack, virtualHost } from "@pxe/sockets";
import * as F from "./fixtures/linux-frames.js";

function ours() {
  const clock = new ManualClock(0);
  const [link, linux] = MemoryLink.pair(Uint8Array.of(0x52, 0x54, 0, 0x12, 0x34, 0x56), Uint8Array.of(2, 0, 0, 0, 2, 2));
  const stack = new Stack({ link, platform: seededPlatform(1, clock), config: { address: "10.0.2.15", prefix: 24 }, driver: virtualHost(clock) });
  return { stack, link, linux, clock };
}

describe("golden frames from Linux", () => {
  it("our ARP reply to Linux's request is byte-exact", () => {
    const { stack, link } = ours();
    expect(stack.ip.receiveFrame(fromHex(F.LINUX_ARP_REQUEST), 0)).toBe("ok");
    expect(toHex(link.sentFrames[0])).toBe(F.OUR_ARP_REPLY);
  });

  it("our echo reply to busybox ping matches the captured one (ICMP exact, IP but for the id)", () => {
    const { stack, link } = ours();
    stack.ip.receiveFrame(fromHex(F.LINUX_ARP_REQUEST), 0);
    expect(stack.ip.receiveFrame(fromHex(F.LINUX_ECHO_REQUEST), 0)).toBe("ok");
    const got = link.sentFrames[1], want = fromHex(F.OUR_ECHO_REPLY);
    expect(toHex(got.subarray(0, 14))).toBe(toHex(want.subarray(0, 14)));
    const g = readIpv4Header(got, 14, got.length), w = readIpv4Header(want, 14, want.length);
    expect({ ...g, id: 0 }).toEqual({ ...w, id: 0 });
    expect(toHex(got.subarray(34))).toBe(toHex(want.subarray(34)));
    expect(readIcmp(got, 34, got.length)).toMatchObject({ kind: "echoReply", id: 0x753f, seq: 0 });
  });

  it("our captured UDP datagram has a checksum Linux accepted, and its port unreachable reaches the socket", async () => {
    const udp = fromHex(F.OUR_UDP_TO_CLOSED_PORT);
    const h = ipv4Datagram.decode(udp, 14, udp.length).value.header;
    expect(readUdp(udp, 34, udp.length, h.src, h.dst)).toMatchObject({ srcPort: 63347, dstPort: 9, checksummed: true });
    const { stack, linux } = ours();
    stack.ip.receiveFrame(fromHex(F.LINUX_ARP_REQUEST), 0); // learn Linux's MAC
    const s = stack.udpSocket({ port: 63347 });
    await s.connect({ address: "10.0.2.2", port: 9 });
    linux.transmit(fromHex(F.LINUX_PORT_UNREACHABLE));
    const e = await s.recv({ timeoutMs: 100 }).catch((x) => x);
    expect(e).toBeInstanceOf(IcmpErrorReport);
    expect(e).toMatchObject({ icmpType: 3, icmpCode: 3, port: 9 });
    expect(e.message).toBe("port unreachable: 10.0.2.2:9 (reported by 10.0.2.2)");
  });
});
