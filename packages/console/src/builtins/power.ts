import { HostError, UsageError } from "../errors.js";
import type { Command } from "../commands/types.js";

/** `reboot` calls the host's reboot hook. */
export const rebootCommand: Command = {
  name: "reboot",
  summary: "restart the machine",
  usage: "reboot",
  async run(args, ctx) {
    if (args.length > 0) throw new UsageError("reboot", "takes no arguments", "reboot");
    const hook = ctx.system.reboot;
    if (!hook) throw new HostError("reboot", "reboot is not available on this host");
    ctx.out.line("rebooting...");
    await hook.call(ctx.system, ctx);
  },
};

/** `poweroff` calls the host's poweroff hook (on Node: ends the CLI). */
export const poweroffCommand: Command = {
  name: "poweroff",
  summary: "power the machine off",
  usage: "poweroff",
  aliases: ["halt"],
  async run(args, ctx) {
    if (args.length > 0) throw new UsageError("poweroff", "takes no arguments", "poweroff");
    const hook = ctx.system.poweroff;
    if (!hook) throw new HostError("poweroff", "poweroff is not available on this host");
    ctx.out.line("powering off...");
    await hook.call(ctx.system, ctx);
  },
};
