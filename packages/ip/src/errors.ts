import { PxeError, WireError } from "@pxe/core";
import { formatIpv4, type Ipv4Address } from "./wire/address.js";

/** A decoded message whose checksum does not match its bytes. */
export class ChecksumError extends WireError {
  /** The checksum found on the wire. */
  readonly found: number;
  constructor(what: string, offset: number, found: number) {
    super(what, offset, `bad checksum 0x${found.toString(16).padStart(4, "0")}`);
    (this as { code: string }).code = "WIRE_CHECKSUM";
    this.found = found;
  }
}

/** ARP got no reply for `address` after all retries. */
export class ArpTimeoutError extends PxeError {
  /** The address we asked for. */
  readonly address: Ipv4Address;
  /** How many requests were sent. */
  readonly tries: number;
  constructor(address: Ipv4Address, tries: number) {
    super("ARP_TIMEOUT", `no ARP reply from ${formatIpv4(address)} (after ${tries} requests)`);
    this.address = address;
    this.tries = tries;
  }
}

/** No route leads to `destination` (interface unconfigured or no gateway). */
export class NoRouteError extends PxeError {
  /** Where we wanted to send. */
  readonly destination: Ipv4Address;
  constructor(destination: Ipv4Address) {
    super("NO_ROUTE", `no route to host ${formatIpv4(destination)}`);
    this.destination = destination;
  }
}

/** A datagram too large for IPv4 (over 65535 bytes with its header). */
export class DatagramTooLongError extends PxeError {
  /** Payload length that was asked for. */
  readonly length: number;
  /** The largest payload allowed. */
  readonly limit: number;
  constructor(length: number, limit: number) {
    super("MSG_SIZE", `datagram of ${length} bytes exceeds the limit of ${limit}`);
    this.length = length;
    this.limit = limit;
  }
}

/** An ICMP error (destination unreachable, time exceeded, ...) about a packet we sent. */
export class IcmpErrorReport extends PxeError {
  /** ICMP type (3 = destination unreachable, 11 = time exceeded, 12 = parameter problem). */
  readonly icmpType: number;
  /** ICMP code (3 = port unreachable, ...). */
  readonly icmpCode: number;
  /** Who sent the ICMP error. */
  readonly reporter: Ipv4Address;
  /** The destination of the packet that caused it. */
  readonly destination: Ipv4Address;
  /** Destination port of the quoted packet (UDP/TCP), if any. */
  readonly port: number | undefined;
  constructor(icmpType: number, icmpCode: number, reporter: Ipv4Address, destination: Ipv4Address, port?: number) {
    super(icmpErrorCode(icmpType, icmpCode), `${icmpErrorText(icmpType, icmpCode)}: ${formatIpv4(destination)}${port !== undefined ? `:${port}` : ""} (reported by ${formatIpv4(reporter)})`);
    this.icmpType = icmpType;
    this.icmpCode = icmpCode;
    this.reporter = reporter;
    this.destination = destination;
    this.port = port;
  }
}

function icmpErrorCode(type: number, code: number): string {
  if (type === 3) return code === 3 ? "PORT_UNREACHABLE" : code === 4 ? "FRAG_NEEDED" : code === 2 ? "PROTO_UNREACHABLE" : "HOST_UNREACHABLE";
  if (type === 11) return "TIME_EXCEEDED";
  return "ICMP_ERROR";
}

const UNREACH = ["network unreachable", "host unreachable", "protocol unreachable", "port unreachable", "fragmentation needed", "source route failed"];

function icmpErrorText(type: number, code: number): string {
  if (type === 3) return UNREACH[code] ?? `destination unreachable (code ${code})`;
  if (type === 11) return code === 1 ? "fragment reassembly time exceeded" : "time to live exceeded";
  if (type === 12) return "parameter problem";
  return `ICMP error type ${type} code ${code}`;
}
