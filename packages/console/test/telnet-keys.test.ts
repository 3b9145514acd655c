import { describe, expect, it } from "vitest";
import { TelnetKeys, ESCAPE_CHAR } from "../src/commands/telnet/keys.js";

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const sent = (k: TelnetKeys, s: string) =>
  k.feed(bytes(s)).flatMap((a) => (a.kind === "send" ? [String.fromCharCode(...a.data)] : a.kind === "escape" ? [`<${a.line}>`] : []));

describe("telnet key routing", () => {
  it("passes every key through unchanged in character mode (arrows, Ctrl-C, CR)", () => {
    const k = new TelnetKeys();
    k.mode = "character";
    expect(sent(k, "ls\x1b[A\x03\r")).toEqual(["ls\x1b[A\x03\r"]);
  });

  it("opens the telnet> prompt on Ctrl-], returns its line, and goes back to the session after it", () => {
    const k = new TelnetKeys();
    k.mode = "character";
    const a = k.feed(bytes(`ab${String.fromCharCode(ESCAPE_CHAR)}stx\x7fatus\r\ncd`));
    expect(a).toEqual([
      { kind: "send", data: bytes("ab") },
      { kind: "echo", text: "\r\ntelnet> " },
      ...["s", "t", "x"].map((c) => ({ kind: "echo", text: c })),
      { kind: "echo", text: "\b \b" },
      ...["a", "t", "u", "s"].map((c) => ({ kind: "echo", text: c })),
      { kind: "echo", text: "\r\n" },
      { kind: "escape", line: "status" },
      { kind: "send", data: bytes("cd") }, // the LF of CR LF was swallowed
    ]);
    expect(k.atPrompt).toBe(false);
  });

  it("echoes and edits locally in line mode and sends the line with CR LF; control keys go at once", () => {
    const k = new TelnetKeys();
    expect(sent(k, "lx\bs -l\r")).toEqual(["ls -l\r\n"]);
    expect(sent(k, "sl\x03")).toEqual(["\x03"]);
    expect(sent(k, "eep\r")).toEqual(["sleep\r\n"]);
  });
});
