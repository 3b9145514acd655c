import type { CommandContext } from "../types.js";
import { InterruptedError } from "../../errors.js";

/** autoboot_delay when loader.conf does not set it (FreeBSD's default). */
export const DEFAULT_AUTOBOOT_DELAY = 10;

/**
 * What `autoboot_delay` asks for, as loader.conf(5) reads it: a number of
 * seconds to count down; "0" and "-1" boot at once; "NO" does not boot
 * by itself (the prompt, with everything loaded). Unset or unreadable: 10.
 */
export function autobootDelay(value: string | undefined): number | "no" {
  if (value === undefined) return DEFAULT_AUTOBOOT_DELAY;
  const t = value.trim();
  if (/^no$/i.test(t)) return "no";
  if (t === "-1") return 0;
  return /^\d+$/.test(t) ? parseInt(t, 10) : DEFAULT_AUTOBOOT_DELAY;
}

/**
 * Counts `seconds` down on the console ("Booting [NAME] in N seconds...",
 * in place on ANSI terminals); any key (or Ctrl-C) stops it. Resolves true
 * when the time ran out, false when a key stopped it.
 */
export async function countdown(ctx: CommandContext, seconds: number, name: string): Promise<boolean> {
  if (seconds <= 0) return true;
  let stopped = false;
  const off = ctx.onKey(() => {
    stopped = true;
  });
  ctx.out.line("Hit any key to stop the autoboot and get the prompt.");
  try {
    for (let left = seconds; left > 0 && !stopped; left--) {
      const text = `Booting [${name}] in ${left} second${left === 1 ? "" : "s"}...`;
      if (ctx.terminal.ansi) ctx.terminal.write(`\r${text}  `);
      else ctx.out.line(text);
      // Wake up often so a key stops the countdown at once.
      for (let t = 0; t < 10 && !stopped; t++) await ctx.sleep(100);
    }
  } catch (e) {
    if (!(e instanceof InterruptedError)) throw e;
    stopped = true;
  } finally {
    off();
    if (ctx.terminal.ansi) ctx.out.line("");
  }
  return !stopped;
}
