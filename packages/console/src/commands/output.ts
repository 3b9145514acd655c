import { withNewlines } from "../terminal/terminal.js";

/** Column alignment in {@link Output.table}. */
export type Align = "left" | "right";

/** Options of {@link Output.table}. */
export interface TableOptions {
  /** Header cells, printed first and underlined with dashes. */
  header?: readonly string[];
  /** Alignment per column (default left). */
  align?: readonly Align[];
  /** Spaces before each row (default 2). */
  indent?: number;
  /** Spaces between columns (default 2). */
  gap?: number;
}

/**
 * Output helpers handed to commands as `ctx.out`. All text goes through one
 * `write` function; "\n" becomes the terminal's newline.
 */
export interface Output {
  /** Writes text; "\n" is converted to the terminal's line break. */
  write(text: string): void;
  /** Writes `text` and a line break. */
  line(text?: string): void;
  /** Writes each string as a line. */
  lines(lines: readonly string[]): void;
  /** Writes rows as aligned columns. */
  table(rows: ReadonlyArray<readonly string[]>, opts?: TableOptions): void;
  /** Writes "label: value" pairs with the labels padded to one width. */
  pairs(pairs: ReadonlyArray<readonly [string, string]>, indent?: number): void;
  /** Writes `error: <message>` as a line. */
  error(message: string): void;
}

/** An Output over a raw write function and a newline sequence. */
export function textOutput(write: (text: string) => void, newline: string): Output {
  const out: Output = {
    write: (text) => write(withNewlines(text, newline)),
    line: (text = "") => write(withNewlines(text, newline) + newline),
    lines: (lines) => {
      for (const l of lines) out.line(l);
    },
    table: (rows, opts) => out.lines(formatTable(rows, opts)),
    pairs: (pairs, indent = 2) => out.lines(formatPairs(pairs, indent)),
    error: (message) => out.line(`error: ${message}`),
  };
  return out;
}

/** Lays out rows as aligned columns (see {@link Output.table}); returns the lines. */
export function formatTable(rows: ReadonlyArray<readonly string[]>, opts: TableOptions = {}): string[] {
  const all: Array<readonly string[]> = [];
  if (opts.header) all.push(opts.header);
  for (const r of rows) all.push(r);
  const widths: number[] = [];
  for (const r of all) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const indent = " ".repeat(opts.indent ?? 2);
  const gap = " ".repeat(opts.gap ?? 2);
  const fmt = (r: readonly string[]): string => {
    const cells = r.map((c, i) => {
      const last = i === r.length - 1;
      if ((opts.align && opts.align[i]) === "right") return c.padStart(widths[i]);
      return last ? c : c.padEnd(widths[i]);
    });
    return (indent + cells.join(gap)).replace(/\s+$/, "");
  };
  const lines: string[] = [];
  if (opts.header) {
    lines.push(fmt(opts.header));
    lines.push(fmt(opts.header.map((_h, i) => "-".repeat(widths[i]))));
  }
  for (const r of rows) lines.push(fmt(r));
  return lines;
}

/** Lays out "label: value" pairs with aligned values; returns the lines. */
export function formatPairs(pairs: ReadonlyArray<readonly [string, string]>, indent = 2): string[] {
  let w = 0;
  for (const [k] of pairs) w = Math.max(w, k.length + 1);
  const pad = " ".repeat(indent);
  return pairs.map(([k, v]) => `${pad}${(k + ":").padEnd(w)} ${v}`.replace(/\s+$/, ""));
}
