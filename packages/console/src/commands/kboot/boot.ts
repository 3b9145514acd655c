import type { Command } from "../types.js";
import { bootNow } from "./loader.js";
import type { LoaderState } from "./state.js";

const USAGE = "boot [-aCcdDghmprsv] [KERNEL]";

/**
 * `boot [flags] [KERNEL]`: FreeBSD's boot. Flags (-s single user, -v
 * verbose, -h serial console ...) become boothowto bits and `boot_*` kenv
 * variables; KERNEL (e.g. kernel.old) replaces what is loaded by that
 * kernel and the configured modules; with nothing loaded the configured
 * kernel and modules are loaded first. Then the image is laid out against
 * the E820 map and started. Any failure is printed and nothing is started.
 */
export function bootCommand(state: LoaderState): Command {
  return {
    name: "boot",
    summary: "boot the loaded kernel (flags: -s single user, -v verbose, -h serial ...)",
    usage: USAGE,
    details: "-a ask for root, -C cdrom root, -c (ignored), -d debugger, -D dual console, -g gdb, -h serial console, -m mute, -p pause, -r default root, -s single user, -v verbose.",
    run: (args, ctx) => bootNow(state, ctx, args),
  };
}
