import { BootOp, DhcpMessageType, DhcpOptionCode as O, FLAG_BROADCAST } from "../wire/constants.js";
import type { Ipv4 } from "../wire/ipv4.js";
import type { DhcpMessage } from "../wire/message.js";
import type { DhcpOption } from "../wire/options.js";
import { bytesOption, ipv4Option, stringOption, u16Option, u8Option } from "../wire/values.js";
import type { ResolvedDhcpConfig } from "./config.js";

/** What differs between the client messages the machine sends. */
export interface ClientMessageSpec {
  readonly type: number;
  readonly xid: number;
  readonly secs: number;
  /** Our current address (RENEWING/REBINDING/RELEASE), else 0. */
  readonly ciaddr?: Ipv4;
  /** Option 50. */
  readonly requestedAddress?: Ipv4;
  /** Option 54. */
  readonly serverId?: Ipv4;
  /** Whether to set the BROADCAST flag. */
  readonly broadcast: boolean;
}

/** Builds a client message (DISCOVER/REQUEST/DECLINE/RELEASE) with the configured options. */
export function buildClientMessage(cfg: ResolvedDhcpConfig, s: ClientMessageSpec): DhcpMessage {
  const options: DhcpOption[] = [u8Option(O.MessageType, s.type)];
  const full = s.type === DhcpMessageType.Discover || s.type === DhcpMessageType.Request || s.type === DhcpMessageType.Inform;
  if (s.requestedAddress !== undefined) options.push(ipv4Option(O.RequestedAddress, s.requestedAddress));
  if (s.serverId !== undefined) options.push(ipv4Option(O.ServerId, s.serverId));
  options.push(bytesOption(O.ClientId, cfg.clientId));
  if (full) {
    if (cfg.maxMessageSize !== null) options.push(u16Option(O.MaxMessageSize, cfg.maxMessageSize));
    if (cfg.parameterRequestList.length) options.push(bytesOption(O.ParameterRequestList, Uint8Array.from(cfg.parameterRequestList)));
    if (cfg.hostname) options.push(stringOption(O.HostName, cfg.hostname));
    if (cfg.vendorClass) options.push(stringOption(O.VendorClass, cfg.vendorClass));
    if (cfg.clientArch !== null) options.push(u16Option(O.ClientArch, cfg.clientArch));
    // Plain code comparison, not Set.has: QuickJS 2021-03-27 can miss float-tagged integer keys.
    for (const o of cfg.extraOptions) if (!options.some((x) => x.code === o.code)) options.push(o);
  }
  return {
    op: BootOp.Request,
    htype: cfg.htype,
    hops: 0,
    xid: s.xid >>> 0,
    secs: Math.min(0xffff, Math.max(0, Math.floor(s.secs))),
    flags: s.broadcast ? FLAG_BROADCAST : 0,
    ciaddr: s.ciaddr ?? 0,
    yiaddr: 0,
    siaddr: 0,
    giaddr: 0,
    chaddr: cfg.mac,
    sname: "",
    file: "",
    options,
  };
}
