import { acquireLease, type DhcpLease } from "@pxe/dhcp";
import { UsageError } from "../../errors.js";
import type { Output } from "../output.js";
import type { Command } from "../types.js";
import { ageText, ipListText, ipText } from "./format.js";
import type { NetState } from "./state.js";

const USAGE = "dhcp [-t SECONDS]";

/** Prints a lease: address, mask, router, DNS, domain, host name, lease time, next-server, boot file, root-path, www-server. */
export function printLease(lease: DhcpLease, out: Output): void {
  const infinite = lease.leaseTime === 0xffffffff;
  out.pairs([
    ["address", ipText(lease.address)],
    ["netmask", lease.subnetMask !== undefined ? ipText(lease.subnetMask) : "-"],
    ["router", ipListText(lease.routers)],
    ["dns", ipListText(lease.dnsServers)],
    ["domain", lease.domainName ?? "-"],
    ["hostname", lease.hostname ?? "-"],
    ["lease", lease.leaseTime === undefined ? "-" : infinite ? "infinite" : ageText(lease.leaseTime * 1000)],
    ["server", lease.serverId !== undefined ? ipText(lease.serverId) : "-"],
    ["next-server", ipText(lease.nextServer, true)],
    ["boot file", lease.bootFile ?? "-"],
    ["root-path", lease.rootPath ?? "-"],
    ["www-server", ipListText(lease.wwwServers)],
  ]);
}

/**
 * `dhcp`: asks the network afresh (DISCOVER/OFFER/REQUEST/ACK), configures
 * the interface from the ACK and prints the lease. `-t SECONDS` bounds the
 * whole exchange (default 30).
 */
export function dhcpCommand(state: NetState): Command {
  return {
    name: "dhcp",
    summary: "get an address by DHCP (asks afresh) and show the lease",
    usage: USAGE,
    async run(args, ctx) {
      let timeoutS = 30;
      if (args.length === 2 && args[0] === "-t" && Number(args[1]) > 0) timeoutS = Number(args[1]);
      else if (args.length !== 0) throw new UsageError("dhcp", "unexpected arguments", USAGE);
      ctx.out.line(`DHCP on ${state.stack.interfaceInfo().name} ...`);
      const lease = await acquireLease(state.stack, { totalTimeoutMs: timeoutS * 1000, ...state.dhcpOptions });
      state.lease = lease;
      state.applyDnsOverride();
      state.stack.ip.announce();
      printLease(lease, ctx.out);
    },
  };
}
