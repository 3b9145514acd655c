import type { Platform } from "@pxe/core";
import type { Terminal } from "../terminal/terminal.js";
import type { Output } from "./output.js";
import type { Settings } from "./settings.js";
import type { ProgressBar } from "../progress/progress-bar.js";

/**
 * A console command. `run` gets the arguments after the command name
 * (already tokenised, quotes removed) and a context; it may return a
 * Promise, which the console awaits while it keeps polling the network.
 * Throw to report failure: the console prints `error: <message>`.
 */
export interface Command {
  /** What the user types, e.g. "ping". Letters, digits, '_', '-', '.'. */
  readonly name: string;
  /** One line for the `help` listing. */
  readonly summary: string;
  /** Synopsis for `help CMD`, e.g. "ping HOST [-c N]" (default: the name). */
  readonly usage?: string;
  /** Further lines shown by `help CMD`. */
  readonly details?: string;
  /** Other names that run this command, e.g. ["quit"]. */
  readonly aliases?: readonly string[];
  /** Left out of the `help` listing (still runs, `help CMD` still works). */
  readonly hidden?: boolean;
  /** Runs the command. */
  run(args: string[], ctx: CommandContext): void | Promise<void>;
}

/**
 * What a running command sees of the registry (a CommandRegistry): the
 * commands, the providers of `show`/`mem`/`stats`, and the settings.
 */
export interface RegistryView {
  /** The settings store. */
  readonly settings: Settings;
  /** The command called `name` (or having it as an alias). */
  get(name: string): Command | undefined;
  /** True when `name` names a command or an alias. */
  has(name: string): boolean;
  /** All commands sorted by name (hidden ones only with `includeHidden`). */
  list(opts?: { includeHidden?: boolean }): Command[];
  /** Every command name and alias, sorted. */
  names(): string[];
  /** Facts providers, in the order added. */
  facts(): readonly FactsProvider[];
  /** Memory providers, in the order added. */
  memory(): readonly MemoryProvider[];
  /** Stats providers, in the order added. */
  stats(): readonly StatsProvider[];
}

/** Host actions the built-in `reboot` and `poweroff` call. */
export interface SystemHooks {
  /** Restarts the machine (NBP: BIOS/keyboard-controller reset). */
  reboot?(ctx: CommandContext): void | Promise<void>;
  /** Powers off (NBP: APM/ACPI) or, on Node, ends the CLI. */
  poweroff?(ctx: CommandContext): void | Promise<void>;
}

/** Everything a running command may use. One context per invocation. */
export interface CommandContext {
  /** Output helpers (lines, tables, pairs). */
  readonly out: Output;
  /** The registry the command came from (commands, providers, settings). */
  readonly registry: RegistryView;
  /** The settings store (same as registry.settings). */
  readonly settings: Settings;
  /** The host platform (clock, random bytes, raw write). */
  readonly platform: Platform;
  /** The terminal: width, whether it does ANSI, its newline. */
  readonly terminal: Terminal;
  /** Host hooks for reboot/poweroff. */
  readonly system: SystemHooks;
  /** The command name as typed (an alias, possibly). */
  readonly invokedAs: string;
  /** Current time in ms (platform.now()). */
  now(): number;
  /**
   * Resolves after `ms` milliseconds of platform time while the console
   * keeps polling; rejects with InterruptedError when the user presses Ctrl-C.
   */
  sleep(ms: number): Promise<void>;
  /** True once the user pressed Ctrl-C during this command. */
  readonly interrupted: boolean;
  /** Calls `fn` when the user presses Ctrl-C; returns a function that removes it. */
  onInterrupt(fn: () => void): () => void;
  /**
   * Calls `fn` for every key pressed while this command runs (an autoboot
   * countdown's "any key stops"); while a listener is installed keys are
   * not type-ahead for the next prompt. Ctrl-C still interrupts. Returns a
   * function that removes the listener.
   */
  onKey(fn: () => void): () => void;
  /**
   * Hands every key typed from now on (Ctrl-C included, which then does not
   * interrupt) to `fn` as raw bytes (characters as UTF-8), until the
   * returned function is called or the command ends. For commands that are
   * terminals themselves, such as telnet.
   */
  takeKeys(fn: (keys: Uint8Array) => void): () => void;
  /**
   * A progress bar on this console (in place on ANSI terminals, plain lines
   * otherwise), started now. Call update(done, ctx.now()) and finish(ctx.now()).
   */
  progress(opts?: { total?: number; label?: string }): ProgressBar;
  /** Ends the console loop after this command (Node: the CLI exits with `code`). */
  exit(code?: number): void;
}

/** One labelled value for `show` / `mem`. */
export type Fact = readonly [label: string, value: string | number | boolean];

/** Supplies a section of facts for `show` (e.g. "pxe", "network", "link"). */
export interface FactsProvider {
  /** Section title and the name `show NAME` selects. */
  readonly name: string;
  /** The facts, read when `show` runs. */
  facts(): readonly Fact[] | Promise<readonly Fact[]>;
}

/** One range of a memory map (E820 style). */
export interface MemoryRegion {
  /** First byte's physical address. */
  readonly base: number;
  /** Length in bytes. */
  readonly length: number;
  /** E820 type number (1 usable, 2 reserved, 3 ACPI, 4 NVS, 5 bad) or a name. */
  readonly type: number | string;
}

/** What a memory provider reports: a map, and/or labelled figures. */
export interface MemoryReport {
  /** Memory map ranges (NBP: E820). */
  readonly regions?: readonly MemoryRegion[];
  /** Other figures in bytes or text (heap used, Node's rss, ...). */
  readonly facts?: readonly Fact[];
}

/** Supplies the memory map / memory figures for `mem`. */
export interface MemoryProvider {
  /** Section title, e.g. "e820" or "node". */
  readonly name: string;
  /** The report, read when `mem` runs. */
  memory(): MemoryReport | Promise<MemoryReport>;
}

/** Counters as a tree: numbers at the leaves (e.g. a Stack's per-layer stats). */
export interface CounterTree {
  readonly [name: string]: number | bigint | string | boolean | null | undefined | CounterTree | object;
}

/** Supplies counters for `stats` (e.g. "undi", later "ip", "udp", "tcp"). */
export interface StatsProvider {
  /** Section title and the name `stats NAME` selects. */
  readonly name: string;
  /**
   * Counter names to values, read when `stats` runs. Nested objects are
   * flattened with dotted names ({ ip: { dropped: 2 } } shows as ip.dropped);
   * non-numeric leaves are skipped.
   */
  counters(): CounterTree | ReadonlyArray<readonly [string, number]>;
}
