import { PxeError } from "@pxe/core";
import { ConsoleError } from "../../errors.js";

/**
 * A loader command (load, boot, boot-conf, include ...) failed: a file not
 * found, not a kernel or module, a wrong checksum, an image that does not
 * fit. The message names the URL or the loader.conf line; the console prints
 * it and nothing was started.
 */
export class LoaderCommandError extends ConsoleError {
  /** The command that failed, e.g. "load". */
  readonly command: string;
  constructor(command: string, message: string, options?: { cause?: unknown }) {
    super("CONSOLE_LOADER", `${command}: ${message}`, options);
    this.command = command;
  }
}

/** None of the places a file may be had it (every request was a 404). */
export class FileNotFoundError extends LoaderCommandError {
  /** Every URL tried, in order. */
  readonly tried: readonly string[];
  constructor(command: string, what: string, tried: readonly string[]) {
    const more = tried.length > 1 ? ` (also tried ${tried.length - 1} other place${tried.length > 2 ? "s" : ""}: ${tried.slice(1).join(", ")})` : "";
    super(command, `${what} not found: ${tried[0] ?? "(nowhere to look)"} is 404${more}`);
    this.tried = tried;
  }
}

/** `boot` on a console that has no way to start a kernel (Node: no Booter). */
export class NoBooterError extends LoaderCommandError {
  constructor() {
    super("boot", "this console cannot start a kernel (no Booter; pxehttp.0 has one) — the image was built and checked");
  }
}

/**
 * Runs one step of a loader command; a PxeError it throws (a kboot or http
 * error: not ELF, does not fit, bad header ...) becomes the command's
 * LoaderCommandError with the same message after `prefix` (and the error as
 * its cause). Anything else is rethrown as it is.
 */
export function loaderStep<T>(command: string, step: () => T, prefix = ""): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof PxeError) throw new LoaderCommandError(command, `${prefix}${e.message}`, { cause: e });
    throw e;
  }
}
