import { RegistryError, UnknownCommandError } from "../errors.js";
import { Settings } from "./settings.js";
import { tokenize } from "./tokenize.js";
import type { Command, FactsProvider, MemoryProvider, RegistryView, StatsProvider } from "./types.js";

/** A function that extends a registry: adds commands, providers, settings. */
export type ConsolePlugin = (registry: CommandRegistry) => void;

/** A parsed command line: the command found and its arguments. */
export interface Invocation {
  /** The command to run. */
  readonly command: Command;
  /** The name as typed (may be an alias). */
  readonly name: string;
  /** Arguments after the name. */
  readonly args: string[];
}

const NAME = /^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*|\?)$/;

/**
 * The shared, extensible set of console commands plus the providers that
 * feed `show`, `mem` and `stats`, and the settings store. Packages add
 * their commands with `add` (or a plugin through `use`) without changing
 * the console.
 */
export class CommandRegistry implements RegistryView {
  /** The settings store `set` and `show` use. */
  readonly settings: Settings;
  private readonly commands = new Map<string, Command>();
  private readonly aliases = new Map<string, string>();
  private readonly factsProviders: FactsProvider[] = [];
  private readonly memoryProviders: MemoryProvider[] = [];
  private readonly statsProviders: StatsProvider[] = [];

  constructor(settings: Settings = new Settings()) {
    this.settings = settings;
  }

  /**
   * Registers a command. Throws RegistryError when the name (or an alias)
   * is taken, unless `replace` is set, which swaps the old command out.
   */
  add(command: Command, opts: { replace?: boolean } = {}): this {
    const names = [command.name, ...(command.aliases ?? [])];
    for (const n of names) {
      if (!NAME.test(n)) throw new RegistryError(n, `invalid command name '${n}'`);
      const owner = this.commands.has(n) ? n : this.aliases.get(n);
      if (owner !== undefined && !(opts.replace && owner === command.name)) {
        throw new RegistryError(n, `command '${n}' is already registered`);
      }
    }
    if (opts.replace) this.remove(command.name);
    this.commands.set(command.name, command);
    for (const a of command.aliases ?? []) this.aliases.set(a, command.name);
    return this;
  }

  /** Removes a command and its aliases; returns whether it existed. */
  remove(name: string): boolean {
    const cmd = this.commands.get(name);
    if (!cmd) return false;
    this.commands.delete(name);
    for (const a of cmd.aliases ?? []) if (this.aliases.get(a) === name) this.aliases.delete(a);
    return true;
  }

  /** Runs a plugin against this registry; returns the registry. */
  use(plugin: ConsolePlugin): this {
    plugin(this);
    return this;
  }

  /** The command called `name` (or having it as an alias). */
  get(name: string): Command | undefined {
    const cmd = this.commands.get(name);
    if (cmd) return cmd;
    const owner = this.aliases.get(name);
    return owner === undefined ? undefined : this.commands.get(owner);
  }

  /** True when `name` names a command or an alias. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** All commands sorted by name (hidden ones only with `includeHidden`). */
  list(opts: { includeHidden?: boolean } = {}): Command[] {
    const all = Array.from(this.commands.values()).filter((c) => opts.includeHidden || !c.hidden);
    return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Every name that runs something (commands and aliases), sorted; for completion. */
  names(): string[] {
    return [...Array.from(this.commands.keys()), ...Array.from(this.aliases.keys())].sort();
  }

  /**
   * Tokenises `line` and finds its command. Returns undefined for a blank
   * line; throws ParseError (bad quoting) or UnknownCommandError.
   */
  parse(line: string): Invocation | undefined {
    const words = tokenize(line);
    if (words.length === 0) return undefined;
    const name = words[0];
    const command = this.get(name);
    if (!command) throw new UnknownCommandError(name);
    return { command, name, args: words.slice(1) };
  }

  /** Adds a section of facts for `show`. */
  addFacts(provider: FactsProvider): this {
    this.factsProviders.push(provider);
    return this;
  }

  /** Adds a memory map / memory figures source for `mem`. */
  addMemory(provider: MemoryProvider): this {
    this.memoryProviders.push(provider);
    return this;
  }

  /** Adds a counters source for `stats`. */
  addStats(provider: StatsProvider): this {
    this.statsProviders.push(provider);
    return this;
  }

  /** Facts providers, in the order added. */
  facts(): readonly FactsProvider[] {
    return this.factsProviders.slice();
  }

  /** Memory providers, in the order added. */
  memory(): readonly MemoryProvider[] {
    return this.memoryProviders.slice();
  }

  /** Stats providers, in the order added. */
  stats(): readonly StatsProvider[] {
    return this.statsProviders.slice();
  }
}
