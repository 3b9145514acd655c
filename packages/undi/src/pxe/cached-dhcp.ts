import { WireError, latin1, readU32be } from "@pxe/core";
import { bootpCodec, parseOptions, type BootpPacket, type DhcpOption } from "./bootp.js";
import { ip4ToString } from "./fields.js";

/** Well-known DHCP option codes this parser understands. */
export const DhcpOpt = {
  SUBNET_MASK: 1,
  ROUTER: 3,
  DNS: 6,
  HOST_NAME: 12,
  DOMAIN_NAME: 15,
  ROOT_PATH: 17,
  VENDOR_SPECIFIC: 43,
  LEASE_TIME: 51,
  OVERLOAD: 52,
  MESSAGE_TYPE: 53,
  SERVER_ID: 54,
  VENDOR_CLASS: 60,
  TFTP_SERVER_NAME: 66,
  BOOTFILE_NAME: 67,
  WWW_SERVER: 72,
} as const;

/** What an NBP wants to know from the cached DHCP/BOOTP reply. */
export interface CachedDhcpInfo {
  /** The raw packet. */
  packet: BootpPacket;
  /** All options, including those from overloaded file/sname fields, repeated codes concatenated (RFC 3396). */
  options: Map<number, Uint8Array>;
  /** DHCP message type (option 53), undefined for BOOTP. */
  messageType?: number;
  /** Our address (yiaddr). */
  yourIp: string;
  /** Next-server address (siaddr). */
  nextServer: string;
  /** Client MAC (first hlen bytes of chaddr, at most 16). */
  clientMac: Uint8Array;
  /** Option 1. */
  subnetMask?: string;
  /** Option 3. */
  routers: string[];
  /** Option 6. */
  dnsServers: string[];
  /** Option 12. */
  hostName?: string;
  /** Option 15. */
  domainName?: string;
  /** Option 17. */
  rootPath?: string;
  /** Option 43, raw. */
  vendorSpecific?: Uint8Array;
  /** Option 51, seconds. */
  leaseTime?: number;
  /** Option 54. */
  serverId?: string;
  /** Option 60. */
  vendorClass?: string;
  /** Option 66, else the sname field (unless overloaded). */
  tftpServerName?: string;
  /** Option 67, else the file field (unless overloaded). */
  bootFile?: string;
  /** Option 72. */
  wwwServers: string[];
}

const WHAT = "cached DHCP packet";

function cstring(b: Uint8Array): string {
  let e = 0;
  while (e < b.length && b[e] !== 0) e++;
  return latin1(b, 0, e);
}

function addrs(code: number, d: Uint8Array, min: number): string[] {
  if (d.length % 4 !== 0 || d.length < min * 4) throw new WireError(WHAT, 0, `option ${code} length ${d.length} is not a list of IPv4 addresses`);
  const out: string[] = [];
  for (let i = 0; i < d.length; i += 4) out.push(ip4ToString(d, i));
  return out;
}

function one(code: number, d: Uint8Array | undefined): string | undefined {
  if (!d) return undefined;
  if (d.length !== 4) throw new WireError(WHAT, 0, `option ${code} length ${d.length} is not 4`);
  return ip4ToString(d, 0);
}

/**
 * Parses a cached DHCP/BOOTP packet (PXENV_GET_CACHED_INFO buffer) into the
 * facts an NBP needs. Honours option overload (52: 1 = file, 2 = sname,
 * 3 = both hold options). Throws WireError on truncation or on a known
 * option of the wrong length.
 */
export function parseCachedDhcp(data: Uint8Array, offset = 0, end = data.length): CachedDhcpInfo {
  const packet = bootpCodec.decode(data, offset, end).value;
  const list: DhcpOption[] = [...packet.options];
  const overload = list.find((o) => o.code === DhcpOpt.OVERLOAD);
  let ov = 0;
  if (overload) {
    if (overload.data.length !== 1 || overload.data[0] < 1 || overload.data[0] > 3) throw new WireError(WHAT, 0, "bad option overload (52)");
    ov = overload.data[0];
    if (ov & 1) list.push(...parseOptions(`${WHAT} (file)`, packet.file, 0, packet.file.length).value);
    if (ov & 2) list.push(...parseOptions(`${WHAT} (sname)`, packet.sname, 0, packet.sname.length).value);
  }
  const options = new Map<number, Uint8Array>();
  for (const o of list) {
    const prev = options.get(o.code);
    if (!prev) options.set(o.code, o.data);
    else {
      const joined = new Uint8Array(prev.length + o.data.length);
      joined.set(prev);
      joined.set(o.data, prev.length);
      options.set(o.code, joined);
    }
  }
  const text = (c: number) => {
    const d = options.get(c);
    return d ? cstring(d) : undefined;
  };
  const mt = options.get(DhcpOpt.MESSAGE_TYPE);
  if (mt && mt.length !== 1) throw new WireError(WHAT, 0, `option 53 length ${mt.length} is not 1`);
  const lease = options.get(DhcpOpt.LEASE_TIME);
  if (lease && lease.length !== 4) throw new WireError(WHAT, 0, `option 51 length ${lease.length} is not 4`);
  const info: CachedDhcpInfo = {
    packet,
    options,
    yourIp: packet.yiaddr,
    nextServer: packet.siaddr,
    clientMac: packet.chaddr.slice(0, Math.min(packet.hlen, 16)),
    routers: options.has(3) ? addrs(3, options.get(3)!, 1) : [],
    dnsServers: options.has(6) ? addrs(6, options.get(6)!, 1) : [],
    wwwServers: options.has(72) ? addrs(72, options.get(72)!, 1) : [],
  };
  if (mt) info.messageType = mt[0];
  const mask = one(1, options.get(DhcpOpt.SUBNET_MASK));
  if (mask !== undefined) info.subnetMask = mask;
  const sid = one(54, options.get(DhcpOpt.SERVER_ID));
  if (sid !== undefined) info.serverId = sid;
  if (lease) info.leaseTime = readU32be(lease, 0);
  const set = (k: "hostName" | "domainName" | "rootPath" | "vendorClass", c: number) => {
    const t = text(c);
    if (t !== undefined) info[k] = t;
  };
  set("hostName", DhcpOpt.HOST_NAME);
  set("domainName", DhcpOpt.DOMAIN_NAME);
  set("rootPath", DhcpOpt.ROOT_PATH);
  set("vendorClass", DhcpOpt.VENDOR_CLASS);
  const vs = options.get(DhcpOpt.VENDOR_SPECIFIC);
  if (vs) info.vendorSpecific = vs;
  const tftp = text(DhcpOpt.TFTP_SERVER_NAME) ?? (ov & 2 ? undefined : cstring(packet.sname) || undefined);
  if (tftp !== undefined) info.tftpServerName = tftp;
  const boot = text(DhcpOpt.BOOTFILE_NAME) ?? (ov & 1 ? undefined : cstring(packet.file) || undefined);
  if (boot !== undefined) info.bootFile = boot;
  return info;
}
