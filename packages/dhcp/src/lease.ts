import { decode } from "@pxe/core";
import { formatIpv4, isHostAddress, prefixToMask } from "@pxe/ip";
import { DhcpBadLeaseError, DhcpNoLeaseError } from "./errors.js";
import { BootOp, DhcpMessageType, DhcpOptionCode } from "./wire/constants.js";
import type { Ipv4 } from "./wire/ipv4.js";
import { type DhcpMessage, dhcpMessage, findOption, messageTypeOf } from "./wire/message.js";
import { readIpv4List, readIpv4Option, readString, readU32 } from "./wire/values.js";

/** Lease time meaning "infinite" (RFC 2132 §9.2). */
export const INFINITE_LEASE = 0xffffffff;

/** What a DHCP ACK (or a PXE cached reply) tells the client. Absent options are undefined or empty lists. */
export interface DhcpLease {
  /** Our address (`yiaddr`). */
  readonly address: Ipv4;
  /** Subnet mask (option 1) as sent. */
  readonly subnetMask?: Ipv4;
  /**
   * The prefix length the lease is used with: the mask's, when it is
   * contiguous and 1..30 bits long; otherwise (missing, 0.0.0.0,
   * non-contiguous, /31 or /32) the classful default of the address, as
   * RFC 2131 clients do for a missing mask.
   */
  readonly prefix: number;
  /** Usable routers, preferred first (option 3, without our own address, broadcast and non-host addresses). */
  readonly routers: readonly Ipv4[];
  /** DNS servers, preferred first (option 6). */
  readonly dnsServers: readonly Ipv4[];
  /** Our host name (option 12). */
  readonly hostname?: string;
  /** Domain name, used as DNS search domain (option 15). */
  readonly domainName?: string;
  /** Root path, e.g. an NFS or HTTP root (option 17). */
  readonly rootPath?: string;
  /** Broadcast address (option 28). */
  readonly broadcastAddress?: Ipv4;
  /** Lease time in seconds (option 51); INFINITE_LEASE for no expiry; undefined for BOOTP. */
  readonly leaseTime?: number;
  /** Renewal (T1) time in seconds (option 58). */
  readonly renewalTime?: number;
  /** Rebinding (T2) time in seconds (option 59). */
  readonly rebindingTime?: number;
  /** The server that granted the lease (option 54). */
  readonly serverId?: Ipv4;
  /** Next server for bootstrap (`siaddr`); 0 when none. */
  readonly nextServer: Ipv4;
  /** Boot file name: option 67, else the `file` field; undefined when neither is set. */
  readonly bootFile?: string;
  /** TFTP server name: option 66, else the `sname` field; undefined when neither is set. */
  readonly tftpServerName?: string;
  /** WWW servers (option 72). */
  readonly wwwServers: readonly Ipv4[];
  /** When the lease was obtained (the caller's clock, milliseconds). */
  readonly obtainedAt: number;
  /** The reply the lease came from, with every option. */
  readonly message: DhcpMessage;
}

/**
 * Builds a lease from a DHCPACK or BOOTP reply. Throws DhcpNoLeaseError
 * when `m` is not a reply, is a DHCP message other than ACK, or has no
 * `yiaddr`, and DhcpBadLeaseError when `yiaddr` is not a host address.
 * Malformed optional fields are left out rather than fatal; an impossible
 * mask falls back to the classful prefix; routers that are our own address,
 * a broadcast or not a host address are dropped.
 */
export function leaseFromMessage(m: DhcpMessage, obtainedAt = 0): DhcpLease {
  if (m.op !== BootOp.Reply) throw new DhcpNoLeaseError(`op is ${m.op}, not BOOTREPLY`);
  const type = messageTypeOf(m);
  if (type !== undefined && type !== DhcpMessageType.Ack) throw new DhcpNoLeaseError(`DHCP message type ${type} is not DHCPACK`);
  if (m.yiaddr === 0) throw new DhcpNoLeaseError("yiaddr is 0.0.0.0");
  if (!isHostAddress(m.yiaddr)) throw new DhcpBadLeaseError("yiaddr", formatIpv4(m.yiaddr), "is not a host address (loopback, multicast, broadcast or reserved)");
  const opt = (code: number) => findOption(m, code);
  const nonEmpty = (s: string | undefined) => (s ? s : undefined);
  const subnetMask = readIpv4Option(opt(DhcpOptionCode.SubnetMask));
  const prefix = usablePrefix(subnetMask, m.yiaddr);
  const directed = (m.yiaddr | ~prefixToMask(prefix)) >>> 0;
  const routers = (readIpv4List(opt(DhcpOptionCode.Router)) ?? []).filter((r) => r !== m.yiaddr && r !== directed && isHostAddress(r));
  return {
    address: m.yiaddr,
    subnetMask,
    prefix,
    routers,
    dnsServers: readIpv4List(opt(DhcpOptionCode.DnsServers)) ?? [],
    hostname: nonEmpty(readString(opt(DhcpOptionCode.HostName))),
    domainName: nonEmpty(readString(opt(DhcpOptionCode.DomainName))),
    rootPath: nonEmpty(readString(opt(DhcpOptionCode.RootPath))),
    broadcastAddress: readIpv4Option(opt(DhcpOptionCode.BroadcastAddress)),
    leaseTime: readU32(opt(DhcpOptionCode.LeaseTime)),
    renewalTime: readU32(opt(DhcpOptionCode.RenewalTime)),
    rebindingTime: readU32(opt(DhcpOptionCode.RebindingTime)),
    serverId: readIpv4Option(opt(DhcpOptionCode.ServerId)),
    nextServer: m.siaddr,
    bootFile: nonEmpty(readString(opt(DhcpOptionCode.BootFileName))) ?? nonEmpty(m.file),
    tftpServerName: nonEmpty(readString(opt(DhcpOptionCode.TftpServerName))) ?? nonEmpty(m.sname),
    wwwServers: readIpv4List(opt(DhcpOptionCode.WwwServers)) ?? [],
    obtainedAt,
    message: m,
  };
}

/**
 * "Start from a cached ACK": builds the lease from the BOOTP bytes of a PXE
 * cached DHCP reply (PXENV_GET_CACHED_INFO, packet type 2 or 3) without
 * asking the network again. Throws WireError for malformed bytes and
 * DhcpNoLeaseError when the reply grants no address.
 */
export function leaseFromCachedReply(bootpBytes: Uint8Array, obtainedAt = 0): DhcpLease {
  return leaseFromMessage(decode(dhcpMessage, bootpBytes), obtainedAt);
}

/** The prefix of a contiguous `mask` of 1..30 bits; else the classful default of `address`. */
function usablePrefix(mask: number | undefined, address: number): number {
  if (mask !== undefined) {
    let p = 0;
    while (p < 32 && (mask & (0x80000000 >>> p)) !== 0) p++;
    if (p >= 1 && p <= 30 && prefixToMask(p) === mask >>> 0) return p;
  }
  const first = address >>> 24;
  return first < 128 ? 8 : first < 192 ? 16 : 24;
}
