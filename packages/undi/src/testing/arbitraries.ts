import { writeU16be } from "@pxe/core";
import fc from "fast-check";
import { ip4FromString } from "../pxe/fields.js";
import { SegOff } from "../pxe/segoff.js";
import type { Pxenv } from "../pxe/pxenv.js";
import type { BangPxe, SegDesc } from "../pxe/bangpxe.js";
import type { BootpPacket, DhcpOption } from "../pxe/bootp.js";
import type { Tbd } from "../pxe/tbd.js";
import type { UndiGetNicTypeBlock } from "../pxe/nic-type.js";

/** Any 16-bit word. */
export const arbU16 = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 0xffff });
/** Any byte. */
export const arbU8 = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 0xff });
/** Any 32-bit word. */
export const arbU32 = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 0xffffffff });
/** Any segment:offset pointer. */
export const arbSegOff = (): fc.Arbitrary<SegOff> => fc.tuple(arbU16(), arbU16()).map(([s, o]) => new SegOff(s, o));
/** A dotted-quad IPv4 address. */
export const arbIp4 = (): fc.Arbitrary<string> => fc.tuple(arbU8(), arbU8(), arbU8(), arbU8()).map((a) => a.join("."));
/** A 6-byte MAC. */
export const arbMac = (): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: 6, maxLength: 6 });
/** Fixed-length bytes. */
export const arbBytes = (n: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: n, maxLength: n });
/** A NUL-free Latin-1 string that fits a field of `n` bytes. */
export const arbFieldString = (n: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 1, max: 0xff }), { maxLength: n - 1 }).map((cs) => String.fromCharCode(...cs));

/** A PXENV+ structure (with or without PXEPtr). */
export const arbPxenv = (): fc.Arbitrary<Pxenv> =>
  fc.record({
    version: arbU16(), rmEntry: arbSegOff(), pmOffset: arbU32(), pmSelector: arbU16(),
    stackSeg: arbU16(), stackSize: arbU16(), bcCodeSeg: arbU16(), bcCodeSize: arbU16(), bcDataSeg: arbU16(), bcDataSize: arbU16(),
    undiDataSeg: arbU16(), undiDataSize: arbU16(), undiCodeSeg: arbU16(), undiCodeSize: arbU16(),
    pxePtr: fc.option(arbSegOff(), { nil: undefined }),
  }).map((v) => {
    if (v.pxePtr === undefined) delete (v as { pxePtr?: SegOff }).pxePtr;
    return v as Pxenv;
  });

const arbSegDesc = (): fc.Arbitrary<SegDesc> => fc.record({ segmentAddress: arbU16(), physicalAddress: arbU32(), segSize: arbU16() });

/** A !PXE structure. */
export const arbBangPxe = (): fc.Arbitrary<BangPxe> =>
  fc.record({
    structRev: arbU8(), undiRomId: arbSegOff(), baseRomId: arbSegOff(), entryPointSP: arbSegOff(), entryPointESP: arbSegOff(),
    statusCallout: arbSegOff(), segDescCnt: arbU8(), firstSelector: arbU16(),
    stack: arbSegDesc(), undiData: arbSegDesc(), undiCode: arbSegDesc(), undiCodeWrite: arbSegDesc(),
    bcData: arbSegDesc(), bcCode: arbSegDesc(), bcCodeWrite: arbSegDesc(),
  });

/** A transmit buffer descriptor with 0..8 data blocks. */
export const arbTbd = (): fc.Arbitrary<Tbd> =>
  fc.record({
    immedLength: arbU16(), xmit: arbSegOff(),
    dataBlocks: fc.array(fc.record({ ptrType: arbU8(), reserved: arbU8(), dataLen: arbU16(), dataPtr: arbSegOff() }), { maxLength: 8 }),
  });

