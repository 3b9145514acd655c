import { CommandRegistry } from "../commands/registry.js";
import type { Settings } from "../commands/settings.js";
import type { Command } from "../commands/types.js";
import { echoCommand } from "./echo.js";
import { helpCommand } from "./help.js";
import { memCommand } from "./mem.js";
import { poweroffCommand, rebootCommand } from "./power.js";
import { setCommand, unsetCommand } from "./settings-commands.js";
import { showCommand } from "./show.js";
import { statsCommand } from "./stats.js";

/** The built-in commands: help, show, set, unset, echo, mem, stats, reboot, poweroff. */
export function builtinCommands(): Command[] {
  return [helpCommand, showCommand, setCommand, unsetCommand, echoCommand, memCommand, statsCommand, rebootCommand, poweroffCommand];
}

/** Plugin form of {@link builtinCommands}: `registry.use(builtins)`. */
export function builtins(registry: CommandRegistry): void {
  for (const c of builtinCommands()) registry.add(c);
}

/** A new registry holding the built-in commands. */
export function createRegistry(settings?: Settings): CommandRegistry {
  return new CommandRegistry(settings).use(builtins);
}
