import { KbootError } from "./errors.js";
import { RB } from "./freebsd/constants.js";
import { HOWTO_ENV, HOWTO_LETTERS } from "./howto.js";

/** `boot -x` with a letter FreeBSD's boot does not know. */
export class BootFlagError extends KbootError {
  /** The argument as given, e.g. "-sq". */
  readonly arg: string;
  /** The letter that is not a flag. */
  readonly letter: string;
  constructor(arg: string, letter: string) {
    super("KBOOT_FLAG", `unknown boot flag '-${letter}' in '${arg}' (flags: -a -C -c -d -D -g -h -m -p -r -s -v)`);
    this.arg = arg;
    this.letter = letter;
  }
}

/** What `boot [flags] [kernel] [args]` asked for. */
export interface BootArgs {
  /** RB_* bits from the flags. */
  readonly howto: number;
  /** The kernel named after the flags, if any (`boot kernel.old`). */
  readonly kernel?: string;
  /** The flags as typed, e.g. ["-s", "-v"] (kernel_options style). */
  readonly flags: readonly string[];
}

/**
 * Parses the arguments of FreeBSD's `boot`: flag words (`-s`, `-sv`, ...)
 * in any order, then at most one kernel name. Throws BootFlagError on a
 * letter that is not a boot flag.
 */
export function parseBootArgs(args: readonly string[]): BootArgs {
  let howto = 0;
  let kernel: string | undefined;
  const flags: string[] = [];
  for (const a of args) {
    if (a.length > 1 && a.charAt(0) === "-") {
      howto |= flagBits(a);
      flags.push(a);
    } else if (kernel === undefined) kernel = a;
    else throw new BootFlagError(a, a.charAt(0));
  }
  return kernel === undefined ? { howto, flags } : { howto, kernel, flags };
}

/** The RB_* bits of one flag word like "-sv"; BootFlagError on an unknown letter. */
export function flagBits(word: string): number {
  let howto = 0;
  for (let i = 1; i < word.length; i++) {
    const c = word.charAt(i);
    const bit = Object.prototype.hasOwnProperty.call(HOWTO_LETTERS, c) ? HOWTO_LETTERS[c] : undefined;
    if (bit === undefined) throw new BootFlagError(word, c);
    howto |= bit;
  }
  return howto;
}

/** The RB_* bits the loader environment asks for: each `boot_*` variable that is set (any value), as FreeBSD reads them. */
export function howtoFromEnv(get: (name: string) => string | undefined): number {
  let howto = 0;
  for (const [name, bit] of HOWTO_ENV) if (get(name) !== undefined) howto |= bit;
  return howto;
}

/** The `boot_*="YES"` variables for the bits of `howto`, as FreeBSD's loader records flags in the environment. */
export function howtoToEnv(howto: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, bit] of HOWTO_ENV) if ((howto & bit) !== 0) out.push([name, "YES"]);
  return out;
}

/**
 * The RB_* bits the `console` variable implies, as FreeBSD's i386 loader
 * derives them: "comconsole" sets RB_SERIAL, "nullconsole" RB_MUTE, and a
 * video plus a serial console RB_MULTIPLE. Names are separated by spaces or commas.
 */
export function howtoFromConsole(console: string | undefined): number {
  if (console === undefined) return 0;
  let howto = 0;
  let video = false;
  for (const name of console.split(/[ ,]+/)) {
    if (name === "vidconsole") video = true;
    else if (name === "comconsole") howto |= RB.SERIAL;
    else if (name === "nullconsole") howto |= RB.MUTE;
  }
  if (video && (howto & RB.SERIAL) !== 0) howto |= RB.MULTIPLE;
  return howto;
}
