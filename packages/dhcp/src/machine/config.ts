import type { DhcpOption } from "../wire/options.js";
import type { Ipv4 } from "../wire/ipv4.js";
import { type BackoffConfig, RFC2131_BACKOFF } from "./backoff.js";
import { DhcpOptionCode as O } from "../wire/constants.js";

/** Default vendor class (option 60): a PXE client, x86 BIOS, UNDI 2.1. */
export const DEFAULT_VENDOR_CLASS = "PXEClient:Arch:00000:UNDI:002001";

/** Default parameter request list (option 55). */
export const DEFAULT_PARAMETER_REQUEST_LIST: readonly number[] = [
  O.SubnetMask, O.Router, O.DnsServers, O.HostName, O.DomainName, O.RootPath, O.BroadcastAddress,
  O.LeaseTime, O.ServerId, O.RenewalTime, O.RebindingTime, O.VendorClass, O.TftpServerName,
  O.BootFileName, O.WwwServers,
];

/** Configuration of a {@link DhcpClient}. Only `mac` and `random` are required. */
export interface DhcpClientConfig {
  /** Our hardware address (6 bytes for Ethernet). */
  readonly mac: Uint8Array;
  /** Source of randomness (a @pxe/core Platform fits): xids and jitter. */
  readonly random: { randomBytes(out: Uint8Array): void };
  /** Hardware type for `htype` (default 1, Ethernet). */
  readonly htype?: number;
  /** Host name to send (option 12). */
  readonly hostname?: string;
  /** Vendor class (option 60); default {@link DEFAULT_VENDOR_CLASS}; "" sends none. */
  readonly vendorClass?: string;
  /** Client system architecture (option 93; 0 = x86 BIOS, 7 = x64 UEFI); null sends none. Default 0. */
  readonly clientArch?: number | null;
  /** Client identifier (option 61); default: htype byte followed by the MAC. */
  readonly clientId?: Uint8Array;
  /** Parameter request list (option 55). */
  readonly parameterRequestList?: readonly number[];
  /** Ask servers to broadcast replies (BROADCAST flag; default true: we cannot take unicast before configuring). */
  readonly broadcast?: boolean;
  /** Address to ask for in DISCOVER (option 50), e.g. a previous lease. */
  readonly requestedAddress?: Ipv4;
  /** Give up acquiring after this long, ms (default 60 000). */
  readonly totalTimeoutMs?: number;
  /** Retransmission timing (default RFC 2131: 4 s doubling to 64 s, ±1 s). */
  readonly backoff?: BackoffConfig;
  /** REQUESTs sent for one OFFER before starting over with DISCOVER (default 4). */
  readonly requestAttempts?: number;
  /** Maximum DHCP message size we accept (option 57; default 1500; null sends none). */
  readonly maxMessageSize?: number | null;
  /** Further options to send in DISCOVER and REQUEST. */
  readonly extraOptions?: readonly DhcpOption[];
}

/** A config with every default filled in. */
export interface ResolvedDhcpConfig {
  readonly mac: Uint8Array;
  readonly random: { randomBytes(out: Uint8Array): void };
  readonly htype: number;
  readonly hostname: string | undefined;
  readonly vendorClass: string;
  readonly clientArch: number | null;
  readonly clientId: Uint8Array;
  readonly parameterRequestList: readonly number[];
  readonly broadcast: boolean;
  readonly requestedAddress: Ipv4 | undefined;
  readonly totalTimeoutMs: number;
  readonly backoff: BackoffConfig;
  readonly requestAttempts: number;
  readonly maxMessageSize: number | null;
  readonly extraOptions: readonly DhcpOption[];
}

/** Fills in defaults. */
export function resolveConfig(c: DhcpClientConfig): ResolvedDhcpConfig {
  const htype = c.htype ?? 1;
  const clientId = c.clientId ?? Uint8Array.from([htype, ...c.mac]);
  return {
    mac: c.mac.slice(),
    random: c.random,
    htype,
    hostname: c.hostname,
    vendorClass: c.vendorClass ?? DEFAULT_VENDOR_CLASS,
    clientArch: c.clientArch === undefined ? 0 : c.clientArch,
    clientId,
    parameterRequestList: c.parameterRequestList ?? DEFAULT_PARAMETER_REQUEST_LIST,
    broadcast: c.broadcast ?? true,
    requestedAddress: c.requestedAddress,
    totalTimeoutMs: c.totalTimeoutMs ?? 60_000,
    backoff: c.backoff ?? RFC2131_BACKOFF,
    requestAttempts: Math.max(1, c.requestAttempts ?? 4),
    maxMessageSize: c.maxMessageSize === undefined ? 1500 : c.maxMessageSize,
    extraOptions: c.extraOptions ?? [],
  };
}
