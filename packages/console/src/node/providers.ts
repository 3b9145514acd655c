import { freemem, totalmem } from "node:os";
import type { ConsolePlugin } from "../commands/registry.js";
import type { Command } from "../commands/types.js";
import { UsageError } from "../errors.js";

/** `mem` on Node: the process's memory figures and the machine's total and free memory. */
export const nodeMemory: ConsolePlugin = (registry) => {
  registry.addMemory({
    name: "node",
    memory: () => {
      const m = process.memoryUsage();
      return {
        facts: [
          ["rss", m.rss],
          ["heap total", m.heapTotal],
          ["heap used", m.heapUsed],
          ["external", m.external],
          ["array buffers", m.arrayBuffers],
          ["system total", totalmem()],
          ["system free", freemem()],
        ],
      };
    },
  });
};

/** `show host` on Node: runtime and process facts. */
export const nodeFacts: ConsolePlugin = (registry) => {
  registry.addFacts({
    name: "host",
    facts: () => [
      ["runtime", `Node.js ${process.version}`],
      ["platform", `${process.platform}/${process.arch}`],
      ["pid", process.pid],
    ],
  });
};

/** `exit [CODE]` (also `quit`): leaves the Node CLI. */
export const exitCommand: Command = {
  name: "exit",
  summary: "leave the console",
  usage: "exit [CODE]",
  aliases: ["quit"],
  run(args, ctx) {
    if (args.length > 1) throw new UsageError("exit", "too many arguments", "exit [CODE]");
    const code = args.length === 1 ? Number(args[0]) : 0;
    if (!Number.isInteger(code) || code < 0 || code > 255) throw new UsageError("exit", `bad exit code '${args[0]}'`, "exit [CODE]");
    ctx.exit(code);
  },
};
