/** The escape character, Ctrl-] (as in BSD telnet). */
export const ESCAPE_CHAR = 0x1d;

/** What a key press leads to. */
export type KeyAction =
  /** Bytes for the server. */
  | { readonly kind: "send"; readonly data: Uint8Array }
  /** Text for the local screen (local echo, the telnet> prompt). */
  | { readonly kind: "echo"; readonly text: string }
  /** A line typed at the telnet> prompt (trimmed; "" resumes the session). */
  | { readonly kind: "escape"; readonly line: string };

const CR = 13;
const LF = 10;
const BS = 8;
const DEL = 127;

/**
 * Routes the user's keys in a telnet session, sans I/O. Keys pass through
 * unchanged (arrows, Ctrl-C, ...) in character mode; in line mode (the
 * server does not echo) they are echoed here and sent a line at a time with
 * CR LF, Backspace editing the line. Ctrl-] opens the `telnet>` prompt,
 * whose line is returned as an "escape" action (the keys after it go to
 * the session again).
 */
export class TelnetKeys {
  private line: number[] = [];
  private prompt: string | undefined;
  private skipLf = false;
  /** Set by the owner from the session: "character" or "line". */
  mode: "character" | "line" = "line";

  /** True while the telnet> prompt is open. */
  get atPrompt(): boolean {
    return this.prompt !== undefined;
  }

  /** Handles typed bytes. */
  feed(keys: Uint8Array): KeyAction[] {
    const out: KeyAction[] = [];
    let pass: number[] = [];
    const flush = () => {
      if (pass.length > 0) out.push({ kind: "send", data: Uint8Array.from(pass) });
      pass = [];
    };
    for (let i = 0; i < keys.length; i++) {
      const b = keys[i];
      if (this.skipLf) {
        this.skipLf = false;
        if (b === LF) continue; // the LF of a CR LF that ended a telnet> line
      }
      if (this.prompt !== undefined) {
        if (b === CR || b === LF) {
          this.skipLf = b === CR;
          flush();
          out.push({ kind: "echo", text: "\r\n" }, { kind: "escape", line: this.prompt.trim() });
          this.prompt = undefined;
        } else if (b === BS || b === DEL) {
          if (this.prompt.length > 0) {
            this.prompt = this.prompt.slice(0, -1);
            out.push({ kind: "echo", text: "\b \b" });
          }
        } else if (b >= 0x20 && b < 0x7f) {
          this.prompt += String.fromCharCode(b);
          out.push({ kind: "echo", text: String.fromCharCode(b) });
        }
        continue;
      }
      if (b === ESCAPE_CHAR) {
        flush();
        this.prompt = "";
        out.push({ kind: "echo", text: "\r\ntelnet> " });
        continue;
      }
      if (this.mode === "character") {
        pass.push(b);
        continue;
      }
      // line mode: local echo and editing, CR LF at the end
      if (b === CR || b === LF) {
        if (b === LF && i > 0 && keys[i - 1] === CR) continue;
        this.line.push(CR, LF);
        pass.push(...this.line);
        this.line = [];
        out.push({ kind: "echo", text: "\r\n" });
      } else if (b === BS || b === DEL) {
        if (this.line.length > 0) {
          this.line.pop();
          out.push({ kind: "echo", text: "\b \b" });
        }
      } else if (b < 0x20) {
        pass.push(b); // Ctrl-C and friends go at once, the line stays
      } else {
        this.line.push(b);
        if (b < 0x7f) out.push({ kind: "echo", text: String.fromCharCode(b) });
      }
    }
    flush();
    return out;
  }
}
