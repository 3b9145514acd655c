/**
 * The namespace half of the lab: a network namespace with a unique name, a
 * temp dir (configs, logs, www), processes started inside the namespace,
 * and a teardown that always runs. The TAP is made by someone else: by
 * {@link Lab} (attached to this process through the undi TAP backend), or by
 * a process started inside the namespace (the console's `pxe --tap`), after
 * which {@link LabNetns.addressTap} gives Linux its side.
 *
 * Traffic goes only to addresses inside the namespace the lab made.
 * Needs root and iproute2 (plus the servers used).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createNetns, destroyNetnsSync, ip, labNetnsName } from "./netns.js";
import { until } from "./wait.js";

/** Options of {@link LabNetns.create} (and of `Lab.create`). */
export interface LabNetnsOptions {
  /** Short label in the namespace name `pxelab-<name>-<tag>` (lowercase letters/digits, e.g. "http"). */
  name: string;
  /** The /24 of the lab, e.g. "10.213.40" (default). Our stack is .2; Linux holds .1 and `extraHosts`. */
  subnet?: string;
  /** More host numbers Linux holds on the TAP (e.g. [3] for a second server address). */
  extraHosts?: number[];
}

/** A started server process. */
export interface Server {
  /** The child (it runs inside the namespace). */
  readonly proc: ChildProcess;
  /** Its log file (stdout and stderr; not written when spawned with `pipe`). */
  readonly log: string;
  /** Its access log, when it writes one. */
  readonly accessLog?: string;
}

/** What {@link LabNetns.run} returns: the exit code (-1: timed out) and stdout + stderr. */
export interface RunResult {
  /** Exit code; -1 when the command did not finish in time. */
  code: number;
  /** stdout followed by stderr. */
  out: string;
}

/** Something that must keep being polled while a command runs (a `Stack` from @pxe/sockets). */
export interface Pollable {
  /** Current time of the stack's clock (ms). */
  now(): number;
  /** Polls until `ready()` holds or the clock passes `deadline`. */
  waitFor(ready: () => boolean, deadline?: number): Promise<boolean>;
}

/** One lab namespace: temp dir, processes, teardown; the TAP `ifname` in it is made by someone else. */
export class LabNetns {
  /** Namespace name. */
  readonly ns: string;
  /** Temp dir (configs, logs, www). */
  readonly dir: string;
  /** The /24 prefix, e.g. "10.213.40". */
  readonly subnet: string;
  /** Name of the lab's TAP inside the namespace (at most 15 characters). */
  readonly ifname: string;
  /** The Linux address of the TAP's peer side (x.y.z.1). */
  readonly serverIp: string;
  /** The address our stack takes (x.y.z.2). */
  readonly clientIp: string;
  /** Document root served by the HTTP servers (`dir/www`). */
  readonly www: string;
  private readonly hosts: number[];
  private readonly procs: ChildProcess[] = [];
  private readonly cleanups: Array<() => unknown> = [];
  private closed = false;

