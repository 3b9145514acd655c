import { toIpv4 } from "@pxe/ip";
import { UsageError } from "../../errors.js";
import type { Command, CommandContext } from "../types.js";
import { unknownHost } from "./errors.js";
import { ipText } from "./format.js";
import { parseCidr } from "./ifconfig.js";
import type { NetState } from "./state.js";

const USAGE = "route [add NET/PREFIX via GW | del NET/PREFIX | add default via GW | del default]";

function printRoutes(state: NetState, ctx: CommandContext): void {
  const routes = state.stack.routes();
  if (routes.length === 0) {
    ctx.out.line("no routes (interface unconfigured)");
    return;
  }
  ctx.out.table(
    routes.map((r) => [r.prefix === 0 ? "default" : `${ipText(r.destination)}/${r.prefix}`, r.gateway === 0 ? "on-link" : ipText(r.gateway), r.origin]),
    { header: ["destination", "gateway", "origin"] },
  );
}

/**
 * `route`: the route table; `route add NET/PREFIX via GW` adds a static
 * route, `route del NET/PREFIX` removes one; `default` names 0.0.0.0/0
 * (the gateway).
 */
export function routeCommand(state: NetState): Command {
  return {
    name: "route",
    summary: "show or change the route table",
    usage: USAGE,
    async run(args, ctx) {
      if (args.length === 0) return printRoutes(state, ctx);
      const op = args[0];
      if (op !== "add" && op !== "del" && op !== "delete") throw new UsageError("route", `unknown operation '${op}'`, USAGE);
      const target = args[1];
      if (target === undefined) throw new UsageError("route", `${op} needs NET/PREFIX`, USAGE);
      const net = target === "default" ? { address: 0, prefix: 0 } : parseCidr("route", USAGE, target);
      const cfg = state.stack.config;
      if (op === "add") {
        if (args.length !== 4 || (args[2] !== "via" && args[2] !== "gw")) throw new UsageError("route", "add needs 'via GATEWAY'", USAGE);
        let gw: number;
        try {
          gw = await state.resolve(args[3]);
        } catch (e) {
          throw unknownHost("route", args[3], e);
        }
        if (net.prefix === 0) {
          state.stack.configure({ gateway: gw });
        } else {
          const routes = cfg.routes.filter((r) => !(r.prefix === net.prefix && sameNet(r.destination, net.address, net.prefix)));
          routes.push({ destination: net.address, prefix: net.prefix, gateway: toIpv4(gw) });
          state.stack.configure({ routes });
        }
      } else {
        if (args.length !== 2) throw new UsageError("route", "del takes NET/PREFIX only", USAGE);
        if (net.prefix === 0) {
          if (cfg.gateway === 0) throw new UsageError("route", "no default route to delete");
          state.stack.configure({ gateway: 0 });
        } else {
          const routes = cfg.routes.filter((r) => !(r.prefix === net.prefix && sameNet(r.destination, net.address, net.prefix)));
          if (routes.length === cfg.routes.length) throw new UsageError("route", `no static route ${target}`);
          state.stack.configure({ routes });
        }
      }
      printRoutes(state, ctx);
    },
  };
}

function sameNet(a: number, b: number, prefix: number): boolean {
  if (prefix === 0) return true;
  const mask = prefix === 32 ? 0xffffffff : ~((1 << (32 - prefix)) - 1);
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}
