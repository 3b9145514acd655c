import { UsageError } from "../../errors.js";

/** How one option of a command is read. */
export interface OptionSpec {
  /** Names that select it, e.g. ["-c", "--count"]. */
  readonly names: readonly string[];
  /** True when the option takes a value (the next word, or "--name=value"). */
  readonly value: boolean;
}

/** Options found (by their first name) and the remaining positional words. */
export interface ParsedArgs {
  /** Option values by the spec's first name; flags map to "". */
  readonly options: Record<string, string>;
  /** Words that are not options, in order. */
  readonly positional: string[];
}

/**
 * Splits a command's words into options and positional arguments. Throws
 * UsageError for unknown options and missing values. A lone "-" and words
 * after "--" are positional.
 */
export function parseArgs(command: string, usage: string, words: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const options: Record<string, string> = {};
  const positional: string[] = [];
  let rest = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (rest || w === "-" || !w.startsWith("-") || /^-\d/.test(w)) {
      positional.push(w);
      continue;
    }
    if (w === "--") {
      rest = true;
      continue;
    }
    const eq = w.startsWith("--") ? w.indexOf("=") : -1;
    const name = eq > 0 ? w.slice(0, eq) : w;
    const spec = specs.find((s) => s.names.indexOf(name) >= 0);
    if (!spec) throw new UsageError(command, `unknown option '${w}'`, usage);
    if (!spec.value) {
      options[spec.names[0]] = "";
      continue;
    }
    const v = eq > 0 ? w.slice(eq + 1) : words[++i];
    if (v === undefined) throw new UsageError(command, `${name} needs a value`, usage);
    options[spec.names[0]] = v;
  }
  return { options, positional };
}

/** A non-negative number option (or `fallback` when absent); UsageError otherwise. */
export function numberOption(command: string, usage: string, options: Record<string, string>, name: string, fallback: number, opts: { min?: number; max?: number; integer?: boolean } = {}): number {
  const v = options[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  const min = opts.min ?? 0;
  if (v.trim() === "" || !Number.isFinite(n) || n < min || (opts.max !== undefined && n > opts.max) || (opts.integer && Math.floor(n) !== n)) {
    throw new UsageError(command, `${name} wants ${opts.integer ? "an integer" : "a number"} ${opts.max !== undefined ? `from ${min} to ${opts.max}` : `of at least ${min}`}, not '${v}'`, usage);
  }
  return n;
}
