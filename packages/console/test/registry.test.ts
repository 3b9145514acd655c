import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRegistry, tokenize, quoteArg, ParseError, RegistryError, UnknownCommandError, Settings, SettingError, type Command } from "@pxe/console";

describe("tokenize", () => {
  it("splits on spaces and honours quotes and escapes", () => {
    expect(tokenize("  ping   10.0.2.2  -c 3 ")).toEqual(["ping", "10.0.2.2", "-c", "3"]);
    expect(tokenize(`set msg="hello world" x='a "b"' y=a\\ b`)).toEqual(["set", "msg=hello world", `x=a "b"`, "y=a b"]);
    expect(tokenize(`echo "" '' "a\\"b\\\\c"`)).toEqual(["echo", "", "", `a"b\\c`]);
    expect(tokenize(`a"b c"d`)).toEqual(["ab cd"]);
    expect(tokenize("")).toEqual([]);
  });
  it("rejects unclosed quotes with a typed error", () => {
    expect(() => tokenize(`echo "abc`)).toThrow(ParseError);
    expect(() => tokenize(`echo 'abc`)).toThrow(/unclosed single quote/);
    expect(() => tokenize(`echo \\`)).toThrow(ParseError);
  });
  it("quoteArg round-trips any arguments", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 6 }), (args) => {
        expect(tokenize(args.map(quoteArg).join(" "))).toEqual(args);
      }),
      { numRuns: 300 },
    );
  });
});

describe("CommandRegistry", () => {
  const noop: Command = { name: "ping", summary: "send echo requests", usage: "ping HOST [-c N]", run() {} };

  it("finds commands and aliases, rejects duplicates", () => {
    const r = createRegistry();
    r.add(noop);
    expect(r.get("ping")).toBe(noop);
    expect(r.get("halt")?.name).toBe("poweroff");
    expect(() => r.add(noop)).toThrow(RegistryError);
    expect(() => r.add({ ...noop, name: "x", aliases: ["ping"] })).toThrow(/already registered/);
    r.add({ ...noop, summary: "new" }, { replace: true });
    expect(r.get("ping")?.summary).toBe("new");
    expect(() => r.add({ ...noop, name: "bad name" })).toThrow(RegistryError);
  });

  it("parse gives the command and arguments, or UnknownCommandError with the spec'd text", () => {
    const r = createRegistry().add(noop);
    const inv = r.parse(`ping "10.0.2.2" -c 3`);
    expect(inv?.command).toBe(noop);
    expect(inv?.args).toEqual(["10.0.2.2", "-c", "3"]);
    expect(r.parse("   ")).toBeUndefined();
    expect(() => r.parse("foo bar")).toThrow(UnknownCommandError);
    expect(() => r.parse("foo")).toThrow("unknown command 'foo' \u2014 type 'help'");
  });

  it("lists the built-ins sorted, hidden ones only on request", () => {
    const r = createRegistry().add({ name: "secret", summary: "s", hidden: true, run() {} });
    const names = r.list().map((c) => c.name);
    expect(names).toEqual(["echo", "help", "mem", "poweroff", "reboot", "set", "show", "stats", "unset"]);
    expect(r.list({ includeHidden: true }).map((c) => c.name)).toContain("secret");
    expect(r.names()).toContain("?");
  });

  it("use() applies a plugin", () => {
    const r = createRegistry().use((reg) => {
      reg.add(noop);
      reg.addStats({ name: "ip", counters: () => ({ rx: 1 }) });
    });
    expect(r.has("ping")).toBe(true);
    expect(r.stats().map((p) => p.name)).toEqual(["ip"]);
  });
});

describe("Settings", () => {
  it("validates declared keys, allows free keys, notifies listeners", () => {
    const s = new Settings();
    s.define({ key: "ping.count", default: "4", parse: (v) => {
      if (!/^\d+$/.test(v)) throw new Error("not a number");
      return String(Number(v));
    } });
    const seen: Array<[string, string | undefined]> = [];
    s.onChange((k, v) => seen.push([k, v]));
    expect(s.getNumber("ping.count", 0)).toBe(4);
    s.set("ping.count", "007");
    expect(s.get("ping.count")).toBe("7");
    expect(() => s.set("ping.count", "x")).toThrow(SettingError);
    expect(() => s.set("ping.count", "x")).toThrow("ping.count: not a number");
    s.set("boot.netif.name", "em0");
    expect(() => s.set("bad key", "1")).toThrow(SettingError);
    s.unset("boot.netif.name");
    expect(seen).toEqual([["ping.count", "7"], ["boot.netif.name", "em0"], ["boot.netif.name", undefined]]);
    expect(s.entries()).toEqual([["ping.count", "7"]]);
  });
});
