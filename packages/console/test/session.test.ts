import { describe, expect, it } from "vitest";
import { createRegistry, InterruptedError, type Command } from "@pxe/console";
import { testConsole, VirtualScreen } from "@pxe/console/testing";

describe("console loop", () => {
  it("prints the help listing, help CMD, and the unknown-command error", async () => {
    const t = testConsole();
    t.input.push("help\nhelp set\nfoo bar\n");
    await t.steps(3);
    const out = t.output();
    expect(out).toContain("pxehttp> help\nCommands:\n");
    expect(out).toMatch(/\n  help +list commands, or show how to use one\n/);
    expect(out).toMatch(/\n  stats +show link and protocol counters\n/);
    expect(out).toContain("pxehttp> help set\nusage: set [KEY=VALUE | KEY VALUE] ...\n  change a setting");
    expect(out).toContain("pxehttp> foo bar\nerror: unknown command 'foo' \u2014 type 'help'\npxehttp> ");
  });

  it("keeps running after a command throws, sync or async", async () => {
    const r = createRegistry()
      .add({ name: "boom", summary: "throws", run() { throw new Error("kaboom"); } })
      .add({ name: "later", summary: "rejects", async run() { throw new Error("async kaboom"); } })
      .add({ name: "ok", summary: "prints", run(_a, ctx) { ctx.out.line("fine"); } });
    const t = testConsole({ registry: r });
    t.input.push("boom\nlater\nok\n");
    await t.steps(6);
    expect(t.output()).toBe("pxehttp> boom\nerror: kaboom\npxehttp> later\nerror: async kaboom\npxehttp> ok\nfine\npxehttp> ");
  });

  it("awaits an async command while poll keeps running with the clock", async () => {
    const polls: number[] = [];
    let arrived = false;
    const wait: Command = {
      name: "wait",
      summary: "waits for a packet",
      async run(_a, ctx) {
        const t0 = ctx.now();
        while (!arrived) await ctx.sleep(10);
        ctx.out.line(`got it after ${ctx.now() - t0} ms`);
      },
    };
    const t = testConsole({
      registry: createRegistry().add(wait),
      poll: (now) => {
        polls.push(now);
        if (now >= 50) arrived = true;
      },
    });
    t.input.push("wait\nhelp set\n");
    await t.steps(2);
    expect(t.session.busy).toBe(true);
    expect(t.output()).not.toContain("usage: set"); // type-ahead waits for the command
    const done = await t.until(() => !t.session.busy, { advanceMs: 5 });
    expect(done).toBe(true);
    expect(polls.length).toBeGreaterThan(10);
    expect(new Set(polls).size).toBeGreaterThan(10); // time moved between polls
    await t.steps(2);
    expect(t.output()).toMatch(/pxehttp> wait\ngot it after (50|55|60) ms\npxehttp> help set\nusage: set/);
  });

  it("Ctrl-C interrupts a sleeping command; a second Ctrl-C abandons a stuck one", async () => {
    let sawInterrupt = false;
    const r = createRegistry()
      .add({
        name: "nap",
        summary: "sleeps long",
        async run(_a, ctx) {
          ctx.onInterrupt(() => (sawInterrupt = true));
          await ctx.sleep(1e9);
        },
      })
      .add({ name: "stuck", summary: "never ends", run: () => new Promise<void>(() => {}) });
    const t = testConsole({ registry: r });
    t.input.push("nap\n");
    await t.steps(2);
    expect(t.session.busy).toBe(true);
    t.input.push("\x03");
    await t.steps(3);
    expect(t.session.busy).toBe(false);
    expect(sawInterrupt).toBe(true);
    expect(t.output()).toBe("pxehttp> nap\n^C\npxehttp> ");
    t.clearOutput();
    t.input.push("stuck\n", "\x03");
    await t.steps(4);
    expect(t.session.busy).toBe(true);
    t.input.push("\x03");
    await t.steps(2);
    expect(t.session.busy).toBe(false);
    expect(t.output()).toBe("stuck\n^C\n^C (command abandoned)\npxehttp> ");
  });

  it("a Ctrl-C in the same chunk as the command line interrupts it (paste, serial)", async () => {
    const r = createRegistry().add({ name: "nap", summary: "sleeps", run: (_a, ctx) => ctx.sleep(1e9) });
    const t = testConsole({ registry: r });
    t.input.push("nap\r\n\x03help help\n");
    await t.steps(4);
    expect(t.session.busy).toBe(false);
    expect(t.output()).toMatch(/^pxehttp> nap\n\^C\npxehttp> help help\nusage: help/);
  });

  it("a failing background poll is reported once per message", async () => {
    let n = 0;
    const t = testConsole({
      poll: () => {
        n++;
        throw new Error(n < 5 ? "link down" : "link gone");
      },
    });
    await t.steps(8);
    expect(t.output().match(/error: link down/g)?.length).toBe(1);
    expect(t.output().match(/error: link gone/g)?.length).toBe(1);
  });

  it("sleep rejects with InterruptedError that the command can catch", async () => {
    const r = createRegistry().add({
      name: "ping",
      summary: "pings",
      async run(_a, ctx) {
        let n = 0;
        try {
          for (;;) {
            ctx.out.line(`reply ${++n}`);
            await ctx.sleep(1000);
          }
        } catch (e) {
          if (!(e instanceof InterruptedError)) throw e;
          ctx.out.line(`${n} sent`);
        }
      },
    });
    const t = testConsole({ registry: r });
    t.input.push("ping\n");
    await t.until(() => t.output().includes("reply 3"), { advanceMs: 100 });
    t.input.push("\x03");
    await t.steps(3);
    expect(t.output()).toBe("pxehttp> ping\nreply 1\nreply 2\nreply 3\n^C\n3 sent\npxehttp> ");
  });

  it("set / show / unset, with facts providers", async () => {
    const r = createRegistry().addFacts({ name: "pxe", facts: () => [["version", "2.1"], ["entry", "!PXE"]] });
    const t = testConsole({ registry: r });
    t.input.push(`set http.proxy=10.0.2.2:3128 motd="hello world"\nshow\nunset motd\nset\nshow nope\nset =x\n`);
    await t.steps(8);
    expect(t.output()).toBe(
      [
        `pxehttp> set http.proxy=10.0.2.2:3128 motd="hello world"`,
        "pxehttp> show",
        "settings:",
        "  http.proxy: 10.0.2.2:3128",
        "  motd:       hello world",
        "pxe:",
        "  version: 2.1",
        "  entry:   !PXE",
        "pxehttp> unset motd",
        "pxehttp> set",
        "settings:",
        "  http.proxy: 10.0.2.2:3128",
        "pxehttp> show nope",
        "error: show: no section 'nope' (sections: settings, pxe)",
        "pxehttp> set =x",
        "error: set: expected KEY=VALUE, got '=x' (usage: set [KEY=VALUE | KEY VALUE] ...)",
        "pxehttp> ",
      ].join("\n"),
    );
  });

  it("set KEY VALUE keeps '=' in the value", async () => {
    const t = testConsole();
    t.input.push("set url http://h/?a=b\n");
    await t.steps(2);
    expect(t.registry.settings.get("url")).toBe("http://h/?a=b");
  });

  it("plain mode: print() starts a fresh line and prompts again", async () => {
    const t = testConsole();
    await t.steps(1);
    t.session.print("link up");
    expect(t.output()).toBe("pxehttp> \nlink up\npxehttp> ");
  });

  it("asciiOnly terminals get the unknown-command message in ASCII", async () => {
    const { platformTerminal, toAscii } = await import("@pxe/console");
    let out = "";
    const term = platformTerminal({ write: (s) => (out += s) }, { asciiOnly: true });
    term.write("unknown command 'foo' \u2014 type 'help' \u00e9\ud83d\ude00");
    expect(out).toBe("unknown command 'foo' - type 'help' ??");
    expect(toAscii("a\x1b[Kb")).toBe("a\x1b[Kb");
  });

  it("mem prints an E820 map and stats prints counters", async () => {
    const r = createRegistry()
      .addMemory({
        name: "e820",
        memory: () => ({
          regions: [
            { base: 0x100000, length: 0x7ee0000, type: 1 },
            { base: 0, length: 0x9fc00, type: 1 },
            { base: 0x9fc00, length: 0x400, type: 2 },
          ],
        }),
      })
      .addStats({ name: "undi", counters: () => ({ xmitGoodFrames: 1, rcvGoodFrames: 12 }) });
    const t = testConsole({ registry: r });
    t.input.push("mem\nstats\n");
    await t.steps(4);
    expect(t.output()).toBe(
      [
        "pxehttp> mem",
        "e820:",
        "  start               end                     size  type",
        "  ------------------  ------------------  --------  --------",
        "  0x0000000000000000  0x000000000009fbff   639 KiB  usable",
        "  0x000000000009fc00  0x000000000009ffff  1.00 KiB  reserved",
        "  0x0000000000100000  0x0000000007fdffff   127 MiB  usable",
        "  usable: 127 MiB in 2 ranges",
        "pxehttp> stats",
        "undi:",
        "  xmitGoodFrames   1",
        "  rcvGoodFrames   12",
        "pxehttp> ",
      ].join("\n"),
    );
  });

  it("stats flattens nested counters with dotted names", async () => {
    const r = createRegistry().addStats({
      name: "stack",
      counters: () => ({ ip: { rx: 5, dropped: { checksum: 1, noRoute: 0 } }, udp: { rx: 2n }, name: "x", mac: new Uint8Array(6) }),
    });
    const t = testConsole({ registry: r });
    t.input.push("stats stack\n");
    await t.steps(2);
    expect(t.output()).toBe(
      ["pxehttp> stats stack", "stack:", "  ip.rx                5", "  ip.dropped.checksum  1", "  ip.dropped.noRoute   0", "  udp.rx               2", "pxehttp> "].join("\n"),
    );
  });

  it("show lists every declared setting: unset ones as (not set), a changed one with its default", async () => {
    const registry = createRegistry();
    registry.settings.define({ key: "http.proxy", summary: "proxy" }).define({ key: "tcp.window", default: "1048576" }).define({ key: "cat.max", default: "65536" });
    const t = testConsole({ registry });
    t.input.push("set tcp.window=65536\nshow settings\n");
    await t.steps(2);
    expect(t.output()).toContain(
      "pxehttp> show settings\nsettings:\n  cat.max:    65536\n  http.proxy: (not set)\n  tcp.window: 65536 (default 1048576)\n",
    );
  });

  it("echo prints its arguments joined by single spaces", async () => {
    const t = testConsole();
    t.input.push("echo  a   'b  c' http://x/y?z=1\necho\n");
    await t.steps(2);
    expect(t.output()).toContain("pxehttp> echo  a   'b  c' http://x/y?z=1\na b  c http://x/y?z=1\npxehttp> echo\n\npxehttp> ");
  });

  it("reboot and poweroff call host hooks, or say they are unavailable", async () => {
    const calls: string[] = [];
    const t = testConsole({ system: { reboot: () => void calls.push("reboot") } });
    t.input.push("reboot\npoweroff\n");
    await t.steps(4);
    expect(calls).toEqual(["reboot"]);
    expect(t.output()).toContain("pxehttp> poweroff\nerror: poweroff is not available on this host\n");
  });

  it("ctx.exit ends the loop; end of input ends it too (running a last unterminated line)", async () => {
    const t = testConsole({ system: { poweroff: (ctx) => ctx.exit(3) } });
    t.input.push("poweroff\n");
    await t.steps(2);
    expect(t.session.done).toEqual({ reason: "exit", code: 3 });
    const u = testConsole();
    u.input.push("help help");
    u.input.end();
    await u.steps(2);
    expect(u.session.done).toEqual({ reason: "eof", code: 0 });
    expect(u.output()).toContain("usage: help [COMMAND]");
  });

  it.each([true, false])("ANSI mode: output uses only the subset and CR LF; print() keeps the typed line (escapes: %s)", async (escapes) => {
    const t = testConsole({ ansi: true, cursorEscapes: escapes });
    t.input.push("hel", "p\r");
    await t.steps(3);
    t.input.push("sh");
    await t.steps(1);
    t.session.print("link up");
    const screen = new VirtualScreen();
    screen.write(t.output());
    expect(t.output()).not.toMatch(/[^\r]\n/);
    if (!escapes) expect(t.output()).not.toContain("\x1b");
    const lines = screen.text().split("\n");
    expect(lines[0]).toBe("pxehttp> help");
    expect(lines[1]).toBe("Commands:");
    expect(lines.slice(-2).map((l) => l.trimEnd())).toEqual(["link up", "pxehttp> sh"]);
  });
});
