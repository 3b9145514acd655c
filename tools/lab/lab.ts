/**
 * The network lab of @pxe's network tests and benchmarks: a network
 * namespace with a unique name, a TAP in it attached to Node through the
 * undi TAP backend (socat), the Linux side holding one or more addresses,
 * real servers started inside the namespace with config files in a temp
 * dir, and a teardown that always runs (servers killed, TAP and namespace
 * deleted, temp dir removed) — call `close()` in afterAll; a process-exit
 * hook deletes namespaces left over by a crash.
 *
 * Traffic goes only to addresses inside the namespace the lab made.
 * Needs root, iproute2 and socat (plus the servers used).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Platform } from "@pxe/core";
import { Stack } from "@pxe/sockets";
import { nodeHost } from "@pxe/sockets/node";
import type { LinkDriver } from "@pxe/undi";
import { TapLink } from "@pxe/undi/node";
import { createNetns, destroyNetnsSync, ip, labNetnsName } from "./netns.js";
import { nodePlatform } from "./platform.js";

export { ip, uniqueTag, createNetns, destroyNetnsSync, netnsPids, labNetnsName, sweepStaleLabs, LAB_PREFIX } from "./netns.js";
export { nodePlatform } from "./platform.js";

/** Options of {@link Lab.create}. */
export interface LabOptions {
  /** Short label in the namespace name `pxelab-<name>-<tag>` (lowercase letters/digits, e.g. "http"). */
  name: string;
  /** The /24 of the lab, e.g. "10.213.40" (default). Our stack is .2; Linux holds .1 and `extraHosts`. */
  subnet?: string;
  /** More host numbers Linux holds on the TAP (e.g. [3] for a second server address). */
  extraHosts?: number[];
  /** Our MAC (default 02:50:58:45:xx:02). */
  mac?: Uint8Array;
  /** Write every frame to this pcap file. */
  pcapFile?: string;
}

/** A started server process. */
export interface Server {
  /** The child (it runs inside the namespace). */
  readonly proc: ChildProcess;
  /** Its log file (stdout and stderr). */
  readonly log: string;
  /** Its access log, when it writes one. */
  readonly accessLog?: string;
}

/** One lab: namespace + TAP + servers. */
export class Lab {
  /** The Linux address of the TAP's peer side (x.y.z.1). */
  readonly serverIp: string;
  /** The address our stack takes (x.y.z.2). */
  readonly clientIp: string;
  /** Document root served by the HTTP servers (`dir/www`). */
  readonly www: string;
  private readonly procs: ChildProcess[] = [];
  private closed = false;

  private constructor(
    /** Namespace name. */
    readonly ns: string,
    /** Temp dir (configs, logs, www). */
    readonly dir: string,
    /** The TAP backend link (our side). */
    readonly link: TapLink,
    /** The /24 prefix, e.g. "10.213.40". */
    readonly subnet: string,
  ) {
    this.serverIp = `${subnet}.1`;
    this.clientIp = `${subnet}.2`;
    this.www = join(dir, "www");
  }

  /** Makes the namespace, the TAP (moved into it, addresses set) and the temp dir. Cleans up itself when a step fails. */
  static async create(o: LabOptions): Promise<Lab> {
    const ns = labNetnsName(o.name);
    const ifname = `pt${ns.slice(ns.lastIndexOf("-") + 1)}`.slice(0, 15);
    const subnet = o.subnet ?? "10.213.40";
    const dir = mkdtempSync(join(tmpdir(), `pxe-lab-${o.name}-`));
    chmodSync(dir, 0o777); // servers that drop privileges (squid, tinyproxy) write their logs here
    mkdirSync(join(dir, "www"), { recursive: true });
    chmodSync(join(dir, "www"), 0o755);
    let link: TapLink | undefined;
    try {
      createNetns(ns);
      link = await TapLink.create({ ifname, netns: ns, mac: o.mac ?? Uint8Array.of(0x02, 0x50, 0x58, 0x45, Math.floor(Math.random() * 256), 0x02), pcapFile: o.pcapFile });
      for (const h of [1, ...(o.extraHosts ?? [])]) ip("-n", ns, "addr", "add", `${subnet}.${h}/24`, "dev", ifname);
      return new Lab(ns, dir, link, subnet);
    } catch (e) {
      await link?.dispose().catch(() => undefined);
      destroyNetnsSync(ns);
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** `${subnet}.${host}`. */
  addr(host: number): string {
    return `${this.subnet}.${host}`;
  }

  /**
   * Our Stack on the TAP (or on `link`, e.g. an ImpairedLink wrapping
   * `lab.link`) with the static configuration clientIp/24, driven by Node
   * timers that wake when frames arrive. The wake is deferred with
   * setImmediate, so every datagram libuv read in the same turn is queued
   * before the stack polls: one poll handles a burst of frames (large
   * reads, fewer wake-ups) instead of one frame per wake-up.
   */
  stack(link: LinkDriver = this.link, platform: Platform = nodePlatform): Stack {
    const tap = this.link;
    return new Stack({ link, platform, config: { address: this.clientIp, prefix: 24 }, driver: nodeHost({ now: platform.now, wake: (l) => tap.onReadable(() => setImmediate(l)) }) });
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

  /** Starts `cmd args` inside the namespace (as root), output to `dir/<name>.log`. */
  spawn(name: string, cmd: string, args: string[], opts: { cwd?: string; accessLog?: string } = {}): Server {
    const log = join(this.dir, `${name}.log`);
    const fd = openSync(log, "a");
    const proc = spawn("ip", ["netns", "exec", this.ns, cmd, ...args], { cwd: opts.cwd ?? this.dir, stdio: ["ignore", fd, fd] });
    closeSync(fd);
    this.procs.push(proc);
    return { proc, log, accessLog: opts.accessLog };
  }

  /** True once something listens on TCP `port` (at `addr`, default any) inside the namespace. */
  listening(port: number): boolean {
    const r = spawnSync("ip", ["netns", "exec", this.ns, "ss", "-Hltn", `sport = :${port}`], { encoding: "utf8" });
    return r.status === 0 && r.stdout.trim().length > 0;
  }

  /** Waits until TCP `port` listens (throws after `ms`, with the server's log). */
  async waitListening(port: number, server?: Server, ms = 15000): Promise<void> {
    const end = Date.now() + ms;
    while (!this.listening(port)) {
      if (Date.now() > end || (server && server.proc.exitCode !== null)) {
        const log = server && existsSync(server.log) ? readFileSync(server.log, "utf8").slice(-2000) : "";
        throw new Error(`port ${port} did not open in ${this.ns}${log ? `: ${log}` : ""}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops every server, the TAP backend, deletes the namespace and the temp dir. Idempotent; never throws. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.procs) if (p.exitCode === null) p.kill("SIGKILL");
    try {
      await this.link.dispose();
    } catch {
      // socat already gone
    }
    destroyNetnsSync(this.ns);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
