import { KeyDecoder, type Key } from "../terminal/keys.js";
import { CR, ERASE_EOL, cursorMove } from "../terminal/ansi.js";
import { History } from "./history.js";

/** What the editor reports when the user finishes a line. */
export type EditorEvent =
  | { readonly kind: "line"; readonly text: string }
  | { readonly kind: "cancel" }
  | { readonly kind: "eof" };

/** Offers completions for the word before the cursor: full candidate words. */
export type Completer = (line: string, cursor: number) => readonly string[];

/** Options of {@link LineEditor}. */
export interface LineEditorOptions {
  /** Prompt written by `start()` (default "> "). */
  prompt?: string;
  /** Shared history, or the number of entries to keep (default 100). */
  history?: History | number;
  /** Redraw with the ANSI subset (default true); false: no echo while typing, the line is echoed on Enter. */
  ansi?: boolean;
  /** Line break written after a submitted line (default "\r\n"). */
  newline?: string;
  /** Terminal width; longer lines scroll horizontally (default 80). */
  columns?: number;
  /** Tab completion (default: none, Tab is ignored). */
  complete?: Completer;
  /**
   * Move the cursor with ESC [ n D / C and erase with ESC [ K (default true).
   * False: only BS, spaces and rewritten text move and erase, for displays
   * that know no escape sequences at all.
   */
  cursorEscapes?: boolean;
}

/**
 * A sans-IO line editor. Feed it key bytes with `feed`, write what
 * `takeOutput` returns to the terminal, and poll `next` for a finished line.
 *
 * Keys: printable text inserts; Backspace/Delete; Left/Right/Home/End and
 * Ctrl-B/F/A/E; Alt-B/F or Ctrl-Left/Right by word; Ctrl-K/U/W kill to end,
 * to start, the word before; Up/Down and Ctrl-P/N walk the bounded history;
 * Tab completes; Ctrl-L redraws; Ctrl-C cancels the line; Ctrl-D on an empty
 * line is end of input; Enter (CR, LF or CR LF) submits.
 *
 * After an event the editor is idle: keys fed meanwhile are kept (type-ahead)
 * and processed by the next `start()`.
 */
export class LineEditor {
  /** The history this editor records into and recalls from. */
  readonly history: History;
  private readonly decoder = new KeyDecoder();
  private readonly ansi: boolean;
  private readonly newline: string;
  private readonly complete: Completer | undefined;
  private readonly escapes: boolean;
  private columns: number;
  private prompt: string;
  private chars: string[] = [];
  private pos = 0;
  private active = false;
  private keys: Key[] = [];
  private keyHead = 0;
  private output = "";
  private event: EditorEvent | undefined;
  private histIndex = 0;
  private draft: string[] = [];
  // What the terminal shows after the prompt, and where its cursor is.
  private shown: string[] = [];
  private shownCol = 0;
  private offset = 0;

  constructor(opts: LineEditorOptions = {}) {
    this.prompt = opts.prompt ?? "> ";
    this.history = opts.history instanceof History ? opts.history : new History(opts.history ?? 100);
    this.ansi = opts.ansi !== false;
    this.newline = opts.newline ?? "\r\n";
    this.columns = opts.columns ?? 80;
    this.complete = opts.complete;
    this.escapes = opts.cursorEscapes !== false;
  }

  /** The line being edited. */
  get text(): string {
    return this.chars.join("");
  }

  /** Cursor position in characters from the start of the line. */
  get cursor(): number {
    return this.pos;
  }

  /** True between `start()` and the next event. */
  get isActive(): boolean {
    return this.active;
  }

  /** True when fed keys wait for the next `start()`. */
  get hasTypeAhead(): boolean {
    return this.keyHead < this.keys.length;
  }

  /**
   * Begins a new line: writes the prompt (given here or at construction)
   * and processes any type-ahead. The cursor is assumed at column 0.
   */
  start(prompt?: string): void {
    if (prompt !== undefined) this.prompt = prompt;
    this.chars = [];
    this.pos = 0;
    this.offset = 0;
    this.shown = [];
    this.shownCol = 0;
    this.histIndex = this.history.length;
    this.draft = [];
    this.event = undefined;
    this.active = true;
    this.output += this.prompt;
    this.process();
  }

