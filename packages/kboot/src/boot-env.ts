import { LOADER_ONLY_VARS } from "./conf/read.js";
import { howtoFromConsole, howtoFromEnv, howtoToEnv } from "./flags.js";
import { RB } from "./freebsd/constants.js";

/** The COM1 port and speed the serial console hand-off uses unless comconsole_port/comconsole_speed say otherwise. */
export const COMCONSOLE_DEFAULTS = { port: 0x3f8, speed: 115200 } as const;

/** What the kernel gets besides the files: boothowto and its environment. */
export interface KernelHandoff {
  /** RB_* bits (boot flags, boot_* variables, console). */
  readonly howto: number;
  /** kenv as name/value pairs, in order. */
  readonly kenv: ReadonlyArray<readonly [string, string]>;
}

/**
 * Combines the loader environment with `boot`'s flags as FreeBSD's loader
 * does: flags are recorded as `boot_*="YES"` variables; howto is every
 * `boot_*` variable's bit plus what `console` implies; with RB_SERIAL the
 * kernel gets `hw.uart.console="io:0x3f8,br:115200"` (port and speed from
 * comconsole_port / comconsole_speed) unless it is set already — what a
 * FreeBSD kernel needs to find its serial console. Loader-only variables
 * (loader_conf_files) stay out of kenv.
 */
export function kernelHandoff(env: ReadonlyArray<readonly [string, string]>, flagsHowto: number): KernelHandoff {
  const vars = new Map<string, string>();
  for (const [k, v] of env) if (LOADER_ONLY_VARS.indexOf(k) < 0) vars.set(k, v);
  for (const [k, v] of howtoToEnv(flagsHowto)) if (!vars.has(k)) vars.set(k, v);
  const howto = flagsHowto | howtoFromEnv((k) => vars.get(k)) | howtoFromConsole(vars.get("console"));
  if ((howto & RB.SERIAL) !== 0 && !vars.has("hw.uart.console")) {
    const port = numberVar(vars.get("comconsole_port"), COMCONSOLE_DEFAULTS.port);
    const speed = numberVar(vars.get("comconsole_speed"), COMCONSOLE_DEFAULTS.speed);
    vars.set("hw.uart.console", `io:0x${port.toString(16)},br:${speed}`);
  }
  return { howto, kenv: Array.from(vars.entries()) };
}

/** A decimal or 0x-hex variable, or `fallback` when unset or not a positive number. */
function numberVar(v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const t = v.trim();
  const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t.slice(2), 16) : /^\d+$/.test(t) ? parseInt(t, 10) : NaN;
  return n > 0 ? n : fallback;
}
