import { RecordType, type AddressType } from "@pxe/dns";
import { UsageError } from "../../errors.js";
import type { Command } from "../types.js";
import { NetCommandError, messageOf } from "./errors.js";
import type { NetState } from "./state.js";

const USAGE = "nslookup NAME [A|AAAA]";

/**
 * `nslookup NAME [A|AAAA]`: asks DNS and prints the server, the CNAME chain
 * followed and the addresses. NXDOMAIN, SERVFAIL, no data and timeouts are
 * printed as one clear error line.
 */
export function nslookupCommand(state: NetState): Command {
  return {
    name: "nslookup",
    summary: "look a name up in DNS (A or AAAA, CNAMEs followed)",
    usage: USAGE,
    async run(args, ctx) {
      if (args.length < 1 || args.length > 2) throw new UsageError("nslookup", args.length ? "too many arguments" : "which name?", USAGE);
      const t = (args[1] ?? "A").toUpperCase();
      if (t !== "A" && t !== "AAAA") throw new UsageError("nslookup", `type '${args[1]}' is not A or AAAA`, USAGE);
      const type: AddressType = t === "A" ? RecordType.A : RecordType.AAAA;
      const name = args[0];
      let a;
      try {
        a = await state.resolver.lookup(name, type);
      } catch (e) {
        throw new NetCommandError("nslookup", messageOf(e), { cause: e });
      }
      ctx.out.line(`server:  ${a.server ?? (a.source === "cache" ? "(cache)" : "(literal)")}`);
      const chain = a.chain;
      for (let i = 0; i + 1 < chain.length; i++) ctx.out.line(`${chain[i]}  canonical name = ${chain[i + 1]}`);
      for (const addr of a.addresses) ctx.out.line(`${a.canonicalName}  ${t}  ${addr}`);
      if (a.source !== "literal") ctx.out.line(`ttl ${a.ttl}s${a.source === "cache" ? " (cached)" : ""}`);
    },
  };
}
