import type { Platform } from "@pxe/core";
import type { IpProtocolHandler } from "@pxe/ip";
import { IP_PROTO_TCP } from "../wire/constants.js";
import type { TcpConfig } from "../machine/config.js";
import { TcpSocket, type TcpSocketHost } from "./socket.js";
import { TcpLayer, type TcpIpSender } from "./tcp-layer.js";

/**
 * What `installTcp` needs from a stack — @pxe/sockets' `Stack` fits
 * structurally (this package sits below sockets and cannot import it).
 */
export interface TcpStackHost extends TcpSocketHost {
  /** The IP interface. */
  readonly ip: TcpIpSender;
  /** Host services. */
  readonly platform: Platform;
  /** Registers a transport for an IP protocol number, with counters for `stats()`. */
  registerProtocol(protocol: number, handler: IpProtocolHandler, stats?: { name: string; counters: () => unknown }): void;
  /** Lets `socket("stream")` build stream sockets. */
  registerSocketType(kind: "stream", factory: (stack: unknown) => TcpSocket): void;
}

/**
 * Plugs TCP into a stack: registers a TcpLayer for IP protocol 6 (counters
 * under `stats().tcp`) and the "stream" socket type, so existing callers of
 * `stack.socket("stream")` get TcpSockets. Returns the layer (for `listen`
 * and direct connections).
 */
export function installTcp(stack: TcpStackHost, opts: { config?: Partial<TcpConfig> } = {}): TcpLayer {
  const layer = new TcpLayer({ ip: stack.ip, platform: stack.platform, config: opts.config });
  stack.registerProtocol(IP_PROTO_TCP, layer, { name: "tcp", counters: () => layer.stats() });
  stack.registerSocketType("stream", () => new TcpSocket(stack, layer, opts.config));
  return layer;
}
