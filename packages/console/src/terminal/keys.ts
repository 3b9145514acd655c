/**
 * Key decoding: turns the byte stream a terminal sends (serial ANSI/VT100
 * escape sequences, or the NBP's PC-keyboard mapping onto the same
 * sequences) into editing keys. Sans-IO: bytes in, keys out.
 */

/** Names of the non-text keys the line editor understands. */
export type KeyName =
  | "enter"
  | "backspace"
  | "delete"
  | "left"
  | "right"
  | "home"
  | "end"
  | "up"
  | "down"
  | "wordLeft"
  | "wordRight"
  | "killEnd"
  | "killStart"
  | "killWordBack"
  | "cancel"
  | "eof"
  | "redraw"
  | "tab";

/** One decoded key: printable text, or a named editing key. */
export type Key = { readonly kind: "text"; readonly text: string } | { readonly kind: KeyName };

/** Control bytes (Ctrl-letter and friends) and the key each one means. */
const CONTROL: { readonly [byte: number]: KeyName } = {
  0x01: "home", // Ctrl-A
  0x02: "left", // Ctrl-B
  0x03: "cancel", // Ctrl-C
  0x04: "eof", // Ctrl-D (delete under cursor when the line is not empty)
  0x05: "end", // Ctrl-E
  0x06: "right", // Ctrl-F
  0x08: "backspace", // Ctrl-H / BS
  0x09: "tab",
  0x0b: "killEnd", // Ctrl-K
  0x0c: "redraw", // Ctrl-L
  0x0d: "enter", // CR
  0x0e: "down", // Ctrl-N
  0x10: "up", // Ctrl-P
  0x15: "killStart", // Ctrl-U
  0x17: "killWordBack", // Ctrl-W
  0x7f: "backspace", // DEL, what most terminals send for Backspace
};

/** Final bytes of CSI / SS3 sequences without parameters. */
const FINAL: { readonly [ch: string]: KeyName } = {
  A: "up",
  B: "down",
  C: "right",
  D: "left",
  H: "home",
  F: "end",
};

/** `ESC [ n ~` sequences (VT220 editing keypad). */
const TILDE: { readonly [n: number]: KeyName } = {
  1: "home",
  2: "redraw", // Insert: nothing to do, harmless
  3: "delete",
  4: "end",
  7: "home",
  8: "end",
};

const enum State {
  Ground,
  Escape,
  Csi,
  Ss3,
  Utf8,
}

/**
 * Incremental decoder of terminal input. Feed bytes (or characters) with
 * `push`; complete keys are appended to the array it returns into. Escape
 * sequences may be split across feeds. CR, LF and CR LF each count as one
 * Enter. Unknown escape sequences are swallowed.
 */
export class KeyDecoder {
  private state = State.Ground;
  private params = "";
  private utf8Need = 0;
  private utf8Code = 0;
  private afterCr = false;

  /**
   * Decodes `input` and appends the keys to `out` (returned). A number is one
   * byte; a Uint8Array is bytes (UTF-8 for text beyond ASCII); a string is
   * characters (codes above 0x7f are taken as text, not as bytes).
   */
  push(input: number | Uint8Array | string, out: Key[] = []): Key[] {
    if (typeof input === "number") {
      this.byte(input & 0xff, out);
    } else if (typeof input === "string") {
      for (let i = 0; i < input.length; i++) {
        const c = input.charCodeAt(i);
        if (c < 0x80) this.byte(c, out);
        else {
          this.state = State.Ground;
          this.afterCr = false;
          out.push({ kind: "text", text: input.charAt(i) });
        }
      }
    } else {
      for (let i = 0; i < input.length; i++) this.byte(input[i], out);
    }
    return out;
  }

  /** True when the decoder sits inside an unfinished escape or UTF-8 sequence. */
  get pending(): boolean {
    return this.state !== State.Ground;
  }

  private byte(b: number, out: Key[]): void {
    const afterCr = this.afterCr;
    this.afterCr = false;
    switch (this.state) {
      case State.Escape:
        if (b === 0x5b) {
          this.state = State.Csi;
          this.params = "";
          return;
        }
        if (b === 0x4f) {
          this.state = State.Ss3;
          return;
        }
        this.state = State.Ground;
        if (b === 0x62) return void out.push({ kind: "wordLeft" }); // Alt-b
        if (b === 0x66) return void out.push({ kind: "wordRight" }); // Alt-f
        if (b === 0x7f || b === 0x08) return void out.push({ kind: "killWordBack" }); // Alt-Backspace
        if (b === 0x1b) {
          this.state = State.Escape;
          return;
        }
        // A lone ESC followed by an ordinary key: drop the ESC, keep the key.
        return this.ground(b, out, false);
      case State.Csi:
        if ((b >= 0x30 && b <= 0x3f) || b === 0x3b) {
          if (this.params.length < 16) this.params += String.fromCharCode(b);
          return;
        }
        this.state = State.Ground;
        if (b >= 0x40 && b <= 0x7e) this.csi(this.params, String.fromCharCode(b), out);
        return;
      case State.Ss3:
        this.state = State.Ground;
        this.csi("", String.fromCharCode(b), out);
        return;
      case State.Utf8:
        if ((b & 0xc0) === 0x80) {
          this.utf8Code = (this.utf8Code << 6) | (b & 0x3f);
          if (--this.utf8Need === 0) {
            this.state = State.Ground;
            if (this.utf8Code >= 0x20) out.push({ kind: "text", text: fromCodePoint(this.utf8Code) });
          }
          return;
        }
        this.state = State.Ground;
        return this.ground(b, out, afterCr);
      default:
        return this.ground(b, out, afterCr);
    }
  }

  private ground(b: number, out: Key[], afterCr: boolean): void {
    if (b === 0x1b) {
      this.state = State.Escape;
      return;
    }
    if (b === 0x0a) {
      // LF alone is Enter; LF right after CR completes a CR LF pair.
      if (!afterCr) out.push({ kind: "enter" });
      return;
    }
    if (b === 0x0d) this.afterCr = true;
    if (b < 0x20 || b === 0x7f) {
      const name = CONTROL[b];
      if (name) out.push({ kind: name });
      return;
    }
    if (b < 0x80) return void out.push({ kind: "text", text: String.fromCharCode(b) });
    if (b >= 0xc2 && b <= 0xf4) {
      this.state = State.Utf8;
      this.utf8Need = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
      this.utf8Code = b & (b >= 0xf0 ? 0x07 : b >= 0xe0 ? 0x0f : 0x1f);
    }
    // Other bytes >= 0x80 (stray continuation bytes, 0xc0/0xc1, > 0xf4) are dropped.
  }

  private csi(params: string, final: string, out: Key[]): void {
    if (final === "~") {
      const name = TILDE[parseInt(params, 10)];
      if (name && name !== "redraw") out.push({ kind: name });
      return;
    }
    const name = FINAL[final];
    if (!name) return;
    // ESC [ 1 ; 5 C (Ctrl-Right) and ESC [ 1 ; 3 C (Alt-Right) move by word.
    const mod = params.indexOf(";") >= 0 ? parseInt(params.slice(params.indexOf(";") + 1), 10) : 1;
    if (mod > 1 && (name === "left" || name === "right")) {
      out.push({ kind: name === "left" ? "wordLeft" : "wordRight" });
      return;
    }
    out.push({ kind: name });
  }
}

function fromCodePoint(cp: number): string {
  if (cp < 0x10000) return String.fromCharCode(cp);
  const v = cp - 0x10000;
  return String.fromCharCode(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
}
