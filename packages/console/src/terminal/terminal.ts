import type { Platform } from "@pxe/core";
import { toAscii } from "./ansi.js";

/**
 * Where console output goes and what it may contain. Input is separate: a
 * `readKey` function polled by the console loop (see runConsole).
 */
export interface Terminal {
  /** Writes text exactly as given (newlines already converted). */
  write(text: string): void;
  /** True when the far end interprets the ANSI subset (serial, VGA, TTY). */
  readonly ansi: boolean;
  /**
   * Line break to send: "\n" when the host's write turns LF into CR LF
   * itself (pxehttp.0's console, a Node TTY, pipes), "\r\n" for a raw device.
   */
  readonly newline: string;
  /** Screen width in columns, used for line editing and tables. */
  readonly columns: number;
  /**
   * False when the display knows no escape sequences at all (only CR, LF,
   * BS): the editor then moves with BS and rewritten text and erases with
   * spaces. Default true (ESC [ K, ESC [ n D/C are used).
   */
  readonly cursorEscapes?: boolean;
}

/** Options of {@link platformTerminal}. */
export interface TerminalOptions {
  /** Interprets ANSI (default true). False: plain lines, no cursor movement. */
  ansi?: boolean;
  /** Line break (default "\n": pxehttp.0's host and Node TTYs add the CR themselves; "\r\n" for a raw serial port). */
  newline?: string;
  /** Columns (default 80). */
  columns?: number;
  /** Replace non-ASCII characters before writing (default false). */
  asciiOnly?: boolean;
  /** Use ESC [ K and ESC [ n D/C (default true); false: only CR, LF, BS and spaces. */
  cursorEscapes?: boolean;
}

/** A Terminal that writes through `platform.write` (the NBP's VGA + COM1, or stdout); default ANSI, "\n", 80 columns. */
export function platformTerminal(platform: Pick<Platform, "write">, opts: TerminalOptions = {}): Terminal {
  const ansi = opts.ansi !== false;
  const ascii = opts.asciiOnly === true;
  return {
    write: ascii ? (t) => platform.write(toAscii(t)) : (t) => platform.write(t),
    ansi,
    newline: opts.newline ?? "\n",
    columns: opts.columns ?? 80,
    cursorEscapes: opts.cursorEscapes !== false,
  };
}

/** Converts every "\n" (and "\r\n") in `text` to the terminal's newline. */
export function withNewlines(text: string, newline: string): string {
  if (newline === "\n") return text.indexOf("\r\n") < 0 ? text : text.split("\r\n").join("\n");
  return text.split("\r\n").join("\n").split("\n").join(newline);
}
