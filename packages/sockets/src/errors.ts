import { PxeError } from "@pxe/core";

export { NotConnectedError, SocketClosedError, WouldBlockError } from "@pxe/core";

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