/** A GET_NIC_TYPE block, PCI, CardBus, PnP or unknown. */
export const arbNicType = (): fc.Arbitrary<UndiGetNicTypeBlock> =>
  fc.oneof(
    fc.record({
      status: arbU16(), nicType: fc.constantFrom(2 as const, 4 as const),
      pci: fc.record({
        vendorId: arbU16(), deviceId: arbU16(), baseClass: arbU8(), subClass: arbU8(), progIntf: arbU8(), rev: arbU8(),
        busDevFunc: arbU16(), subVendorId: arbU16(), subDeviceId: arbU16(),
      }),
    }),
    fc.record({
      status: arbU16(), nicType: fc.constant(3 as const),
      pnp: fc.record({ eisaDevId: arbU32(), baseClass: arbU8(), subClass: arbU8(), progIntf: arbU8(), cardSelNum: arbU16() }),
    }),
    fc.record({ status: arbU16(), nicType: fc.integer({ min: 0, max: 255 }).filter((n) => n < 2 || n > 4), raw: arbBytes(14) }),
  );

/** A DHCP option with any code 1..254 and up to 40 bytes. */
export const arbDhcpOption = (): fc.Arbitrary<DhcpOption> =>
  fc.record({ code: fc.integer({ min: 1, max: 254 }), data: fc.uint8Array({ maxLength: 40 }) });

/** A BOOTP/DHCP packet with arbitrary raw options. */
export const arbBootp = (): fc.Arbitrary<BootpPacket> =>
  fc.record({
    op: fc.constantFrom(1, 2), htype: arbU8(), hlen: arbU8(), hops: arbU8(), xid: arbU32(), secs: arbU16(), flags: arbU16(),
    ciaddr: arbIp4(), yiaddr: arbIp4(), siaddr: arbIp4(), giaddr: arbIp4(),
    chaddr: arbBytes(16), sname: arbBytes(64), file: arbBytes(128),
    options: fc.array(arbDhcpOption(), { maxLength: 12 }),
  });

/** A cached DHCPACK whose well-known options are well formed (for parseCachedDhcp). */
export const arbCachedDhcpAck = (): fc.Arbitrary<BootpPacket> =>
  fc.record({
    base: arbBootp(),
    ip: arbIp4(), mask: arbIp4(), router: arbIp4(), dns: fc.array(arbIp4(), { minLength: 1, maxLength: 3 }),
    lease: arbU32(), host: arbFieldString(30), file: arbFieldString(60),
  }).map(({ base, ip, mask, router, dns, lease, host, file }) => {
    const q = ip4FromString;
    const txt = (s: string) => Uint8Array.from(Array.from(s, (c) => c.charCodeAt(0)));
    const cat = (xs: Uint8Array[]) => Uint8Array.from(xs.flatMap((x) => Array.from(x)));
    return {
      ...base, op: 2, yiaddr: ip,
      options: [
        { code: 53, data: Uint8Array.of(5) }, { code: 1, data: q(mask) }, { code: 3, data: q(router) }, { code: 6, data: cat(dns.map(q)) },
        { code: 51, data: Uint8Array.of(lease >>> 24, (lease >>> 16) & 255, (lease >>> 8) & 255, lease & 255) },
        { code: 12, data: txt(host) }, { code: 67, data: txt(file) },
      ],
    };
  });

/** An Ethernet II frame of 14..1514 bytes (unicast, broadcast or multicast destination). */
export const arbEthernetFrame = (opts: { maxLength?: number } = {}): fc.Arbitrary<Uint8Array> =>
  fc.record({
    dst: fc.oneof(arbMac(), fc.constant(new Uint8Array(6).fill(0xff))),
    src: arbMac().map((m) => {
      m[0] &= 0xfe;
      return m;
    }),
    type: fc.constantFrom(0x0800, 0x0806, 0x86dd, 0x88b5),
    payload: fc.uint8Array({ maxLength: (opts.maxLength ?? 1514) - 14 }),
  }).map(({ dst, src, type, payload }) => {
    const f = new Uint8Array(14 + payload.length);
    f.set(dst);
    f.set(src, 6);
    writeU16be(f, 12, type);
    f.set(payload, 14);
    return f;
  });
