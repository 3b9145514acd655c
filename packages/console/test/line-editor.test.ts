import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { LineEditor, History, KeyDecoder } from "@pxe/console";
import { VirtualScreen } from "@pxe/console/testing";

type Op =
  | { op: "insert"; text: string }
  | { op: "left" | "right" | "home" | "end" | "backspace" | "delete" | "killEnd" | "killStart"; seq: string };

const SEQ: Record<string, string[]> = {
  left: ["\x1b[D", "\x02", "\x1bOD"],
  right: ["\x1b[C", "\x06", "\x1bOC"],
  home: ["\x1b[H", "\x01", "\x1b[1~", "\x1bOH"],
  end: ["\x1b[F", "\x05", "\x1b[4~", "\x1bOF"],
  backspace: ["\x7f", "\x08"],
  delete: ["\x1b[3~"],
  killEnd: ["\x0b"],
  killStart: ["\x15"],
};

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 5 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: printable.map((text) => ({ op: "insert" as const, text })) },
  ...Object.keys(SEQ).map((k) =>
    fc.constantFrom(...SEQ[k]).map((seq) => ({ op: k as "left", seq })),
  ),
);

/** The obvious model of a line and a cursor. */
function model(ops: Op[]): { text: string; cursor: number } {
  let text = "";
  let cursor = 0;
  for (const o of ops) {
    switch (o.op) {
      case "insert":
        text = text.slice(0, cursor) + o.text + text.slice(cursor);
        cursor += o.text.length;
        break;
      case "left":
        cursor = Math.max(0, cursor - 1);
        break;
      case "right":
        cursor = Math.min(text.length, cursor + 1);
        break;
      case "home":
        cursor = 0;
        break;
      case "end":
        cursor = text.length;
        break;
      case "backspace":
        if (cursor > 0) {
          text = text.slice(0, cursor - 1) + text.slice(cursor);
          cursor--;
        }
        break;
      case "delete":
        text = text.slice(0, cursor) + text.slice(cursor + 1);
        break;
      case "killEnd":
        text = text.slice(0, cursor);
        break;
      case "killStart":
        text = text.slice(cursor);
        cursor = 0;
        break;
    }
  }
  return { text, cursor };
}

/** The screen line shows `want`, followed by nothing or by blanks (erased with spaces). */
function expectShown(line: string, want: string, exact: boolean): void {
  if (exact) return void expect(line).toBe(want);
  expect(line.slice(0, want.length)).toBe(want);
  expect(line.slice(want.length)).toMatch(/^ *$/);
}

function keysOf(ops: Op[]): string {
  return ops.map((o) => (o.op === "insert" ? o.text : o.seq)).join("");
}

