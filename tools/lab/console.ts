/**
 * The @pxe console CLI (`pxe --tap IF`, run from the sources with tsx)
 * inside a lab namespace: the CLI's TAP backend makes the TAP there, so the
 * lab is a {@link LabNetns} and Linux's side is addressed afterwards with
 * `lab.addressTap()`. Its output is collected for assertions.
 */
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { LabNetns } from "./lab-netns.js";
import { until } from "./wait.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** A running console CLI. */
export interface ConsoleProcess {
  /** The child (stdin, stdout and stderr are pipes). */
  readonly proc: ChildProcess;
  /** Everything it wrote to stdout so far. */
  readonly out: string;
  /** Everything it wrote to stderr so far. */
  readonly err: string;
  /** Its exit code once it exits. */
  readonly exited: Promise<number | null>;
  /** Waits until stdout matches `re`; throws (with stdout and stderr) after `ms` or when the CLI exits first. */
  waitFor(re: RegExp, ms: number): Promise<void>;
}

/**
 * Starts `pxe --tap <lab.ifname>` inside the namespace (cwd: the repo root)
 * and waits for its first prompt (`pxehttp> `), i.e. until its TAP exists.
 * Killed by `lab.close()`.
 */
export async function startConsole(lab: LabNetns, ms = 30_000): Promise<ConsoleProcess> {
  const { proc } = lab.spawn("console", `${root}node_modules/.bin/tsx`, ["--tsconfig", "tsconfig.node.json", "packages/console/src/node/cli.ts", "--tap", lab.ifname], { cwd: root, pipe: true });
  let out = "";
  let err = "";
  proc.stdout!.on("data", (b) => (out += String(b)));
  proc.stderr!.on("data", (b) => (err += String(b)));
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  const c: ConsoleProcess = {
    proc,
    exited,
    get out() {
      return out;
    },
    get err() {
      return err;
    },
    waitFor: (re, ms) => until(() => re.test(out), ms, () => `no ${re}; stdout:\n${out}\nstderr:\n${err}`, () => proc.exitCode !== null),
  };
  await c.waitFor(/pxehttp> $/, ms);
  return c;
}
