import { PxeError } from "@pxe/core";

/**
 * Base of the errors the console raises itself: bad input to a command,
 * an unknown command, a setting that does not validate. Commands may throw
 * any error; the console prints `error: <message>` and keeps running.
 */
export class ConsoleError extends PxeError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Thrown (and printed) when a command line names no registered command. */
export class UnknownCommandError extends ConsoleError {
  /** The name that was typed. */
  readonly command: string;
  constructor(command: string) {
    super("CONSOLE_UNKNOWN_COMMAND", `unknown command '${command}' \u2014 type 'help'`);
    this.command = command;
  }
}

/** A command was called with arguments it cannot use; the message says how to call it. */
export class UsageError extends ConsoleError {
  /** The command's name. */
  readonly command: string;
  constructor(command: string, message: string, usage?: string) {
    super("CONSOLE_USAGE", usage ? `${command}: ${message} (usage: ${usage})` : `${command}: ${message}`);
    this.command = command;
  }
}

/** A command line could not be split into arguments (e.g. an unclosed quote). */
export class ParseError extends ConsoleError {
  /** Character offset in the line where the problem was found. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super("CONSOLE_PARSE", `${message} (at column ${offset + 1})`);
    this.offset = offset;
  }
}

/** A setting name or value was rejected. */
export class SettingError extends ConsoleError {
  /** The setting's key. */
  readonly key: string;
  constructor(key: string, message: string) {
    super("CONSOLE_SETTING", `${key}: ${message}`);
    this.key = key;
  }
}

/** A command was registered twice, or with an invalid name. */
export class RegistryError extends ConsoleError {
  /** The command's name. */
  readonly command: string;
  constructor(command: string, message: string) {
    super("CONSOLE_REGISTRY", message);
    this.command = command;
  }
}

/** Raised inside a command's `ctx.sleep()` when the user pressed Ctrl-C. */
export class InterruptedError extends ConsoleError {
  constructor() {
    super("CONSOLE_INTERRUPTED", "interrupted");
  }
}

/** A host hook (reboot, poweroff) is not available or did not act. */
export class HostError extends ConsoleError {
  /** The hook's name, e.g. "poweroff". */
  readonly hook: string;
  constructor(hook: string, message: string) {
    super("CONSOLE_HOST", message);
    this.hook = hook;
  }
}