  /** Feeds input: a byte, bytes, or characters (see KeyDecoder.push). */
  feed(input: number | Uint8Array | string): void {
    this.decoder.push(input, this.keys);
    this.process();
  }

  /** Feeds already-decoded keys. */
  feedKeys(keys: readonly Key[]): void {
    for (const k of keys) this.keys.push(k);
    this.process();
  }

  /** Returns and clears the terminal output produced so far. */
  takeOutput(): string {
    const out = this.output;
    this.output = "";
    return out;
  }

  /** Returns and clears the event that ended the line, if any. */
  next(): EditorEvent | undefined {
    const e = this.event;
    this.event = undefined;
    return e;
  }

  /** Changes the width used for horizontal scrolling; redraws if active. */
  setColumns(columns: number): void {
    this.columns = columns;
    if (this.active) this.refresh();
  }

  /**
   * Erases the prompt line so other text can be printed in its place; call
   * `show()` afterwards to draw the prompt and line again (ANSI mode only).
   */
  hide(): void {
    if (!this.active || !this.ansi) return;
    if (this.escapes) this.output += CR + ERASE_EOL;
    else this.output += CR + " ".repeat(this.prompt.length + this.shown.length) + CR;
  }

  /** Draws prompt and line again after `hide()` or on a fresh line. */
  show(): void {
    if (!this.active) return;
    if (!this.ansi) {
      this.output += this.prompt;
      return;
    }
    this.shown = [];
    this.shownCol = 0;
    this.output += this.prompt;
    this.render();
  }

  /** Redraws prompt and line in place (Ctrl-L). */
  refresh(): void {
    this.hide();
    this.show();
  }

  private process(): void {
    while (this.active && this.keyHead < this.keys.length) {
      const key = this.keys[this.keyHead++];
      this.apply(key);
    }
    if (this.keyHead === this.keys.length) {
      this.keys = [];
      this.keyHead = 0;
    }
  }

  private apply(key: Key): void {
    switch (key.kind) {
      case "text":
        return this.insert(key.text);
      case "enter":
        return this.finish({ kind: "line", text: this.text });
      case "cancel":
        this.moveTo(this.chars.length);
        this.output += "^C";
        return this.finish({ kind: "cancel" });
      case "eof":
        if (this.chars.length === 0) return this.finish({ kind: "eof" });
        return this.deleteRange(this.pos, this.pos + 1);
      case "backspace":
        return this.deleteRange(this.pos - 1, this.pos);
      case "delete":
        return this.deleteRange(this.pos, this.pos + 1);
      case "left":
        return this.moveTo(this.pos - 1);
      case "right":
        return this.moveTo(this.pos + 1);
      case "home":
        return this.moveTo(0);
      case "end":
        return this.moveTo(this.chars.length);
      case "wordLeft":
        return this.moveTo(this.wordStart());
      case "wordRight":
        return this.moveTo(this.wordEnd());
      case "killEnd":
        return this.deleteRange(this.pos, this.chars.length);
      case "killStart":
        return this.deleteRange(0, this.pos);
      case "killWordBack":
        return this.deleteRange(this.wordStart(), this.pos);
      case "up":
        return this.recall(-1);
      case "down":
        return this.recall(1);
      case "redraw":
        return this.refresh();
      case "tab":
        return this.completeWord();
    }
  }

