/**
 * @pxe/dhcp — a DHCP client for network boot: the BOOTP/DHCP message codec
 * (wire), a sans-IO client state machine (machine), leases from PXE's
 * cached reply, and an adapter that runs the machine over UDP.
 */
export { DhcpEncodeError, DhcpTimeoutError, DhcpNoLeaseError, DhcpStateError, DhcpBadLeaseError } from "./errors.js";
export {
  DHCP_SERVER_PORT, DHCP_CLIENT_PORT, BootOp, DhcpMessageType, type DhcpMessageTypeValue, DhcpOptionCode,
  MAGIC_COOKIE, BOOTP_HEADER_LEN, DHCP_HEADER_LEN, BOOTP_MIN_LEN, FLAG_BROADCAST,
} from "./wire/constants.js";
export { type Ipv4, ipv4Text, parseIpv4Text } from "./wire/ipv4.js";
export { type DhcpOption, optionsLength } from "./wire/options.js";
export { type DhcpMessage, dhcpMessage, findOption, messageTypeOf } from "./wire/message.js";
export {
  readU8, readU16, readU32, readIpv4Option, readIpv4List, readString,
  bytesOption, u8Option, u16Option, u32Option, ipv4Option, stringOption,
} from "./wire/values.js";
export { type DhcpLease, INFINITE_LEASE, leaseFromMessage, leaseFromCachedReply } from "./lease.js";
export { type BackoffConfig, RFC2131_BACKOFF, backoffDelay } from "./machine/backoff.js";
export { type DhcpClientConfig, type ResolvedDhcpConfig, DEFAULT_VENDOR_CLASS, DEFAULT_PARAMETER_REQUEST_LIST } from "./machine/config.js";
export { DhcpClient, type DhcpClientState, type DhcpTransmit, type DhcpEvent, type DhcpIgnoreReason, type DhcpClientStats } from "./machine/client.js";
export { type DhcpStack, type AcquireOptions, acquireLease, startFromCachedReply, applyLease, releaseLease } from "./adapter/stack.js";
