import { UsageError } from "../errors.js";
import type { Command } from "../commands/types.js";

/** `help` lists commands with summaries; `help CMD` shows one command's usage. */
export const helpCommand: Command = {
  name: "help",
  summary: "list commands, or show how to use one",
  usage: "help [COMMAND]",
  aliases: ["?"],
  run(args, ctx) {
    if (args.length > 1) throw new UsageError("help", "too many arguments", "help [COMMAND]");
    if (args.length === 1) {
      const cmd = ctx.registry.get(args[0]);
      if (!cmd) throw new UsageError("help", `no command '${args[0]}' \u2014 type 'help' for the list`);
      ctx.out.line(`usage: ${cmd.usage ?? cmd.name}`);
      ctx.out.line(`  ${cmd.summary}`);
      if (cmd.details) for (const l of cmd.details.split("\n")) ctx.out.line(l === "" ? "" : `  ${l}`);
      if (cmd.aliases && cmd.aliases.length > 0) ctx.out.line(`  also: ${cmd.aliases.join(", ")}`);
      return;
    }
    ctx.out.line("Commands:");
    ctx.out.table(ctx.registry.list().map((c) => [c.name, c.summary]));
    ctx.out.line("Type 'help COMMAND' for its usage.");
  },
};
