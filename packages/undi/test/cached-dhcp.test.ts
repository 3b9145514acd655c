import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { encode, WireError } from "@pxe/core";
import { rejectsOnlyTyped } from "@pxe/core/testing";
import { bootpCodec, parseCachedDhcp, ip4FromString, type BootpPacket } from "@pxe/undi";
import { arbCachedDhcpAck, defaultDhcpAck } from "@pxe/undi/testing";

const ascii = (s: string) => Uint8Array.from(Array.from(s, (c) => c.charCodeAt(0)));

function packet(p: Partial<BootpPacket>): BootpPacket {
  return {
    op: 2, htype: 1, hlen: 6, hops: 0, xid: 1, secs: 0, flags: 0, ciaddr: "0.0.0.0", yiaddr: "10.0.2.15", siaddr: "10.0.2.2", giaddr: "0.0.0.0",
    chaddr: new Uint8Array(16), sname: new Uint8Array(64), file: new Uint8Array(128), options: [], ...p,
  };
}

describe("parseCachedDhcp", () => {
  it("reads the QEMU-like default ACK", () => {
    const mac = Uint8Array.of(0x52, 0x54, 0, 0x12, 0x34, 0x56);
    const info = parseCachedDhcp(defaultDhcpAck(mac, "pxehttp.0"));
    expect(info.messageType).toBe(5);
    expect(info.yourIp).toBe("10.0.2.15");
    expect(info.nextServer).toBe("10.0.2.2");
    expect(info.subnetMask).toBe("255.255.255.0");
    expect(info.routers).toEqual(["10.0.2.2"]);
    expect(info.dnsServers).toEqual(["10.0.2.3"]);
    expect(info.serverId).toBe("10.0.2.2");
    expect(info.leaseTime).toBe(86400);
    expect(info.bootFile).toBe("pxehttp.0");
    expect(Array.from(info.clientMac)).toEqual(Array.from(mac));
  });

  it("every well-known option comes out typed", () => {
    const p = packet({
      options: [
        { code: 12, data: ascii("client1") }, { code: 15, data: ascii("example.org") }, { code: 17, data: ascii("/srv/root") },
        { code: 43, data: Uint8Array.of(6, 1, 8) }, { code: 60, data: ascii("PXEClient") }, { code: 66, data: ascii("tftp.example.org") },
        { code: 67, data: ascii("boot/pxehttp.0") }, { code: 72, data: Uint8Array.of(10, 0, 0, 1, 10, 0, 0, 2) },
      ],
    });
    const info = parseCachedDhcp(encode(bootpCodec, p));
    expect(info.hostName).toBe("client1");
    expect(info.domainName).toBe("example.org");
    expect(info.rootPath).toBe("/srv/root");
    expect(Array.from(info.vendorSpecific!)).toEqual([6, 1, 8]);
    expect(info.vendorClass).toBe("PXEClient");
    expect(info.tftpServerName).toBe("tftp.example.org");
    expect(info.bootFile).toBe("boot/pxehttp.0");
    expect(info.wwwServers).toEqual(["10.0.0.1", "10.0.0.2"]);
  });

  it("falls back to the sname/file fields without options 66/67", () => {
    const sname = new Uint8Array(64);
    sname.set(ascii("server"));
    const file = new Uint8Array(128);
    file.set(ascii("pxelinux.0"));
    const info = parseCachedDhcp(encode(bootpCodec, packet({ sname, file })));
    expect(info.tftpServerName).toBe("server");
    expect(info.bootFile).toBe("pxelinux.0");
  });

  it("honours option overload (52): options in file and sname", () => {
    const file = new Uint8Array(128);
    file.set([3, 4, 10, 0, 2, 1, 255]);
    const sname = new Uint8Array(64);
    sname.set([12, 2, 0x68, 0x69, 255]);
    const info = parseCachedDhcp(encode(bootpCodec, packet({ file, sname, options: [{ code: 52, data: Uint8Array.of(3) }] })));
    expect(info.routers).toEqual(["10.0.2.1"]);
    expect(info.hostName).toBe("hi");
    expect(info.bootFile).toBeUndefined();
    expect(info.tftpServerName).toBeUndefined();
  });

  it("concatenates repeated options (RFC 3396)", () => {
    const info = parseCachedDhcp(encode(bootpCodec, packet({ options: [{ code: 6, data: ip4FromString("1.1.1.1") }, { code: 6, data: ip4FromString("8.8.8.8") }] })));
    expect(info.dnsServers).toEqual(["1.1.1.1", "8.8.8.8"]);
  });

  it("plain BOOTP (no magic cookie) has no options", () => {
    const b = encode(bootpCodec, packet({}));
    b.fill(0, 236);
    const info = parseCachedDhcp(b.subarray(0, 300));
    expect(info.packet.options).toEqual([]);
    expect(info.messageType).toBeUndefined();
  });

  it("truncation and bad lengths are WireErrors", () => {
    const good = defaultDhcpAck(new Uint8Array(6));
    expect(() => parseCachedDhcp(good.subarray(0, 200))).toThrow(WireError);
    expect(() => parseCachedDhcp(good.subarray(0, good.length - 3))).toThrow(WireError);
    expect(() => parseCachedDhcp(encode(bootpCodec, packet({ options: [{ code: 1, data: Uint8Array.of(255, 255, 0) }] })))).toThrow(/option 1/);
    expect(() => parseCachedDhcp(encode(bootpCodec, packet({ options: [{ code: 52, data: Uint8Array.of(7) }] })))).toThrow(WireError);
  });

  it("generated ACKs parse back to their facts", () => {
    fc.assert(fc.property(arbCachedDhcpAck(), (p) => {
      const info = parseCachedDhcp(encode(bootpCodec, p));
      expect(info.yourIp).toBe(p.yiaddr);
      expect(info.messageType).toBe(5);
      expect(info.dnsServers.length).toBeGreaterThan(0);
    }), { numRuns: 100 });
  });

  it("arbitrary bytes parse or throw WireError only", () => {
    const base = defaultDhcpAck(new Uint8Array(6));
    rejectsOnlyTyped((d) => parseCachedDhcp(d), { maxLength: 400 });
    rejectsOnlyTyped((d) => parseCachedDhcp(Uint8Array.from([...base.subarray(0, 240), ...d])), { maxLength: 120, numRuns: 1000 });
  });
});
