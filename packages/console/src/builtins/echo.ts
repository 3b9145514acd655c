import type { Command } from "../commands/types.js";

/** `echo ARGS...` prints its arguments joined by single spaces (checks what the console received). */
export const echoCommand: Command = {
  name: "echo",
  summary: "print the arguments (check what the console received)",
  usage: "echo [TEXT...]",
  run(args, ctx) {
    ctx.out.line(args.join(" "));
  },
};
