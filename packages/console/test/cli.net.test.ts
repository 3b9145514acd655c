// Network test (root): `pxe --tap` inside a network namespace this test
// makes. Linux, on the other end of the TAP, sends ARP requests (a UDP send to
// an address nobody has); the console, waiting for keys, keeps the link
// polled and `stats link` counts the frames. Needs socat and iproute2.
import { afterAll, describe, expect, it } from "vitest";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const tag = `${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36)}`;
const NS = `pxecon-${tag}`;
const IF = `pxc${tag}`.slice(0, 15);

function ip(...args: string[]): string {
  return execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

afterAll(() => {
  spawnSync("ip", ["netns", "del", NS]);
});

describe("pxe --tap in a network namespace", () => {
  it("opens the TAP, counts frames Linux sends while the console waits, quits cleanly", async () => {
    ip("netns", "add", NS);
    ip("-n", NS, "link", "set", "lo", "up"); // the TAP backend's socat bridge talks over 127.0.0.1
    const child = spawn("ip", ["netns", "exec", NS, `${root}node_modules/.bin/tsx`, "--tsconfig", "tsconfig.node.json", "packages/console/src/node/cli.ts", "--tap", IF], {
      cwd: root,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (b) => (out += String(b)));
    child.stderr.on("data", (b) => (err += String(b)));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const waitFor = async (re: RegExp, ms: number): Promise<void> => {
      const end = Date.now() + ms;
      while (!re.test(out)) {
        if (Date.now() > end || child.exitCode !== null) throw new Error(`no ${re}; stdout:\n${out}\nstderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await waitFor(/pxehttp> $/, 30_000);
      ip("-n", NS, "addr", "add", "10.214.7.1/24", "dev", IF);
      ip("-n", NS, "link", "set", IF, "up");
      // Nobody has 10.214.7.2: a UDP send makes Linux broadcast ARP requests into the TAP.
      spawnSync("ip", ["netns", "exec", NS, "bash", "-c", "echo x > /dev/udp/10.214.7.2/9; sleep 1.2; echo x > /dev/udp/10.214.7.2/9"], { stdio: "ignore" });
      child.stdin.write("show link\nstats link\n");
      await waitFor(/dropped +\d+\n/, 10_000);
      child.stdin.end("quit\n");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    expect(out).toContain(`  driver: tap:${IF}\n`);
    const rx = Number(/rcvGoodFrames +(\d+)/.exec(out)?.[1]);
    expect(rx, out).toBeGreaterThanOrEqual(1);
    expect(out.endsWith("pxehttp> quit\n")).toBe(true);
  });
});
