// Test helpers for @pxe/console and for packages that add commands:
// a screen emulator for the ANSI subset, scripted input, and a console
// harness with a manual clock.
import { seededPlatform, ManualClock, type Platform } from "@pxe/core";
import type { CommandRegistry } from "./commands/registry.js";
import { createRegistry } from "./builtins/index.js";
import type { SystemHooks } from "./commands/types.js";
import { ConsoleSession } from "./loop/session.js";
import { EOF, type KeyInput, type ReadKey } from "./loop/input.js";
import type { Terminal } from "./terminal/terminal.js";

export { VirtualScreen } from "./terminal/virtual-screen.js";

/** A ReadKey that hands out queued chunks one per call; `end()` then gives EOF. */
export interface ScriptedInput extends ReadKey {
  /** Queues more input. */
  push(...chunks: Array<string | number | Uint8Array>): void;
  /** After the queue drains, report end of input. */
  end(): void;
}

/** Creates a {@link ScriptedInput}. */
export function scriptedInput(...chunks: Array<string | number | Uint8Array>): ScriptedInput {
  const queue: Array<string | number | Uint8Array> = chunks.slice();
  let ended = false;
  const read = (): KeyInput => {
    if (queue.length > 0) return queue.shift();
    return ended ? EOF : null;
  };
  const input = read as ScriptedInput;
  input.push = (...more) => void queue.push(...more);
  input.end = () => {
    ended = true;
  };
  return input;
}

/** A console wired to a manual clock, scripted input and a captured output string. */
export interface TestConsole {
  /** The session under test. */
  readonly session: ConsoleSession;
  /** The registry (builtins unless one was given). */
  readonly registry: CommandRegistry;
  /** The clock `platform.now()` reads. */
  readonly clock: ManualClock;
  /** The platform. */
  readonly platform: Platform;
  /** Queue input. */
  readonly input: ScriptedInput;
  /** Everything written so far. */
  output(): string;
  /** Forgets the captured output. */
  clearOutput(): void;
  /** Runs `n` loop steps (default 1), letting microtasks run between steps. */
  steps(n?: number): Promise<void>;
  /** Steps until `cond()` or `max` steps (advancing the clock by `advanceMs` per step). */
  until(cond: () => boolean, opts?: { max?: number; advanceMs?: number }): Promise<boolean>;
}

/** Options of {@link testConsole}. */
export interface TestConsoleOptions {
  /** Commands (default: createRegistry()). */
  registry?: CommandRegistry;
  /** Background poll. */
  poll?: (now: number) => void;
  /** ANSI terminal (default false: plain lines, "\n"). */
  ansi?: boolean;
  /** Columns (default 80). */
  columns?: number;
  /** Prompt (default "pxehttp> "). */
  prompt?: string;
  /** Host hooks. */
  system?: SystemHooks;
  /** Terminal knows ESC [ K / ESC [ n D/C (default true). */
  cursorEscapes?: boolean;
}

/** Builds a {@link TestConsole}. */
export function testConsole(opts: TestConsoleOptions = {}): TestConsole {
  const clock = new ManualClock(0);
  let captured = "";
  const platform = seededPlatform(1, clock, (s) => {
    captured += s;
  });
  const ansi = opts.ansi === true;
  const terminal: Terminal = {
    ansi,
    newline: ansi ? "\r\n" : "\n",
    columns: opts.columns ?? 80,
    cursorEscapes: opts.cursorEscapes !== false,
    write: (s) => platform.write(s),
  };
  const registry = opts.registry ?? createRegistry();
  const input = scriptedInput();
  const session = new ConsoleSession({
    platform,
    registry,
    readKey: input,
    terminal,
    prompt: opts.prompt,
    poll: opts.poll,
    system: opts.system,
  });
  const tick = () => new Promise<void>((r) => void Promise.resolve().then(() => Promise.resolve()).then(() => r()));
  const tc: TestConsole = {
    session,
    registry,
    clock,
    platform,
    input,
    output: () => captured,
    clearOutput: () => {
      captured = "";
    },
    async steps(n = 1) {
      for (let i = 0; i < n; i++) {
        session.step();
        await tick();
      }
    },
    async until(cond, o = {}) {
      const max = o.max ?? 1000;
      for (let i = 0; i < max; i++) {
        if (cond()) return true;
        session.step();
        await tick();
        if (o.advanceMs) clock.advance(o.advanceMs);
      }
      return cond();
    },
  };
  return tc;
}
