import { PxeError } from "@pxe/core";
import { formatIpv4 } from "@pxe/ip";

/** Formats "a.b.c.d:port". */
export function formatEndpoint(addr: number, port: number): string {
  return `${formatIpv4(addr)}:${port}`;
}

/** Base of the errors a TCP connection ends with; names the peer. */
export class TcpError extends PxeError {
  /** Remote IPv4 address (u32). */
  readonly remoteAddr: number;
  /** Remote port. */
  readonly remotePort: number;
  constructor(code: string, message: string, remoteAddr: number, remotePort: number) {
    super(code, message);
    this.remoteAddr = remoteAddr;
    this.remotePort = remotePort;
  }
  /** "a.b.c.d:port" of the peer. */
  get peer(): string {
    return formatEndpoint(this.remoteAddr, this.remotePort);
  }
}

/** The connection gave up after its retransmission limit (SYN or data). */
export class TcpTimeoutError extends TcpError {
  /**
   * What timed out: "connect" (SYN retries), "retransmission", or "orphan"
   * (a released connection whose peer kept its window shut through every
   * zero-window probe).
   */
  readonly phase: "connect" | "retransmission" | "orphan";
  /** Number of retransmissions (or, for "orphan", zero-window probes) made before giving up. */
  readonly retries: number;
  constructor(remoteAddr: number, remotePort: number, phase: "connect" | "retransmission" | "orphan", retries: number) {
    super(
      "TCP_TIMEOUT",
      phase === "connect"
        ? `connection to ${formatEndpoint(remoteAddr, remotePort)} timed out`
        : phase === "orphan"
          ? `closed connection to ${formatEndpoint(remoteAddr, remotePort)} given up: the peer kept its window shut through ${retries} zero-window probes`
          : `connection to ${formatEndpoint(remoteAddr, remotePort)} timed out (no acknowledgment after ${retries} retransmissions)`,
      remoteAddr,
      remotePort,
    );
    this.phase = phase;
    this.retries = retries;
  }
}

/** The peer reset an established connection. */
export class TcpResetError extends TcpError {
  constructor(remoteAddr: number, remotePort: number) {
    super("TCP_RESET", `connection reset by ${formatEndpoint(remoteAddr, remotePort)}`, remoteAddr, remotePort);
  }
}

/** The peer answered our SYN with RST: nothing listens on that port. */
export class TcpRefusedError extends TcpError {
  constructor(remoteAddr: number, remotePort: number) {
    super("TCP_REFUSED", `connection to ${formatEndpoint(remoteAddr, remotePort)} refused`, remoteAddr, remotePort);
  }
}

/** An operation that the connection's state does not allow (e.g. send after close). */
export class TcpStateError extends TcpError {
  /** The state the connection was in. */
  readonly state: string;
  constructor(remoteAddr: number, remotePort: number, operation: string, state: string) {
    super("TCP_STATE", `cannot ${operation} on connection to ${formatEndpoint(remoteAddr, remotePort)} in state ${state}`, remoteAddr, remotePort);
    this.state = state;
  }
}

/**
 * An ICMP destination-unreachable (protocol or port unreachable) answered
 * our SYN: the host exists but does not speak TCP there. `cause` holds the
 * ICMP report.
 */
export class TcpUnreachableError extends TcpError {
  constructor(remoteAddr: number, remotePort: number, cause: Error) {
    super("TCP_UNREACHABLE", `connection to ${formatEndpoint(remoteAddr, remotePort)} failed: ${cause.message}`, remoteAddr, remotePort);
    (this as { cause?: unknown }).cause = cause;
  }
}
