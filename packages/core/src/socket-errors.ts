/**
 * Errors of socket operations, shared by every transport (UDP sockets in
 * @pxe/sockets, stream sockets in @pxe/tcp), so callers catch one class
 * whichever socket type they hold.
 */
import { PxeError } from "./errors.js";

/** A nonblocking operation found nothing to do (EAGAIN/EWOULDBLOCK). */
export class WouldBlockError extends PxeError {
  /** The operation, e.g. "recvfrom on 0.0.0.0:68". */
  readonly operation: string;
  constructor(operation: string) {
    super("WOULD_BLOCK", `${operation} would block`);
    this.operation = operation;
  }
}

/** The socket was closed (before or during the operation). */
export class SocketClosedError extends PxeError {
  /** The operation attempted. */
  readonly operation: string;
  constructor(operation: string) {
    super("SOCKET_CLOSED", `${operation}: socket is closed`);
    this.operation = operation;
  }
}

/** `send`/`recv` on a socket that has no remote address (ENOTCONN / EDESTADDRREQ). */
export class NotConnectedError extends PxeError {
  constructor(operation: string) {
    super("NOT_CONNECTED", `${operation}: socket is not connected`);
  }
}