  /** Makes the namespace and the temp dir (both removed again when a step fails). */
  protected constructor(o: LabNetnsOptions) {
    this.ns = labNetnsName(o.name);
    this.ifname = `pt${this.ns.slice(this.ns.lastIndexOf("-") + 1)}`.slice(0, 15);
    this.subnet = o.subnet ?? "10.213.40";
    this.hosts = [1, ...(o.extraHosts ?? [])];
    this.serverIp = this.addr(1);
    this.clientIp = this.addr(2);
    this.dir = mkdtempSync(join(tmpdir(), `pxe-lab-${o.name}-`));
    this.www = join(this.dir, "www");
    try {
      chmodSync(this.dir, 0o777); // servers that drop privileges (squid, tinyproxy) write their logs here
      mkdirSync(this.www, { recursive: true });
      chmodSync(this.www, 0o755);
      createNetns(this.ns);
    } catch (e) {
      destroyNetnsSync(this.ns);
      rmSync(this.dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Makes a namespace without a TAP (see {@link LabNetns.addressTap} for one made by a process inside it). */
  static async create(o: LabNetnsOptions): Promise<LabNetns> {
    return new LabNetns(o);
  }

  /** `${subnet}.${host}`. */
  addr(host: number): string {
    return `${this.subnet}.${host}`;
  }

  /** Gives Linux its side of the TAP `ifname` (must exist in the namespace): x.1/24 and the extra hosts, link up. */
  addressTap(ifname = this.ifname): void {
    for (const h of this.hosts) ip("-n", this.ns, "addr", "add", `${this.addr(h)}/24`, "dev", ifname);
    ip("-n", this.ns, "link", "set", ifname, "up");
  }

  /** The MAC address of interface `ifname` in the namespace (Linux's side of the TAP), as "aa:bb:cc:dd:ee:ff". */
  linuxMac(ifname = this.ifname): string {
    return (JSON.parse(ip("-n", this.ns, "-j", "link", "show", "dev", ifname)) as Array<{ address: string }>)[0].address;
  }

  /** Writes a file under the document root (directories made, world-readable). */
  writeFile(rel: string, data: Uint8Array | string): string {
    const p = join(this.www, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, data);
    spawnSync("chmod", ["-R", "a+rX", this.www]);
    return p;
  }

  /** Writes a file under the temp dir (configs). */
  writeConfig(name: string, text: string): string {
    const p = join(this.dir, name);
    writeFileSync(p, text);
    return p;
  }

  /**
   * Starts `cmd args` inside the namespace (as root), output to
   * `dir/<name>.log`, or with `pipe` to pipes on `proc` (stdin too).
   * Killed by {@link LabNetns.close}.
   */
  spawn(name: string, cmd: string, args: string[], opts: { cwd?: string; accessLog?: string; pipe?: boolean } = {}): Server {
    const log = join(this.dir, `${name}.log`);
    const fd = opts.pipe ? undefined : openSync(log, "a");
    const proc = spawn("ip", ["netns", "exec", this.ns, cmd, ...args], { cwd: opts.cwd ?? this.dir, stdio: fd === undefined ? "pipe" : ["ignore", fd, fd] });
    if (fd !== undefined) closeSync(fd);
    this.procs.push(proc);
    return { proc, log, accessLog: opts.accessLog };
  }

  /**
   * Runs `argv` inside the namespace to its end (at most `timeoutMs`, default
   * 20 s). With `poll`, that stack keeps being polled meanwhile, so it
   * answers the command's traffic (e.g. a ping from Linux to our stack).
   */
  async run(argv: string[], opts: { timeoutMs?: number; poll?: Pollable } = {}): Promise<RunResult> {
    const timeout = opts.timeoutMs ?? 20_000;
    let result: RunResult | undefined;
    const done = new Promise<RunResult>((resolve) => {
      execFile("ip", ["netns", "exec", this.ns, ...argv], { encoding: "utf8", timeout }, (err, stdout, stderr) => {
        resolve((result = { code: err ? (typeof err.code === "number" ? err.code : -1) : 0, out: stdout + stderr }));
      });
    });
    if (!opts.poll) return done;
    await opts.poll.waitFor(() => result !== undefined, opts.poll.now() + timeout + 5000);
    return result ?? { code: -1, out: "timed out" };
  }

  /** True once something listens on TCP `port` inside the namespace. */
  listening(port: number): boolean {
    const r = spawnSync("ip", ["netns", "exec", this.ns, "ss", "-Hltn", `sport = :${port}`], { encoding: "utf8" });
    return r.status === 0 && r.stdout.trim().length > 0;
  }

  /** Waits until TCP `port` listens (throws after `ms`, or when `server` exits first, with the server's log). */
  async waitListening(port: number, server?: Server, ms = 15000): Promise<void> {
    await until(() => this.listening(port), ms, () => `port ${port} did not open in ${this.ns}${this.logTail(server)}`, () => !!server && server.proc.exitCode !== null);
  }

  /** ": <the last 2000 characters of the server's log>", or "" when there is none. */
  logTail(server?: Server): string {
    const log = server && existsSync(server.log) ? readFileSync(server.log, "utf8").slice(-2000) : "";
    return log ? `: ${log}` : "";
  }

  /** Runs `fn` in {@link LabNetns.close}, after the lab's processes are killed and before the namespace is deleted. */
  onClose(fn: () => unknown): void {
    this.cleanups.push(fn);
  }

  /**
   * Kills every process started by the lab, runs the `onClose` hooks, kills
   * whatever else is left in the namespace, deletes it (with the TAP) and
   * the temp dir. Idempotent; never throws.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.procs) if (p.exitCode === null) p.kill("SIGKILL");
    for (const fn of this.cleanups) {
      try {
        await fn();
      } catch {
        // best effort: the rest of the teardown still runs
      }
    }
    destroyNetnsSync(this.ns);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
