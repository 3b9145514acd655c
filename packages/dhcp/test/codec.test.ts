import { DNSMASQ_ACK, DNSMASQ_OFFER } from "./fixtures/dnsmasq.js";
import { fromHex, WireError, encode } from "@pxe/core";
import { rejectsOnlyTyped, roundTrip } from "@pxe/core/testing";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  dhcpMessage, DhcpEncodeError, DhcpOptionCode as O, DhcpMessageType as T, findOption, messageTypeOf, leaseFromCachedReply,
  leaseFromMessage, DhcpNoLeaseError, DhcpBadLeaseError, optionsLength, type DhcpMessage,
} from "@pxe/dhcp";
import { arbDhcpMessage, arbDhcpOptions } from "@pxe/dhcp/testing";

const fixture = (name: string) => fromHex(name === "dnsmasq-ack.hex" ? DNSMASQ_ACK : DNSMASQ_OFFER);

function base(over: Partial<DhcpMessage> = {}): DhcpMessage {
  return {
    op: 2, htype: 1, hops: 0, xid: 0x11223344, secs: 0, flags: 0, ciaddr: 0, yiaddr: 0x0a000005, siaddr: 0, giaddr: 0,
    chaddr: Uint8Array.of(1, 2, 3, 4, 5, 6), sname: "", file: "", options: [], ...over,
  };
}

describe("DHCP message codec", () => {
  it("round-trips any message at nonzero offsets", () => {
    roundTrip(dhcpMessage, arbDhcpMessage, { numRuns: 300 });
  });

  it("decodes arbitrary bytes or throws only WireError", () => {
    rejectsOnlyTyped((d) => dhcpMessage.decode(d, 0, d.length), { numRuns: 400 });
  });

  it("decodes arbitrary option areas behind a valid header or throws only WireError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.uint8Array({ minLength: 192, maxLength: 192 }), (opts, snameFile) => {
        const head = encode(dhcpMessage, base()).subarray(0, 240);
        const d = new Uint8Array(240 + opts.length);
        d.set(head);
        d.set(snameFile, 44);
        d.set(opts, 240);
        try {
          dhcpMessage.decode(d, 0, d.length);
        } catch (e) {
          if (!(e instanceof WireError)) throw e;
        }
      }),
      { numRuns: 400 },
    );
  });

  it("splits options over 255 bytes into consecutive instances and joins them again (RFC 3396)", () => {
    const long = Uint8Array.from({ length: 600 }, (_, i) => i & 255);
    const bytes = encode(dhcpMessage, base({ options: [{ code: O.RootPath, data: long }] }));
    expect(bytes[240]).toBe(O.RootPath);
    expect(bytes[241]).toBe(255);
    expect(bytes[240 + 257]).toBe(O.RootPath);
    expect(bytes[240 + 258]).toBe(255);
    expect(bytes[240 + 514]).toBe(O.RootPath);
    expect(bytes[240 + 515]).toBe(90);
    expect(bytes[bytes.length - 1]).toBe(O.End);
    expect(findOption(dhcpMessage.decode(bytes, 0, bytes.length).value, O.RootPath)).toEqual(long);
    expect(optionsLength([{ code: 1, data: new Uint8Array(0) }])).toBe(3);
  });

  it("reads options overloaded into file and sname (option 52), options field first, then file, then sname", () => {
    const d = encode(dhcpMessage, base({ options: [{ code: O.Overload, data: Uint8Array.of(3) }, { code: O.HostName, data: Uint8Array.of(0x61) }] }));
    // file area (offset 108): hostname continues "b", then boot file name; sname (44): hostname "c", tftp server.
    d.set([O.HostName, 1, 0x62, O.BootFileName, 3, 0x78, 0x2e, 0x30, O.End], 108);
    d.set([O.HostName, 1, 0x63, 0, 0, O.TftpServerName, 2, 0x73, 0x31, O.End], 44);
    const m = dhcpMessage.decode(d, 0, d.length).value;
    expect(m.file).toBe("");
    expect(m.sname).toBe("");
    expect(findOption(m, O.Overload)).toBeUndefined();
    expect(String.fromCharCode(...findOption(m, O.HostName)!)).toBe("abc");
    const lease = leaseFromMessage(m);
    expect(lease.bootFile).toBe("x.0");
    expect(lease.tftpServerName).toBe("s1");
  });

  it("rejects truncated options, bad overload values and hlen > 16 with WireError", () => {
    const good = encode(dhcpMessage, base({ options: [{ code: O.HostName, data: Uint8Array.of(1, 2, 3) }] }));
    expect(() => dhcpMessage.decode(good, 0, good.length - 3)).toThrow(WireError);
    const bad = encode(dhcpMessage, base({ options: [{ code: O.Overload, data: Uint8Array.of(7) }] }));
    expect(() => dhcpMessage.decode(bad, 0, bad.length)).toThrow(/overload/);
    const h = good.slice();
    h[2] = 17;
    expect(() => dhcpMessage.decode(h, 0, h.length)).toThrow(WireError);
    expect(() => dhcpMessage.decode(good, 0, 235)).toThrow(WireError);
    expect(() => dhcpMessage.decode(good, 10, 5)).toThrow(WireError);
  });

  it("reads a bare BOOTP header (no magic cookie) with no options", () => {
    const d = encode(dhcpMessage, base({ file: "boot.img" })).slice(0, 300);
    d.fill(0, 236);
    const m = dhcpMessage.decode(d, 0, d.length).value;
    expect(m.options).toEqual([]);
    expect(leaseFromMessage(m).bootFile).toBe("boot.img");
  });

  it("refuses to encode what does not fit", () => {
    expect(() => encode(dhcpMessage, base({ sname: "x".repeat(65) }))).toThrow(DhcpEncodeError);
    expect(() => encode(dhcpMessage, base({ file: "\u0100" }))).toThrow(DhcpEncodeError);
    expect(() => encode(dhcpMessage, base({ chaddr: new Uint8Array(17) }))).toThrow(DhcpEncodeError);
    expect(() => encode(dhcpMessage, base({ options: [{ code: 0, data: new Uint8Array(0) }] }))).toThrow(DhcpEncodeError);
    expect(() => encode(dhcpMessage, base({ options: [{ code: 5, data: new Uint8Array(0) }, { code: 5, data: new Uint8Array(0) }] }))).toThrow(DhcpEncodeError);
  });

  it("arbitrary option lists survive encode/decode exactly", () => {
    fc.assert(fc.property(arbDhcpOptions, (options) => {
      const m = dhcpMessage.decode(encode(dhcpMessage, base({ options })), 0, 240 + optionsLength(options)).value;
      expect(m.options).toEqual(options);
    }), { numRuns: 100 });
  });
});

