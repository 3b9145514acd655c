import { utf8Bytes, type Platform } from "@pxe/core";
import { LineEditor } from "../editor/line-editor.js";
import { History } from "../editor/history.js";
import type { CommandRegistry } from "../commands/registry.js";
import { textOutput, type Output } from "../commands/output.js";
import type { CommandContext, SystemHooks } from "../commands/types.js";
import { platformTerminal, type Terminal } from "../terminal/terminal.js";
import { EOF, indexOfCtrlC, indexOfLineEnd, isEmptyInput, type KeyInput, type ReadKey } from "./input.js";
import { TimerQueue } from "./timers.js";
import { ProgressBar } from "../progress/progress-bar.js";

/** Options of {@link ConsoleSession} and {@link runConsole}. */
export interface ConsoleOptions {
  /** Clock and output (write goes to the NBP's VGA + COM1, or stdout). */
  platform: Platform;
  /** Commands, providers and settings. */
  registry: CommandRegistry;
  /** Polled for key input; never blocks (see KeyInput). */
  readKey: ReadKey;
  /** Prompt (default "pxehttp> "). */
  prompt?: string;
  /**
   * Background work called on every loop step with the current time, e.g.
   * the network stack's `poll(now)`, so packets keep flowing while the
   * console waits for keys or for an async command.
   */
  poll?: (now: number) => void;
  /**
   * Called between loop steps by `run()`; `busy` is true when the step did
   * something. Return a promise to wait (Node: until stdin data or a short
   * timer), or nothing. Default: yield one microtask, which suits a host
   * that drains the job queue in a loop (QuickJS in the NBP).
   */
  idle?: (now: number, busy: boolean) => void | Promise<void>;
  /** Output terminal (default: platformTerminal(platform): ANSI, "\n", 80 columns). */
  terminal?: Terminal;
  /** Hooks for `reboot` / `poweroff`. */
  system?: SystemHooks;
  /** Shared history or its size (default 100). */
  history?: History | number;
  /** Text printed once before the first prompt. */
  banner?: string;
}

/** How and why the console loop ended. */
export interface ConsoleResult {
  /** "exit": a command called ctx.exit(); "eof": input ended (Ctrl-D, stdin closed). */
  readonly reason: "exit" | "eof";
  /** Exit code given to ctx.exit() (0 for eof). */
  readonly code: number;
}

interface Running {
  readonly ctx: RunContext;
  settled: boolean;
  error: unknown;
  failed: boolean;
}

interface RunContext extends CommandContext {
  muted: boolean;
  interruptedFlag: boolean;
  readonly listeners: Array<() => void>;
  readonly keyListeners: Array<() => void>;
  keyTaker: ((keys: Uint8Array) => void) | undefined;
}

const INPUT_READS_PER_STEP = 64;

/**
 * The console: a line editor on a terminal, a command registry, and a loop
 * that polls input, background work and timers. Drive it with `run()`
 * (async loop) or call `start()` once and `step()` repeatedly from a host's
 * own loop (keep draining the job queue in between so async commands advance).
 */
export class ConsoleSession {
  /** The line editor (its history, type-ahead). */
  readonly editor: LineEditor;
  /** The terminal output goes to. */
  readonly terminal: Terminal;
  /** Raw output for messages outside commands. */
  readonly out: Output;
  private readonly opts: ConsoleOptions;
  private readonly timers = new TimerQueue();
  private running: Running | undefined;
  private started = false;
  private eofSeen = false;
  private result: ConsoleResult | undefined;
  private exitCode: number | undefined;
  private atLineStart = true;
  private lastPollError: string | undefined;

  constructor(opts: ConsoleOptions) {
    this.opts = opts;
    const terminal = opts.terminal ?? platformTerminal(opts.platform);
    this.terminal = {
      ansi: terminal.ansi,
      newline: terminal.newline,
      columns: terminal.columns,
      cursorEscapes: terminal.cursorEscapes !== false,
      write: (text: string) => {
        if (text.length === 0) return;
        this.atLineStart = text.charCodeAt(text.length - 1) === 10;
        terminal.write(text);
      },
    };
    this.out = textOutput(this.terminal.write, this.terminal.newline);
    const registry = opts.registry;
    this.editor = new LineEditor({
      prompt: opts.prompt ?? "pxehttp> ",
      history: opts.history instanceof History ? opts.history : new History(opts.history ?? 100),
      ansi: this.terminal.ansi,
      newline: this.terminal.newline,
      columns: this.terminal.columns,
      cursorEscapes: this.terminal.cursorEscapes,
      complete: (line, cursor) => (line.slice(0, cursor).indexOf(" ") < 0 ? registry.names() : []),
    });
  }

  /** Set once the loop has ended. */
  get done(): ConsoleResult | undefined {
    return this.result;
  }

