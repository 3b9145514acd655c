import { PxeError, TimeoutError } from "@pxe/core";

/** A DHCP message value that cannot be put on the wire (field too long, bad option code). */
export class DhcpEncodeError extends PxeError {
  /** The field or option at fault, e.g. "sname" or "option 0". */
  readonly field: string;
  constructor(field: string, reason: string) {
    super("DHCP_ENCODE", `cannot encode DHCP ${field}: ${reason}`);
    this.field = field;
  }
}

/**
 * The DHCP client got no usable answer within its total time limit.
 * `phase` tells what it was waiting for when time ran out.
 */
export class DhcpTimeoutError extends TimeoutError {
  /** "offer" while DISCOVERing, "ack" while REQUESTing. */
  readonly phase: "offer" | "ack";
  /** DISCOVER + REQUEST messages sent in total. */
  readonly transmissions: number;
  /** NAKs received (each restarted the exchange). */
  readonly naks: number;
  /** The last impossible lease refused meanwhile, if any (why the offers or ACKs that came were no use). */
  readonly refused: DhcpBadLeaseError | undefined;
  constructor(phase: "offer" | "ack", timeoutMs: number, transmissions: number, naks: number, refused?: DhcpBadLeaseError) {
    super(`DHCP (no ${phase === "offer" ? "DHCPOFFER" : "DHCPACK"} received, ${transmissions} messages sent, ${naks} NAKs${refused ? `; ${refused.message}` : ""})`, timeoutMs);
    this.refused = refused;
    (this as { code: string }).code = "DHCP_TIMEOUT";
    this.phase = phase;
    this.transmissions = transmissions;
    this.naks = naks;
  }
}

/** A BOOTP/DHCP reply that carries no lease (not a reply, or no `yiaddr`). */
export class DhcpNoLeaseError extends PxeError {
  /** Why the reply gives no lease. */
  readonly reason: string;
  constructor(reason: string) {
    super("DHCP_NO_LEASE", `DHCP reply carries no lease: ${reason}`);
    this.reason = reason;
  }
}

/**
 * A reply grants a lease that cannot be used: `yiaddr` is not a host
 * address (0/8, loopback, multicast, reserved, broadcast). The client
 * refuses it rather than configure an impossible interface.
 */
export class DhcpBadLeaseError extends PxeError {
  /** The offending field, e.g. "yiaddr". */
  readonly field: string;
  /** Its value as dotted quad. */
  readonly value: string;
  constructor(field: string, value: string, reason: string) {
    super("DHCP_BAD_LEASE", `DHCP lease refused: ${field} ${value} ${reason}`);
    this.field = field;
    this.value = value;
  }
}

/** The client was used in a way its state does not allow (e.g. release before bound). */
export class DhcpStateError extends PxeError {
  /** The client's state at the time. */
  readonly state: string;
  constructor(state: string, what: string) {
    super("DHCP_STATE", `DHCP client cannot ${what} in state ${state}`);
    this.state = state;
  }
}
