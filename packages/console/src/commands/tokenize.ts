import { ParseError } from "../errors.js";

/**
 * Splits a command line into arguments, shell-style:
 * - whitespace separates arguments;
 * - 'single quotes' keep everything literally;
 * - "double quotes" keep spaces; inside them \" and \\ are escapes;
 * - outside quotes a backslash escapes the next character;
 * - quoted and unquoted parts next to each other join ("a"'b'c is abc);
 * - "" is an empty argument.
 * Throws ParseError for an unclosed quote or a trailing backslash.
 */
export function tokenize(line: string): string[] {
  const args: string[] = [];
  let cur = "";
  let inArg = false;
  let i = 0;
  const n = line.length;
  while (i < n) {
    const ch = line.charAt(i);
    if (ch === " " || ch === "\t") {
      if (inArg) args.push(cur);
      cur = "";
      inArg = false;
      i++;
    } else if (ch === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new ParseError("unclosed single quote", i);
      cur += line.slice(i + 1, close);
      inArg = true;
      i = close + 1;
    } else if (ch === '"') {
      const open = i;
      i++;
      for (;;) {
        if (i >= n) throw new ParseError("unclosed double quote", open);
        const c = line.charAt(i);
        if (c === '"') break;
        if (c === "\\" && i + 1 < n && (line.charAt(i + 1) === '"' || line.charAt(i + 1) === "\\")) {
          cur += line.charAt(i + 1);
          i += 2;
        } else {
          cur += c;
          i++;
        }
      }
      inArg = true;
      i++;
    } else if (ch === "\\") {
      if (i + 1 >= n) throw new ParseError("backslash at end of line", i);
      cur += line.charAt(i + 1);
      inArg = true;
      i += 2;
    } else {
      cur += ch;
      inArg = true;
      i++;
    }
  }
  if (inArg) args.push(cur);
  return args;
}

/** Quotes `arg` so that tokenize() gives it back unchanged. */
export function quoteArg(arg: string): string {
  if (arg !== "" && /^[A-Za-z0-9_.,:=/@%+-]+$/.test(arg)) return arg;
  return "'" + arg.split("'").join("'\\''") + "'";
}
