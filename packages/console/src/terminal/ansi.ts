/**
 * The small ANSI subset the console writes. Serial terminals understand all
 * of it, and the NBP's VGA writer interprets exactly this set:
 *
 *   CR        carriage return: column 0
 *   LF        line feed: next line (the console always sends CR LF)
 *   BS        one column left
 *   ESC [ K   erase from the cursor to the end of the line
 *   ESC [ n D cursor n columns left      ESC [ n C  cursor n columns right
 *
 * Nothing else (no colours, no absolute positioning, no screen clearing) is
 * ever emitted, so output stays readable on a dumb terminal too.
 */

/** Carriage return. */
export const CR = "\r";
/** Line feed. */
export const LF = "\n";
/** Backspace: one column left. */
export const BS = "\b";
/** Erase from the cursor to the end of the line. */
export const ERASE_EOL = "\x1b[K";

/** `ESC [ n D`: moves the cursor `n` columns left (empty for n <= 0). */
export function cursorLeft(n: number): string {
  return n > 0 ? `\x1b[${n}D` : "";
}

/** `ESC [ n C`: moves the cursor `n` columns right (empty for n <= 0). */
export function cursorRight(n: number): string {
  return n > 0 ? `\x1b[${n}C` : "";
}

/** Moves the cursor horizontally by `delta` columns (negative: left). */
export function cursorMove(delta: number): string {
  return delta < 0 ? cursorLeft(-delta) : cursorRight(delta);
}

/** Common ASCII stand-ins for characters a VGA/serial console may lack. */
const ASCII_FALLBACK: { readonly [ch: string]: string } = {
  "\u2014": "-",
  "\u2013": "-",
  "\u2018": "'",
  "\u2019": "'",
  "\u201c": '"',
  "\u201d": '"',
  "\u2026": "...",
  "\u00b5": "u",
  "\u00a0": " ",
};

/**
 * Replaces characters outside printable ASCII (except CR, LF, BS, ESC and
 * TAB) with ASCII stand-ins, or '?' when there is none. For hosts whose
 * console shows only ASCII.
 */
export function toAscii(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x7f) out += text.charAt(i);
    else {
      const sub = ASCII_FALLBACK[text.charAt(i)];
      if (sub !== undefined) out += sub;
      else {
        if (c >= 0xd800 && c < 0xdc00) i++; // one '?' for a surrogate pair
        out += "?";
      }
    }
  }
  return out;
}
