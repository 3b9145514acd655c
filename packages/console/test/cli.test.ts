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
    expect(r.stdout).toMatch(/^pxehttp> help\nCommands:\n {2}echo +print the arguments.*\n {2}exit +leave the console\n {2}help +list commands, or show how to use one\n/);
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

  it("parses the network options", () => {
    const a = parseCliArgs(["--tap", "tap0", "--ip", "10.0.2.15/24", "--gw=10.0.2.2", "--dns", "10.0.2.3,10.0.2.4", "--dns", "10.0.2.5", "--proxy", "http://p:3128"]);
    expect(a.net).toEqual({ ip: "10.0.2.15/24", gw: "10.0.2.2", dhcp: false, dns: ["10.0.2.3", "10.0.2.4", "10.0.2.5"], proxy: "http://p:3128", given: true });
    expect(parseCliArgs(["--sim", "--dhcp"]).net).toMatchObject({ dhcp: true, given: true });
    expect(parseCliArgs(["--tap", "t"]).net.given).toBe(false);
    expect(() => parseCliArgs(["--tap", "t", "--ip", "10.0.2.15"])).toThrow("--ip wants ADDR/PREFIX, e.g. 10.0.2.15/24, not '10.0.2.15'");
    expect(() => parseCliArgs(["--tap", "t", "--dhcp", "--ip", "10.0.2.15/24"])).toThrow("--dhcp and --ip exclude each other");
    expect(() => parseCliArgs(["--tap", "t", "--gw", "10.0.2.2"])).toThrow("--gw needs --ip");
    expect(() => parseCliArgs(["--no-link", "--dhcp"])).toThrow(/need a link/);
  });

  it("in process: --tap builds the full stack; --ip/--gw/--dns/--proxy are applied; the network commands are there", async () => {
    const stdin = new PassThrough();
    const stdout = sink();
    const done = runCli(["--tap", "tap8", "--ip", "10.9.0.2/24", "--gw", "10.9.0.1", "--dns", "10.9.0.53", "--proxy", "http://10.9.0.1:3128"], {
      stdin,
      stdout,
      stderr: sink(),
      openLink: () => new NullLink(),
      env: {},
    });
    stdin.end("ifconfig\nroute\nshow\nstats tcp\nhelp\n");
    expect(await done).toBe(0);
    const out = stdout.text;
    expect(out).toContain("pxehttp> ifconfig\nsim:\n  mac:      02:00:00:00:00:01\n  mtu:      1500\n  address:  10.9.0.2/24\n  netmask:  255.255.255.0\n  gateway:  10.9.0.1\n  dns:      10.9.0.53\n");
    expect(out).toMatch(/default +10\.9\.0\.1 +default\n/);
    expect(out).toMatch(/http\.proxy\b.*http:\/\/10\.9\.0\.1:3128/);
    expect(out).toMatch(/dns\.servers\b.*10\.9\.0\.53/);
    expect(out).toMatch(/pxehttp> stats tcp\ntcp:\n(.*\n)* +connections +0\n/);
    for (const c of ["ifconfig", "route", "arp", "dhcp", "ping", "nslookup", "fetch", "ls", "cat", "stat"]) expect(out).toMatch(new RegExp(`\\n  ${c} +\\S`));
  });

  it("--sim alone keeps the console without a stack; http_proxy from the environment presets http.proxy", async () => {
    const plain = sink();
    const stdin = new PassThrough();
    const done = runCli(["--sim"], { stdin, stdout: plain, stderr: sink() });
    stdin.end("help\n");
    expect(await done).toBe(0);
    expect(plain.text).not.toContain("ifconfig");

    const out = sink();
    const in2 = new PassThrough();
    const d2 = runCli(["--sim", "--ip", "10.9.0.2/24"], { stdin: in2, stdout: out, stderr: sink(), env: { http_proxy: "http://10.9.0.1:8080", no_proxy: ".lab" } });
    in2.end("show\n");
    expect(await d2).toBe(0);
    expect(out.text).toMatch(/http\.proxy\b.*http:\/\/10\.9\.0\.1:8080/);
    expect(out.text).toMatch(/http\.no_proxy\b.*\.lab/);
  });
});
