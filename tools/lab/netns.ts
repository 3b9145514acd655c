/**
 * Network namespaces for network tests and benchmarks: unique names, and a
 * teardown that always runs (explicitly, and on process exit as a last
 * resort): every process left in the namespace is killed, then the
 * namespace is deleted. Needs root and iproute2.
 */
import { execFileSync, spawnSync } from "node:child_process";

/** Runs `ip ARGS` and returns stdout; throws with stderr on failure. */
export function ip(...args: string[]): string {
  const r = spawnSync("ip", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ip ${args.join(" ")}: ${(r.stderr || r.error?.message || "").trim()}`);
  return r.stdout;
}

/** Runs `ip ARGS` for cleaning up: true when it worked, never throws. */
export function ipTry(...args: string[]): boolean {
  return spawnSync("ip", args, { stdio: "ignore" }).status === 0;
}

/** Sends SIGKILL to `pid` (when given); a process that is already gone is fine. */
export function killPid(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone
  }
}

/** A short random tag: process id and 4 random base-36 digits. */
export function uniqueTag(): string {
  return `${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, "0")}`;
}

const live = new Set<string>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once("exit", () => {
    for (const ns of [...live]) destroyNetnsSync(ns);
  });
}

/** Prefix of every namespace the lab makes: `pxelab-<label>-<pid36><rand4>`. */
export const LAB_PREFIX = "pxelab-";

/** A lab namespace name for `label` (letters, digits) that embeds our pid. */
export function labNetnsName(label: string): string {
  return `${LAB_PREFIX}${label}-${uniqueTag()}`;
}

/**
 * Deletes lab namespaces left behind by processes that no longer exist (a
 * run killed by a signal cannot clean up after itself). Only names with the
 * lab's prefix are touched, and only when the pid in the name is dead.
 */
export function sweepStaleLabs(): void {
  const r = spawnSync("ip", ["netns", "list"], { encoding: "utf8" });
  for (const line of (r.stdout ?? "").split("\n")) {
    const m = new RegExp(`^(${LAB_PREFIX}[a-z0-9]+-([0-9a-z]+)[0-9a-z]{4})\\b`).exec(line);
    if (!m) continue;
    const pid = parseInt(m[2], 36);
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) destroyNetnsSync(m[1]);
  }
}

/** Creates namespace `name` with loopback up and IPv6 off (no router-solicitation chatter on test links). */
export function createNetns(name: string): void {
  if (name.startsWith(LAB_PREFIX)) sweepStaleLabs();
  ip("netns", "add", name);
  live.add(name);
  hookExit();
  ip("-n", name, "link", "set", "lo", "up");
  spawnSync("ip", ["netns", "exec", name, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1", "net.ipv6.conf.all.disable_ipv6=1"]);
}

/** Pids of every process inside the namespace. */
export function netnsPids(name: string): number[] {
  const r = spawnSync("ip", ["netns", "pids", name], { encoding: "utf8" });
  if (r.status !== 0) return [];
  return r.stdout.split(/\s+/).filter(Boolean).map(Number).filter((p) => p > 0 && p !== process.pid);
}

/** Kills every process in the namespace (SIGKILL) and deletes it. Idempotent, never throws. */
export function destroyNetnsSync(name: string): void {
  for (let round = 0; round < 5; round++) {
    const pids = netnsPids(name);
    if (pids.length === 0) break;
    for (const p of pids) killPid(p);
    try {
      execFileSync("sleep", ["0.05"]);
    } catch {
      // ignore
    }
  }
  spawnSync("ip", ["netns", "del", name]);
  live.delete(name);
}
