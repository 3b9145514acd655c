import { tryParseIpv4 } from "@pxe/ip";
import { UsageError } from "../../errors.js";
import type { Command, CommandContext } from "../types.js";
import { unknownHost } from "./errors.js";
import { cidrText, ipListText, ipText, macText, maskText } from "./format.js";
import type { NetState } from "./state.js";

const USAGE = "ifconfig [ADDR/PREFIX [gw GW] | down]";

/** Parses "10.0.0.5/24" (or "10.0.0.5 255.255.255.0" style is not accepted: give a prefix). */
export function parseCidr(command: string, usage: string, text: string): { address: number; prefix: number } {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(text);
  const address = m ? tryParseIpv4(m[1]) : undefined;
  const prefix = m ? Number(m[2]) : NaN;
  if (address === undefined || !(prefix >= 0 && prefix <= 32)) throw new UsageError(command, `'${text}' is not ADDRESS/PREFIX (e.g. 10.0.2.15/24)`, usage);
  return { address, prefix };
}

/** Prints the interface (name, MAC, MTU, address, mask, gateway, DNS, domain). */
export function printInterface(state: NetState, ctx: CommandContext): void {
  const i = state.stack.interfaceInfo();
  ctx.out.line(`${i.name}:`);
  ctx.out.pairs([
    ["mac", macText(i.mac)],
    ["mtu", String(i.mtu)],
    ["address", i.address === 0 ? "unconfigured" : cidrText(i.address, i.prefix)],
    ["netmask", i.address === 0 ? "-" : maskText(i.prefix)],
    ["gateway", ipText(i.gateway, true)],
    ["dns", ipListText(i.dns)],
    ["domain", i.domain || "-"],
    ["hostname", i.hostname || "-"],
  ]);
}

/**
 * `ifconfig`: shows the interface; `ifconfig ADDR/PREFIX [gw GW]` sets the
 * address statically (and the default gateway); `ifconfig down` forgets
 * the address.
 */
export function ifconfigCommand(state: NetState): Command {
  return {
    name: "ifconfig",
    summary: "show or set the interface address",
    usage: USAGE,
    details: "Without arguments: MAC, MTU, address/prefix, netmask, gateway, DNS servers, domain.\n'ifconfig 10.0.2.15/24 gw 10.0.2.2' sets them statically (the gateway may be a name); 'ifconfig down' clears the address.",
    async run(args, ctx) {
      if (args.length === 0) return printInterface(state, ctx);
      if (args.length === 1 && args[0] === "down") {
        state.stack.configure({ address: 0, prefix: 0, gateway: 0 });
        return printInterface(state, ctx);
      }
      const { address, prefix } = parseCidr("ifconfig", USAGE, args[0]);
      let gateway: number | undefined;
      const rest = args.slice(1);
      if (rest.length === 2 && (rest[0] === "gw" || rest[0] === "gateway")) {
        try {
          gateway = await state.resolve(rest[1]);
        } catch (e) {
          throw unknownHost("ifconfig", rest[1], e);
        }
      } else if (rest.length !== 0) {
        throw new UsageError("ifconfig", "expected 'gw GATEWAY' after the address", USAGE);
      }
      state.stack.configure({ address, prefix, gateway: gateway ?? 0 });
      state.stack.ip.announce();
      printInterface(state, ctx);
    },
  };
}
