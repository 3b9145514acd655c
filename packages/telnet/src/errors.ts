import { PxeError } from "@pxe/core";

/** A telnet session failed: the connection broke, or it was used after it ended. `peer` names the server ("host:port"). */
export class TelnetError extends PxeError {
  /** "host:port" of the server. */
  readonly peer: string;
  constructor(peer: string, message: string, options?: { cause?: unknown }) {
    super("TELNET_SESSION", `telnet ${peer}: ${message}`, options);
    this.peer = peer;
  }
}
