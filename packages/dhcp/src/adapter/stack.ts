import { PxeError } from "@pxe/core";
import type { Stack, UdpSocket } from "@pxe/sockets";
import { DhcpStateError } from "../errors.js";
import { type DhcpLease, leaseFromCachedReply } from "../lease.js";
import { DhcpClient } from "../machine/client.js";
import type { DhcpClientConfig } from "../machine/config.js";
import { DHCP_CLIENT_PORT, DHCP_SERVER_PORT } from "../wire/constants.js";

/** The parts of a @pxe/sockets Stack the DHCP adapter uses. */
export type DhcpStack = Pick<Stack, "udpSocket" | "waitFor" | "now" | "platform" | "mac" | "configure">;

/** Options of {@link acquireLease}: the client config without what the stack supplies. */
export interface AcquireOptions extends Omit<DhcpClientConfig, "mac" | "random"> {
  /** Override the MAC (default: the stack's). */
  readonly mac?: Uint8Array;
  /** Configure the stack from the lease when bound (default true). */
  readonly configure?: boolean;
  /** Called with the running client once started (e.g. to show progress or keep it for renewal). */
  readonly onStart?: (client: DhcpClient) => void;
}

/**
 * Asks the network afresh (what the `dhcp` console command does): runs a
 * DhcpClient over a UDP socket bound to 0.0.0.0:68 of `stack`, sending
 * from 0.0.0.0 to 255.255.255.255:67, until an ACK binds it. Configures
 * the stack from the lease unless `configure: false`. Rejects with
 * DhcpTimeoutError after `totalTimeoutMs`.
 */
export async function acquireLease(stack: DhcpStack, opts: AcquireOptions = {}): Promise<DhcpLease> {
  const client = new DhcpClient({ ...opts, mac: opts.mac ?? stack.mac, random: stack.platform });
  const sock = stack.udpSocket({ port: DHCP_CLIENT_PORT });
  try {
    client.start(stack.now());
    opts.onStart?.(client);
    for (;;) {
      const now = stack.now();
      for (const t of client.poll(now)) send(sock, t.payload, t.dst, t.dstPort, t.src);
      for (const e of client.takeEvents()) {
        if (e.type === "bound") {
          if (opts.configure !== false) applyLease(stack, e.lease);
          return e.lease;
        }
        if (e.type === "failed") throw e.error;
      }
      const at = client.pollAt();
      await stack.waitFor(() => sock.readable(), at === Infinity ? undefined : at);
      drain(sock, (data) => client.receive(stack.now(), data));
    }
  } finally {
    sock.close();
  }
}

/**
 * "Start from a cached ACK": builds the lease from PXE's cached DHCP reply
 * (the BOOTP bytes of PXENV_GET_CACHED_INFO) without asking the network,
 * and configures the stack from it unless `configure` is false.
 */
export function startFromCachedReply(stack: Pick<Stack, "configure" | "now">, bootpBytes: Uint8Array, configure = true): DhcpLease {
  const lease = leaseFromCachedReply(bootpBytes, stack.now());
  if (configure) applyLease(stack, lease);
  return lease;
}

/**
 * Configures the stack's interface from a lease: address, prefix (the
 * lease's usable prefix: an impossible mask was replaced by the classful
 * default), default gateway (first usable router), DNS servers, domain and
 * host name.
 */
export function applyLease(stack: Pick<Stack, "configure">, lease: DhcpLease): void {
  stack.configure({
    address: lease.address,
    prefix: lease.prefix,
    gateway: lease.routers[0] ?? 0,
    dns: lease.dnsServers.slice(),
    domain: lease.domainName,
    hostname: lease.hostname,
  });
}

/** Sends a RELEASE for `lease` (unicast to its server) from a client created for it. */
export function releaseLease(stack: DhcpStack, client: DhcpClient): void {
  if (!client.lease) throw new DhcpStateError(client.state, "release without a lease");
  const t = client.release(stack.now());
  const sock = stack.udpSocket({ address: t.src, port: DHCP_CLIENT_PORT });
  try {
    send(sock, t.payload, t.dst, t.dstPort, t.src);
  } finally {
    sock.close();
  }
}

function send(sock: UdpSocket, payload: Uint8Array, dst: number, port: number, src: number): void {
  try {
    sock.sendTo(payload, { address: dst, port }, { src });
  } catch (e) {
    // No route yet or the link refused: the retransmission timer tries again.
    if (!(e instanceof PxeError)) throw e;
  }
}

function drain(sock: UdpSocket, onData: (data: Uint8Array) => void): void {
  for (;;) {
    let d;
    try {
      d = sock.tryRecvFrom();
    } catch (e) {
      if (e instanceof PxeError) continue; // an ICMP/ARP error report: not for DHCP
      throw e;
    }
    if (!d) return;
    if (d.from.port === DHCP_SERVER_PORT) onData(d.data);
  }
}