describe("golden: a DHCPACK captured from dnsmasq 2.90", () => {
  const ack = fixture("dnsmasq-ack.hex");

  it("decodes every field and option", () => {
    const m = dhcpMessage.decode(ack, 0, ack.length).value;
    expect(m.op).toBe(2);
    expect(m.xid).toBe(0x73180286);
    expect(m.flags).toBe(0x8000);
    expect(messageTypeOf(m)).toBe(T.Ack);
    expect(Array.from(m.chaddr)).toEqual([0x52, 0x54, 0x00, 0x12, 0x34, 0x56]);
    expect(m.options.map((o) => o.code)).toEqual([53, 54, 51, 66, 67, 58, 59, 1, 28, 15, 12, 72, 17, 6, 3]);
  });

  it("gives the lease (the PXE cached-reply path)", () => {
    const l = leaseFromCachedReply(ack, 42);
    expect(l.address).toBe(0xc0a84d6f); // 192.168.77.111
    expect(l.subnetMask).toBe(0xffffff00);
    expect(l.routers).toEqual([0xc0a84d01]);
    expect(l.dnsServers).toEqual([0xc0a84d01]);
    expect(l.hostname).toBe("node7");
    expect(l.domainName).toBe("lab.example");
    expect(l.rootPath).toBe("/srv/root");
    expect(l.bootFile).toBe("pxelinux.0");
    expect(l.tftpServerName).toBe("bootsrv");
    expect(l.wwwServers).toEqual([0xc0a84d01]);
    expect(l.nextServer).toBe(0xc0a84d01);
    expect(l.serverId).toBe(0xc0a84d01);
    expect(l.leaseTime).toBe(3600);
    expect(l.renewalTime).toBe(1800);
    expect(l.rebindingTime).toBe(3150);
    expect(l.broadcastAddress).toBe(0xc0a84dff);
    expect(l.obtainedAt).toBe(42);
  });

  it("a PXE cached reply buffer padded with zeros to 1472 bytes gives the same lease", () => {
    const padded = new Uint8Array(1472);
    padded.set(ack);
    expect(leaseFromCachedReply(padded).address).toBe(0xc0a84d6f);
  });

  it("re-encodes to the same options and decodes equal", () => {
    const m = dhcpMessage.decode(ack, 0, ack.length).value;
    const again = encode(dhcpMessage, m);
    expect(dhcpMessage.decode(again, 0, again.length).value).toEqual(m);
  });

  it("an OFFER or a request is no lease", () => {
    expect(() => leaseFromCachedReply(fixture("dnsmasq-offer.hex"))).toThrow(DhcpNoLeaseError);
    const req = encode(dhcpMessage, base({ op: 1 }));
    expect(() => leaseFromCachedReply(req)).toThrow(DhcpNoLeaseError);
    expect(() => leaseFromCachedReply(encode(dhcpMessage, base({ yiaddr: 0 })))).toThrow(DhcpNoLeaseError);
  });
});

describe("leases from arbitrary bytes", () => {
  it("leaseFromCachedReply throws only WireError, DhcpNoLeaseError or DhcpBadLeaseError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 200, maxLength: 600 }), fc.boolean(), (d, cookie) => {
        if (cookie && d.length >= 240) d.set([2, 1, 6, 0], 0), d.set([0x63, 0x82, 0x53, 0x63], 236);
        try {
          leaseFromCachedReply(d);
        } catch (e) {
          if (!(e instanceof WireError) && !(e instanceof DhcpNoLeaseError) && !(e instanceof DhcpBadLeaseError)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});
