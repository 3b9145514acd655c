import { PxeError } from "@pxe/core";

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

/** The socket type is not available (e.g. "stream" before @pxe/tcp registers it). */
export class UnsupportedSocketTypeError extends PxeError {
  /** The type asked for. */
  readonly type: string;
  constructor(type: string) {
    super("UNSUPPORTED_SOCKET", `socket type "${type}" is not available on this stack`);
    this.type = type;
  }
}

/** A host name was given but no resolver is registered (see Stack.setResolver). */
export class NoResolverError extends PxeError {
  /** The name asked for. */
  readonly host: string;
  constructor(host: string) {
    super("NO_RESOLVER", `cannot resolve "${host}": no name resolver registered`);
    this.host = host;
  }
}