  /** True while a command runs (its promise has not settled). */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Prints the banner and the first prompt. Called by run(); idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.opts.banner) this.out.line(this.opts.banner);
    this.prompt();
  }

  /**
   * Prints text above the prompt line (e.g. a background "link up" notice)
   * without disturbing the line being typed.
   */
  print(text: string): void {
    if (this.editor.isActive && this.terminal.ansi) {
      this.editor.hide();
      this.flushEditor();
      this.out.line(text);
      this.editor.show();
      this.flushEditor();
    } else {
      if (!this.atLineStart) this.terminal.write(this.terminal.newline);
      this.out.line(text);
      if (this.editor.isActive) {
        this.editor.show();
        this.flushEditor();
      }
    }
  }

  /**
   * One pass of the loop: background poll, due timers, pending input,
   * finished commands. Returns true when anything happened.
   */
  step(): boolean {
    if (this.result) return false;
    this.start();
    const now = this.opts.platform.now();
    let busy = false;
    if (this.opts.poll) {
      try {
        this.opts.poll(now);
      } catch (e) {
        // Report a failing poll once per distinct message, not on every step.
        const m = message(e);
        if (m !== this.lastPollError) this.print(`error: ${m}`);
        this.lastPollError = m;
      }
    }
    if (this.timers.fire(now) > 0) busy = true;
    for (let i = 0; i < INPUT_READS_PER_STEP; i++) {
      const input = this.opts.readKey();
      if (input === EOF) {
        this.eofSeen = true;
        break;
      }
      if (isEmptyInput(input)) break;
      this.input(input);
      // Start a submitted command before reading on, so a Ctrl-C that
      // follows in the next chunk interrupts it instead of queueing.
      this.handleEvents();
      busy = true;
    }
    if (this.running && this.running.settled) {
      this.finishCommand();
      busy = true;
    }
    busy = this.handleEvents() || busy;
    if (this.eofSeen && !this.running && this.editor.isActive && !this.editor.hasTypeAhead && this.editor.text !== "") {
      // Input ended in the middle of a line: run it, as a shell does.
      this.editor.feed("\r");
      busy = this.handleEvents() || busy;
    }
    if (!this.running && this.eofSeen && this.editor.isActive && !this.editor.hasTypeAhead && !this.result) {
      this.terminal.write(this.terminal.newline);
      this.result = { reason: "eof", code: 0 };
    }
    this.flushEditor();
    return busy;
  }

  /** Runs the loop until a command exits or input ends. */
  async run(): Promise<ConsoleResult> {
    this.start();
    while (!this.result) {
      const busy = this.step();
      if (this.result) break;
      if (this.opts.idle) await this.opts.idle(this.opts.platform.now(), busy);
      else await Promise.resolve();
    }
    return this.result;
  }

  /** Earliest pending ctx.sleep() deadline, for hosts that idle until then. */
  nextTimer(): number | undefined {
    return this.timers.next();
  }

  private input(input: Exclude<KeyInput, null | undefined | typeof EOF>): void {
    let rest: number | string | Uint8Array = input;
    // Feed up to one line end at a time and start that command, so that
    // what follows in the same chunk counts as typed while it runs (a
    // pasted Ctrl-C interrupts it).
    while (!this.running && typeof rest !== "number") {
      const end = indexOfLineEnd(rest);
      if (end < 0 || end === rest.length - 1) {
        this.editor.feed(rest);
        return;
      }
      this.editor.feed(rest.slice(0, end + 1));
      rest = rest.slice(end + 1);
      this.handleEvents();
      if (this.result) return;
    }
    if (!this.running) {
      this.editor.feed(rest);
      return;
    }
    const taker = this.running.ctx.keyTaker;
    if (taker) {
      taker(typeof rest === "number" ? Uint8Array.of(rest) : typeof rest === "string" ? utf8Bytes(rest) : rest);
      return;
    }
    // While a command runs, Ctrl-C interrupts it; other keys are type-ahead,
    // unless the command listens for keys (ctx.onKey): then they are its own.
    const keyListeners = this.running.ctx.keyListeners;
    if (keyListeners.length > 0 && indexOfCtrlC(rest) < 0) {
      for (const fn of keyListeners.slice()) fn();
      return;
    }
    for (;;) {
      const i = indexOfCtrlC(rest);
      if (i < 0) break;
      if (typeof rest !== "number" && i > 0) this.editor.feed(rest.slice(0, i));
      this.interrupt();
      if (typeof rest === "number") return;
      rest = rest.slice(i + 1);
      if (!this.running) {
        if (rest.length > 0) this.editor.feed(rest);
        return;
      }
    }
    if (typeof rest === "number" || rest.length > 0) this.editor.feed(rest);
  }

  private interrupt(): void {
    const run = this.running;
    if (!run) return;
    const ctx = run.ctx;
    if (!ctx.interruptedFlag) {
      ctx.interruptedFlag = true;
      this.terminal.write(this.atLineStart ? "^C" + this.terminal.newline : this.terminal.newline + "^C" + this.terminal.newline);
      this.timers.interrupt(ctx);
      for (const fn of ctx.listeners.slice()) {
        try {
          fn();
        } catch (e) {
          this.out.error(message(e));
        }
      }
      return;
    }
    // Second Ctrl-C: stop waiting for the command and mute it.
    ctx.muted = true;
    this.running = undefined;
    this.out.line("^C (command abandoned)");
    this.afterCommand();
  }

  private handleEvents(): boolean {
    let any = false;
    // Several lines may be queued (piped input): run synchronous ones back to back.
    for (let guard = 0; guard < 1000 && !this.running && !this.result; guard++) {
      const ev = this.editor.next();
      if (!ev) break;
      any = true;
      this.flushEditor();
      if (ev.kind === "cancel") this.prompt();
      else if (ev.kind === "eof") this.result = { reason: "eof", code: 0 };
      else this.startCommand(ev.text);
    }
    return any;
  }

  private startCommand(line: string): void {
    let inv;
    try {
      inv = this.opts.registry.parse(line);
    } catch (e) {
      this.out.error(message(e));
      this.afterCommand();
      return;
    }
    if (!inv) {
      this.afterCommand();
      return;
    }
    const ctx = this.context(inv.name);
    let result: void | Promise<void>;
    try {
      result = inv.command.run(inv.args, ctx);
    } catch (e) {
      this.reportError(e);
      this.afterCommand();
      return;
    }
    if (result && typeof (result as Promise<void>).then === "function") {
      const run: Running = { ctx, settled: false, error: undefined, failed: false };
      this.running = run;
      (result as Promise<void>).then(
        () => {
          run.settled = true;
        },
        (e: unknown) => {
          run.settled = true;
          run.failed = true;
          run.error = e;
        },
      );
      return;
    }
    this.afterCommand();
  }

  private finishCommand(): void {
    const run = this.running;
    if (!run) return;
    this.running = undefined;
    if (run.failed && !(run.ctx.interruptedFlag && isInterrupted(run.error))) this.reportError(run.error);
    this.afterCommand();
  }

  private reportError(e: unknown): void {
    if (!this.atLineStart) this.terminal.write(this.terminal.newline);
    this.out.error(message(e));
    if (this.opts.registry.settings.getBoolean("console.debug", false) && e instanceof Error && e.stack) {
      this.out.line(e.stack);
    }
  }

  private afterCommand(): void {
    if (this.exitCode !== undefined) {
      this.result = { reason: "exit", code: this.exitCode };
      return;
    }
    this.prompt();
  }

  private prompt(): void {
    if (!this.atLineStart) this.terminal.write(this.terminal.newline);
    this.editor.start();
    this.flushEditor();
  }

  private flushEditor(): void {
    this.terminal.write(this.editor.takeOutput());
  }

  private context(name: string): RunContext {
    const session = this;
    const opts = this.opts;
    const mutedWrite = (text: string): void => {
      if (!ctx.muted) session.terminal.write(text);
    };
    const ctx: RunContext = {
      out: textOutput(mutedWrite, this.terminal.newline),
      registry: opts.registry,
      settings: opts.registry.settings,
      platform: opts.platform,
      terminal: { ansi: this.terminal.ansi, newline: this.terminal.newline, columns: this.terminal.columns, cursorEscapes: this.terminal.cursorEscapes, write: mutedWrite },
      system: opts.system ?? {},
      invokedAs: name,
      muted: false,
      interruptedFlag: false,
      listeners: [],
      keyListeners: [],
      keyTaker: undefined,
      now: () => opts.platform.now(),
      sleep: (ms: number) => session.timers.at(opts.platform.now() + Math.max(0, ms), ctx),
      get interrupted() {
        return ctx.interruptedFlag;
      },
      onInterrupt(fn: () => void) {
        ctx.listeners.push(fn);
        return () => {
          const i = ctx.listeners.indexOf(fn);
          if (i >= 0) ctx.listeners.splice(i, 1);
        };
      },
      onKey(fn: () => void) {
        ctx.keyListeners.push(fn);
        return () => {
          const i = ctx.keyListeners.indexOf(fn);
          if (i >= 0) ctx.keyListeners.splice(i, 1);
        };
      },
      takeKeys(fn: (keys: Uint8Array) => void) {
        ctx.keyTaker = fn;
        return () => {
          if (ctx.keyTaker === fn) ctx.keyTaker = undefined;
        };
      },
      progress(o = {}) {
        return new ProgressBar({
          write: mutedWrite,
          inPlace: session.terminal.ansi,
          start: opts.platform.now(),
          total: o.total,
          label: o.label,
          newline: session.terminal.newline,
          columns: session.terminal.columns,
          cursorEscapes: session.terminal.cursorEscapes,
        });
      },
      exit(code = 0) {
        session.exitCode = code;
      },
    };
    return ctx;
  }
}

/** Runs a console until exit or end of input; see {@link ConsoleSession}. */
export function runConsole(opts: ConsoleOptions): Promise<ConsoleResult> {
  return new ConsoleSession(opts).run();
}

function message(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

function isInterrupted(e: unknown): boolean {
  return e instanceof Error && (e as { code?: unknown }).code === "CONSOLE_INTERRUPTED";
}
