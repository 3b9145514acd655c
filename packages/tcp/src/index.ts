/**
 * @pxe/tcp — TCP for network boot: wire codecs (header, options, checksum
 * with the IPv4 pseudo-header) and `TcpConnection`, a synchronous sans-IO
 * state machine with every RFC 9293 state, driven by explicit time.
 */
export * as seq from "./seq.js";
export { IP_PROTO_TCP, TCP_HEADER_LEN, TCP_MAX_HEADER_LEN, TCP_MAX_OPTIONS_LEN, TcpField, TcpFlags, TcpOptionKind, MAX_WINDOW_SCALE } from "./wire/constants.js";
export { tcpOptionsCodec, optionLength, encodeOptionInto, parseOptions } from "./wire/options.js";
export type { TcpOption, SackBlock, ParsedOptions } from "./wire/options.js";
export { tcpHeaderCodec, flagsToString } from "./wire/header.js";
export type { TcpHeader } from "./wire/header.js";
export { pseudoHeaderSum, tcpChecksum, verifyTcpChecksum } from "./wire/checksum.js";
export { encodeSegment, encodeSegmentInto, decodeSegment, segmentLength } from "./wire/segment.js";
export type { TcpSegment } from "./wire/segment.js";
export { TcpError, TcpTimeoutError, TcpResetError, TcpRefusedError, TcpStateError, TcpUnreachableError, formatEndpoint } from "./errors.js";
export { TcpState, isSynchronized } from "./machine/state.js";
export { DEFAULT_TCP_CONFIG, windowScaleFor } from "./machine/config.js";
export type { TcpConfig } from "./machine/config.js";
export { TcpConnection } from "./machine/connection.js";
export type { TcpConnectionOptions, TcpStats } from "./machine/connection.js";
export type { OutSegment } from "./machine/segment-out.js";
export { segmentSeqLength } from "./machine/segment-out.js";
export { ByteRing } from "./machine/ring.js";
export { Assembler } from "./machine/assembler.js";
export { RttEstimator } from "./machine/rtt.js";
export { NewReno } from "./machine/congestion.js";
export { ephemeralPort, EPHEMERAL_PORT_MIN, EPHEMERAL_PORT_MAX } from "./ports.js";
export { resetReplyFor } from "./machine/reset.js";
export { TcpLayer } from "./layer/tcp-layer.js";
export type { TcpLayerOptions, TcpLayerStats, TcpIpSender } from "./layer/tcp-layer.js";
export { TcpSocket } from "./layer/socket.js";
export type { TcpSocketHost, TcpSockAddr, TcpSockAddrInput } from "./layer/socket.js";
export { installTcp } from "./layer/install.js";
export type { TcpStackHost } from "./layer/install.js";
