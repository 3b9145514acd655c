/**
 * @pxe/tcp/testing — fast-check arbitraries for headers, options and
 * segments; a scripted-peer harness with state constructors
 * (`established()`, `finWait1()`, ...) whose helpers take explicit time;
 * a TEST-ONLY reference server peer (`RefPeer`) and a deterministic,
 * seeded, impairing network (`Netsim`) that connects it to a TcpConnection.
 */
export { arbSackBlock, arbOption, arbOptions, arbHeader, arbSegment, normalizeOptions, normalizeHeader } from "./testing/arbitraries.js";
export { TcpHarness, synSent, established, finWait1, finWait2, closing, timeWait, closeWait, lastAck, CLIENT_ADDR, SERVER_ADDR } from "./testing/harness.js";
export type { HarnessOptions, PeerSegment } from "./testing/harness.js";
export { RefPeer } from "./testing/peer.js";
export type { RefPeerOptions } from "./testing/peer.js";
export { Netsim } from "./testing/netsim.js";
export type { SimEndpoint, ChannelOptions, NetsimStats } from "./testing/netsim.js";
export { download, upload } from "./testing/transfer.js";
export type { TransferOptions, TransferResult } from "./testing/transfer.js";
