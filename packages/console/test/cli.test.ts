import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { PassThrough, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { runCli, parseCliArgs, CliUsageError, NullLink } from "@pxe/console/node";

const root = fileURLToPath(new URL("../../..", import.meta.url));

function spawnCli(args: string[], input: string) {
  return spawnSync(`${root}node_modules/.bin/tsx`, ["--tsconfig", "tsconfig.node.json", "packages/console/src/node/cli.ts", ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    timeout: 60_000,
  });
}

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      w.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  w.text = "";
  return w;
}

describe("pxe CLI", () => {
  it("runs piped commands: help, an unknown command, quit", () => {
    const r = spawnCli(["--no-link"], "help\nfoo\nquit\n");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^pxehttp> help\nCommands:\n {2}exit +leave the console\n {2}help +list commands, or show how to use one\n/);
    expect(r.stdout).toContain("\npxehttp> foo\nerror: unknown command 'foo' \u2014 type 'help'\npxehttp> quit\n");
    expect(r.stdout.endsWith("pxehttp> quit\n")).toBe(true);
  });

  it("--help prints usage; bad arguments exit 2", () => {
    const r = spawnCli(["--help"], "");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("usage: pxe (--tap IFNAME [--pcap FILE] | --sim | --no-link)");
    const bad = spawnCli(["--tap"], "");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("pxe: --tap needs a value\n");
  });

  it("parses arguments", () => {
    expect(parseCliArgs(["--tap", "tap0", "--pcap=x.pcap"])).toMatchObject({ link: { kind: "tap", ifname: "tap0" }, pcap: "x.pcap" });
    expect(parseCliArgs(["--no-link", "--prompt", "> "]).prompt).toBe("> ");
    expect(() => parseCliArgs([])).toThrow(CliUsageError);
    expect(() => parseCliArgs(["--sim", "--no-link"])).toThrow(/exclude each other/);
    expect(() => parseCliArgs(["--bogus"])).toThrow("unknown option '--bogus' (try --help)");
  });

  it("in process: a link from the factory shows up in show/stats; end of input exits 0", async () => {
    const stdin = new PassThrough();
    const stdout = sink();
    const link = new NullLink();
    const done = runCli(["--tap", "tap9"], {
      stdin,
      stdout,
      stderr: sink(),
      openLink: (spec) => {
        expect(spec).toEqual({ kind: "tap", ifname: "tap9", pcap: undefined });
        return link;
      },
      setup: ({ registry, link: l }) => {
        registry.add({ name: "tx", summary: "send a frame", run: () => void l?.transmit(new Uint8Array(60)) });
      },
    });
    stdin.end("tx\ntx\nstats link\nshow link\n");
    expect(await done).toBe(0);
    expect(stdout.text).toContain("pxehttp> stats link\nlink:\n  xmitGoodFrames     2\n");
    expect(stdout.text).toContain("pxehttp> show link\nlink:\n  driver: sim\n  mac:    02:00:00:00:00:01\n  mtu:    1500\n");
  });

  it("a link that cannot be opened is reported with status 1", async () => {
    const stderr = sink();
    const code = await runCli(["--tap", "nope0"], {
      stdin: new PassThrough(),
      stdout: sink(),
      stderr,
      openLink: () => {
        throw new Error("ENOENT /dev/net/tun");
      },
    });
    expect(code).toBe(1);
    expect(stderr.text).toBe("pxe: cannot open TAP device nope0: ENOENT /dev/net/tun\n");
  });
});
