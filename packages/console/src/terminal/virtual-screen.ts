/**
 * A tiny terminal emulator that understands exactly the ANSI subset the
 * console may emit (CR, LF, BS, ESC[K, ESC[nD, ESC[nC) and throws on
 * anything else. Tests feed console output into it and compare the screen.
 */
export class VirtualScreen {
  /** Screen lines (no trailing spaces trimmed). */
  readonly rows: string[][] = [[]];
  /** Cursor row (index into rows). */
  row = 0;
  /** Cursor column. */
  col = 0;
  /** Width; writing in the last column does not wrap (like a VT100's pending wrap we ignore). */
  readonly columns: number;

  constructor(columns = 1000) {
    this.columns = columns;
  }

  /** Interprets `text`; throws Error on a sequence outside the subset. */
  write(text: string): void {
    let i = 0;
    while (i < text.length) {
      const ch = text.charAt(i);
      if (ch === "\r") {
        this.col = 0;
        i++;
      } else if (ch === "\n") {
        this.row++;
        if (this.row >= this.rows.length) this.rows.push([]);
        i++;
      } else if (ch === "\b") {
        if (this.col > 0) this.col--;
        i++;
      } else if (ch === "\x1b") {
        const m = /^\x1b\[(\d*)([KCD])/.exec(text.slice(i, i + 12));
        if (!m) throw new Error(`escape sequence outside the console subset: ${JSON.stringify(text.slice(i, i + 8))}`);
        const n = m[1] === "" ? 1 : parseInt(m[1], 10);
        if (m[2] === "K") this.rows[this.row].length = Math.min(this.rows[this.row].length, this.col);
        else if (m[2] === "C") this.col = Math.min(this.columns - 1, this.col + n);
        else this.col = Math.max(0, this.col - n);
        i += m[0].length;
      } else {
        const c = ch.charCodeAt(0);
        if (c < 0x20 || c === 0x7f) throw new Error(`control character 0x${c.toString(16)} outside the console subset`);
        let glyph = ch;
        if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) glyph = text.slice(i, i + 2);
        const line = this.rows[this.row];
        while (line.length < this.col) line.push(" ");
        line[this.col] = glyph;
        if (this.col < this.columns - 1) this.col++;
        i += glyph.length;
      }
    }
  }

  /** The text of row `r` (default: the cursor's row). */
  line(r = this.row): string {
    return (this.rows[r] ?? []).join("");
  }

  /** All rows joined by "\n", trailing spaces kept. */
  text(): string {
    return this.rows.map((r) => r.join("")).join("\n");
  }
}
