import { PxeError } from "@pxe/core";
import { formatIpv4, type Ipv4Address } from "@pxe/ip";

/** The local address and port are already bound. */
export class AddressInUseError extends PxeError {
  /** Local address asked for. */
  readonly address: Ipv4Address;
  /** Local port asked for. */
  readonly port: number;
  constructor(address: Ipv4Address, port: number) {
    super("ADDR_IN_USE", `UDP address ${formatIpv4(address)}:${port} already in use`);
    this.address = address;
    this.port = port;
  }
}

/** Every ephemeral port (49152-65535) is taken. */
export class NoFreePortError extends PxeError {
  constructor() {
    super("NO_FREE_PORT", "no free UDP ephemeral port in 49152-65535");
  }
}
