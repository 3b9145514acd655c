/**
 * @pxe/sockets — the Stack (Ethernet/ARP/IPv4/ICMP + UDP over a
 * LinkDriver, driven by poll(now)) and BSD-style sockets with a Promise API
 * that waits through an injected DriverHost (timers on Node, a busy loop in
 * the NBP, virtual time in tests).
 */
export { Stack } from "./stack.js";
export type { StackOptions, StackStats, StreamSocketFactory, HostResolver } from "./stack.js";
export { UdpSocket } from "./udp-socket.js";
export type { SocketHost, UdpSocketOptions } from "./udp-socket.js";
export type { Socket, DatagramSocket, StreamSocket, Datagram, RecvOptions, SendOptions } from "./types.js";
export { sockAddr, formatSockAddr } from "./addr.js";
export type { SockAddr, SockAddrInput } from "./addr.js";
export { busyHost, virtualHost } from "./driver.js";
export type { DriverHost } from "./driver.js";
export { WouldBlockError, SocketClosedError, NotConnectedError, UnsupportedSocketTypeError, NoResolverError } from "./errors.js";
