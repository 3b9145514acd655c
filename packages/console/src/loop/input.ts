/** Marks the end of input (stdin closed); returned by a `readKey` function. */
export const EOF: unique symbol = Symbol("pxe.console.eof");

/**
 * What a `readKey` function returns each time the console polls it:
 * - nothing available: null, undefined, or a negative number;
 * - one byte: a number 0..255 (the NBP's host.readKey() style);
 * - several bytes: a Uint8Array (serial/TTY input, UTF-8 for non-ASCII);
 * - characters: a string;
 * - end of input: {@link EOF}.
 */
export type KeyInput = number | string | Uint8Array | null | undefined | typeof EOF;

/** Polls for input without blocking (see {@link KeyInput}). */
export type ReadKey = () => KeyInput;

/** True when `input` carries no data (and is not EOF). */
export function isEmptyInput(input: KeyInput): input is null | undefined | number {
  if (input === null || input === undefined) return true;
  if (typeof input === "number") return input < 0;
  if (typeof input === "string" || input instanceof Uint8Array) return input.length === 0;
  return false;
}

/** Index of the first Ctrl-C (0x03) in `input`, or -1. */
export function indexOfCtrlC(input: number | string | Uint8Array): number {
  if (typeof input === "number") return input === 3 ? 0 : -1;
  if (typeof input === "string") return input.indexOf("\x03");
  for (let i = 0; i < input.length; i++) if (input[i] === 3) return i;
  return -1;
}

/** Index of the first CR or LF in `input`, or -1. */
export function indexOfLineEnd(input: string | Uint8Array): number {
  for (let i = 0; i < input.length; i++) {
    const c = typeof input === "string" ? input.charCodeAt(i) : input[i];
    if (c === 10 || c === 13) return i;
  }
  return -1;
}
