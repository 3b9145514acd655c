import type { PxeError } from "@pxe/core";
import type { IcmpErrorReport } from "../errors.js";
import type { Ipv4Address } from "../wire/address.js";
import type { QuotedDatagram } from "../wire/icmp.js";
import type { Ipv4Header } from "../wire/ipv4.js";
import type { Verdict } from "./counters.js";

/**
 * A received IPv4 datagram handed to a protocol handler. `data` is a LEASE
 * (it may be the link driver's receive buffer): valid only during the
 * `receive` call, copy what you keep. The payload is data[start, end).
 */
export interface IpPacket {
  /** The decoded (and checksum-verified) header. For reassembled datagrams, the first fragment's header. */
  header: Ipv4Header;
  /** Bytes holding the payload (lease). */
  data: Uint8Array;
  /** First payload byte. */
  start: number;
  /** Just past the payload. */
  end: number;
  /** "unicast" when addressed to us; "broadcast" for 255.255.255.255 or our subnet's broadcast. */
  cast: "unicast" | "broadcast";
}

/** An ICMP error about a datagram we sent, as given to the protocol that sent it. */
export interface IcmpErrorInfo {
  /** The error, ready to hand to a user (carries type, code, addresses, port). */
  error: IcmpErrorReport;
  /** The quoted header and leading payload bytes (ports for UDP/TCP). */
  quoted: QuotedDatagram;
}

/**
 * A transport protocol above IPv4 (UDP, TCP). Register one per protocol
 * number with `IpInterface.register`. All calls are synchronous, inside
 * `poll(now)`; the handler sends through `IpInterface.send`.
 */
export interface IpProtocolHandler {
  /** A datagram for us; returns "ok" or the reason it was dropped (counted once by the interface). */
  receive(packet: IpPacket, now: number): Verdict;
  /** An ICMP error quoting one of our datagrams of this protocol. */
  icmpError?(info: IcmpErrorInfo, now: number): void;
  /** Runs due timers (retransmissions, ...). Called after every interface poll that took frames, and when `now >= nextDeadline()`. */
  poll?(now: number): void;
  /** The earliest time `poll` has work, if any. */
  nextDeadline?(): number | undefined;
}

/** Whoever sent a datagram: told when it fails after the send call returned (e.g. ARP timeout). */
export interface TxOwner {
  /** The datagram(s) could not be sent; `error` says why (ArpTimeoutError, ...). */
  sendFailed(error: PxeError, now: number): void;
}

/**
 * A datagram to send. The transport writes its `length` bytes in place
 * (headroom: no copy) through `write`, which learns the chosen source
 * address (needed for pseudo-header checksums).
 */
export interface IpSendRequest {
  /** Destination. */
  dst: Ipv4Address;
  /** Protocol number. */
  protocol: number;
  /** Payload length in bytes. */
  length: number;
  /** Writes the payload into out[off, off + length). */
  write(out: Uint8Array, off: number, src: Ipv4Address, dst: Ipv4Address): void;
  /** Source address; default the interface address (0.0.0.0 while unconfigured). */
  src?: Ipv4Address;
  /** TTL; default 64. */
  ttl?: number;
  /** Type of service; default 0. */
  tos?: number;
  /** Set DF (then a datagram larger than the MTU is an error). Default false. */
  dontFragment?: boolean;
  /** Told about failures that happen later (ARP timeout). */
  owner?: TxOwner;
}