describe("LineEditor", () => {
  it.each([true, false])("matches a simple model for any inserts, moves and deletions, and the screen shows the line (escapes: %s)", (escapes) => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.integer({ min: 1, max: 4 }), (ops, chunk) => {
        const ed = new LineEditor({ prompt: "p> ", columns: 1000, cursorEscapes: escapes });
        const screen = new VirtualScreen(1000);
        ed.start();
        // Feed in pieces that may split escape sequences.
        const keys = keysOf(ops);
        for (let i = 0; i < keys.length; i += chunk) ed.feed(keys.slice(i, i + chunk));
        const out = ed.takeOutput();
        if (!escapes) expect(out).not.toContain("\x1b");
        screen.write(out);
        const m = model(ops);
        expect(ed.text).toBe(m.text);
        expect(ed.cursor).toBe(m.cursor);
        expectShown(screen.line(), "p> " + m.text, escapes);
        expect(screen.col).toBe(3 + m.cursor);
      }),
      { numRuns: 300 },
    );
  });

  it.each([true, false])("scrolls long lines horizontally, keeping the cursor on screen (escapes: %s)", (escapes) => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const columns = 16;
        const ed = new LineEditor({ prompt: "p> ", columns, cursorEscapes: escapes });
        const screen = new VirtualScreen(columns);
        ed.start();
        ed.feed(keysOf(ops));
        screen.write(ed.takeOutput());
        const m = model(ops);
        const w = columns - 1 - 3;
        const line = screen.line();
        expect(line.slice(0, 3)).toBe("p> ");
        const offset = m.cursor - (screen.col - 3);
        expect(offset).toBeGreaterThanOrEqual(0);
        expectShown(line, "p> " + m.text.slice(offset, offset + w), escapes);
        expect(m.text.slice(offset, offset + w).length).toBe(Math.min(w, m.text.length));
      }),
      { numRuns: 200 },
    );
  });

  it("submits on CR, LF or CR LF (one line each) and keeps type-ahead until start()", () => {
    const ed = new LineEditor({ prompt: "> " });
    ed.start();
    ed.feed("one\r\ntwo\nthree\r");
    expect(ed.next()).toEqual({ kind: "line", text: "one" });
    expect(ed.next()).toBeUndefined();
    expect(ed.hasTypeAhead).toBe(true);
    ed.start();
    expect(ed.next()).toEqual({ kind: "line", text: "two" });
    ed.start();
    expect(ed.next()).toEqual({ kind: "line", text: "three" });
    ed.start();
    expect(ed.next()).toBeUndefined();
    expect(ed.text).toBe("");
  });

  it("Ctrl-C cancels the line and prints ^C", () => {
    const ed = new LineEditor({ prompt: "> " });
    ed.start();
    ed.feed("abc\x1b[D\x1b[D\x03");
    expect(ed.next()).toEqual({ kind: "cancel" });
    const screen = new VirtualScreen();
    screen.write(ed.takeOutput());
    expect(screen.text()).toBe("> abc^C\n");
    expect(ed.history.length).toBe(0);
  });

  it("Ctrl-D is end of input on an empty line and delete otherwise", () => {
    const ed = new LineEditor();
    ed.start();
    ed.feed("ab\x01\x04");
    expect(ed.text).toBe("b");
    expect(ed.next()).toBeUndefined();
    ed.feed("\x05\x15\x04");
    expect(ed.next()).toEqual({ kind: "eof" });
  });

  it("walks history up and down, restoring the draft", () => {
    const ed = new LineEditor({ prompt: "> ", history: 3 });
    for (const l of ["a", "b", "b", "", "c", "d"]) {
      ed.start();
      ed.feed(l + "\r");
      ed.next();
    }
    // bounded (3), blank and repeated lines skipped
    expect(ed.history.entries()).toEqual(["b", "c", "d"]);
    ed.start();
    ed.feed("draft");
    ed.feed("\x1b[A");
    expect(ed.text).toBe("d");
    ed.feed("\x1b[A\x1b[A\x1b[A\x1b[A");
    expect(ed.text).toBe("b");
    ed.feed("\x0e");
    expect(ed.text).toBe("c");
    ed.feed("\x1b[B\x1b[B");
    expect(ed.text).toBe("draft");
    ed.feed("\x10\r");
    expect(ed.next()).toEqual({ kind: "line", text: "d" });
  });

  it("recalled lines redraw in place on the screen", () => {
    const ed = new LineEditor({ prompt: "> " });
    ed.history.add("a much longer command");
    ed.history.add("short");
    const screen = new VirtualScreen();
    ed.start();
    ed.feed("\x1b[A\x1b[A");
    screen.write(ed.takeOutput());
    expect(screen.line()).toBe("> a much longer command");
    ed.feed("\x1b[B");
    screen.write(ed.takeOutput());
    expect(screen.line()).toBe("> short");
    expect(screen.col).toBe(7);
  });

  it("Ctrl-W deletes the word before the cursor; Alt-B/F move by word", () => {
    const ed = new LineEditor();
    ed.start();
    ed.feed("ping  10.0.2.2 -c 3");
    ed.feed("\x1bb\x1bb");
    expect(ed.cursor).toBe("ping  10.0.2.2 ".length);
    ed.feed("\x17");
    expect(ed.text).toBe("ping  -c 3");
    ed.feed("\x1bf");
    expect(ed.cursor).toBe("ping  -c".length);
  });

  it("Tab completes command names", () => {
    const ed = new LineEditor({ prompt: "> ", complete: () => ["help", "show", "stats", "set"] });
    ed.start();
    ed.feed("he\t");
    expect(ed.text).toBe("help ");
    ed.feed("\x15st\t");
    expect(ed.text).toBe("stats ");
    ed.feed("\x15s\t");
    expect(ed.text).toBe("s");
    const screen = new VirtualScreen();
    screen.write(ed.takeOutput());
    expect(screen.text().split("\n").slice(-2)).toEqual(["show  stats  set", "> s"]);
  });

  describe("golden redraw output", () => {
    const run = (keys: string) => {
      const ed = new LineEditor({ prompt: "> " });
      ed.start();
      ed.takeOutput();
      ed.feed(keys);
      return ed.takeOutput();
    };
    it("typing echoes plainly", () => expect(run("ab")).toBe("ab"));
    it("insert in the middle rewrites the tail and moves back", () => expect(run("ac\x1b[Db")).toBe("ac\x1b[1Dbc\x1b[1D"));
    it("backspace at the end", () => expect(run("ab\x7f")).toBe("ab\x1b[1D\x1b[K"));
    it("backspace in the middle", () => expect(run("abc\x1b[D\x7f")).toBe("abc\x1b[1D\x1b[1Dc\x1b[K\x1b[1D"));
    it("home and end", () => expect(run("abc\x01\x05")).toBe("abc\x1b[3D\x1b[3C"));
    it("Ctrl-U", () => expect(run("abc\x15")).toBe("abc\x1b[3D\x1b[K"));
    it("Enter in the middle moves to the end first", () => expect(run("abc\x1b[D\r")).toBe("abc\x1b[1D\x1b[1C\r\n"));
  });

  it("without escapes: golden BS/rewrite output, and hide() blanks the line", () => {
    const ed = new LineEditor({ prompt: "> ", cursorEscapes: false });
    ed.start();
    ed.takeOutput();
    ed.feed("abc\x1b[D\x1b[D\x7f\x05");
    expect(ed.takeOutput()).toBe("abc\b\b\bbc \b\b\bbc");
    ed.hide();
    expect(ed.takeOutput()).toBe("\r    \r");
  });

  it("plain mode echoes the line only when submitted", () => {
    const ed = new LineEditor({ prompt: "> ", ansi: false, newline: "\n" });
    ed.start();
    ed.feed("hx\x7felp\r");
    expect(ed.takeOutput()).toBe("> help\n");
    expect(ed.next()).toEqual({ kind: "line", text: "help" });
  });
});

describe("KeyDecoder", () => {
  it("decodes arrows, editing keypad, UTF-8 and ignores unknown sequences", () => {
    const d = new KeyDecoder();
    const keys = d.push(Uint8Array.from([0x1b, 0x5b, 0x41, 0x1b, 0x5b, 0x33, 0x7e, 0xc3, 0xa9, 0x1b, 0x5b, 0x31, 0x35, 0x7e, 0x61, 0x1b, 0x5b, 0x31, 0x3b, 0x35, 0x44]));
    expect(keys).toEqual([{ kind: "up" }, { kind: "delete" }, { kind: "text", text: "\u00e9" }, { kind: "text", text: "a" }, { kind: "wordLeft" }]);
  });
  it("CR LF split across feeds is one Enter", () => {
    const d = new KeyDecoder();
    expect(d.push("a\r")).toEqual([{ kind: "text", text: "a" }, { kind: "enter" }]);
    expect(d.push("\nb\n")).toEqual([{ kind: "text", text: "b" }, { kind: "enter" }]);
  });
  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const ed = new LineEditor();
        ed.start();
        ed.feed(bytes);
        new VirtualScreen().write(ed.takeOutput());
      }),
      { numRuns: 300 },
    );
  });
});