  private insert(text: string): void {
    const add: string[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
        add.push(text.slice(i, i + 2));
        i++;
      } else if (c >= 0x20 && c !== 0x7f) add.push(text.charAt(i));
    }
    if (add.length === 0) return;
    this.chars.splice(this.pos, 0, ...add);
    this.pos += add.length;
    this.render();
  }

  private deleteRange(from: number, to: number): void {
    from = Math.max(0, from);
    to = Math.min(this.chars.length, to);
    if (to <= from) return;
    this.chars.splice(from, to - from);
    if (this.pos > to) this.pos -= to - from;
    else if (this.pos > from) this.pos = from;
    this.render();
  }

  private moveTo(pos: number): void {
    const p = Math.max(0, Math.min(this.chars.length, pos));
    if (p === this.pos) return;
    this.pos = p;
    this.render();
  }

  private wordStart(): number {
    let p = this.pos;
    while (p > 0 && this.chars[p - 1] === " ") p--;
    while (p > 0 && this.chars[p - 1] !== " ") p--;
    return p;
  }

  private wordEnd(): number {
    let p = this.pos;
    const n = this.chars.length;
    while (p < n && this.chars[p] === " ") p++;
    while (p < n && this.chars[p] !== " ") p++;
    return p;
  }

  private recall(dir: -1 | 1): void {
    const target = this.histIndex + dir;
    if (target < 0 || target > this.history.length) return;
    if (this.histIndex === this.history.length) this.draft = this.chars.slice();
    this.histIndex = target;
    this.chars = target === this.history.length ? this.draft.slice() : splitChars(this.history.at(target) ?? "");
    this.pos = this.chars.length;
    this.render();
  }

  private completeWord(): void {
    if (!this.complete) return;
    const start = this.wordStartAt(this.pos);
    const word = this.chars.slice(start, this.pos).join("");
    const all = this.complete(this.text, this.pos).filter((c) => c.slice(0, word.length) === word);
    if (all.length === 0) return;
    if (all.length === 1) {
      const atEnd = this.pos === this.chars.length;
      return this.insert(all[0].slice(word.length) + (atEnd ? " " : ""));
    }
    const common = commonPrefix(all);
    if (common.length > word.length) return this.insert(common.slice(word.length));
    // Ambiguous: list the candidates below, then draw the line again.
    this.moveTo(this.chars.length);
    this.output += this.newline + all.join("  ") + this.newline;
    this.shown = [];
    this.shownCol = 0;
    this.output += this.prompt;
    this.render();
  }

  private wordStartAt(pos: number): number {
    let p = pos;
    while (p > 0 && this.chars[p - 1] !== " ") p--;
    return p;
  }

  private finish(event: EditorEvent): void {
    if (event.kind === "line") {
      this.moveTo(this.chars.length);
      if (!this.ansi) this.output += event.text;
      this.history.add(event.text);
    } else if (!this.ansi && event.kind === "cancel") {
      this.output += "^C";
    }
    this.output += this.newline;
    this.active = false;
    this.event = event;
  }

  /**
   * Cursor motion from column `from` to `to` (relative to the prompt's end):
   * ESC [ n D/C, or BS to the left and a rewrite of `shown` text to the right.
   */
  private move(from: number, to: number, shown: readonly string[]): string {
    if (this.escapes) return cursorMove(to - from);
    if (to < from) return "\b".repeat(from - to);
    return shown.slice(from, to).join("");
  }

  /** Brings the terminal from what it shows to the current line and cursor. */
  private render(): void {
    if (!this.ansi) return;
    const width = Math.max(1, this.columns - 1 - this.prompt.length);
    if (this.pos < this.offset) this.offset = this.pos;
    if (this.pos > this.offset + width) this.offset = this.pos - width;
    this.offset = Math.max(0, Math.min(this.offset, this.chars.length - width));
    const next = this.chars.slice(this.offset, this.offset + width);
    const col = this.pos - this.offset;
    const old = this.shown;
    let out = "";
    let p = 0;
    const m = Math.min(old.length, next.length);
    while (p < m && old[p] === next[p]) p++;
    if (p === old.length && p === next.length) {
      out += this.move(this.shownCol, col, next);
    } else {
      out += this.move(this.shownCol, p, next);
      out += next.slice(p).join("");
      let at = next.length;
      if (next.length < old.length) {
        if (this.escapes) out += ERASE_EOL;
        else {
          out += " ".repeat(old.length - next.length);
          at = old.length;
        }
      }
      out += this.move(at, col, next);
    }
    this.output += out;
    this.shown = next;
    this.shownCol = col;
  }
}

function splitChars(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      out.push(s.slice(i, i + 2));
      i++;
    } else out.push(s.charAt(i));
  }
  return out;
}

function commonPrefix(words: readonly string[]): string {
  let prefix = words[0];
  for (const w of words) {
    let i = 0;
    while (i < prefix.length && i < w.length && prefix.charCodeAt(i) === w.charCodeAt(i)) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}
