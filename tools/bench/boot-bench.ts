/**
 * What the boot-time benchmarks share (linux-boot.ts, freebsd-boot.ts):
 * their command line, the TFTP directories of the loaders they both run
 * (pxehttp.0 with a pxehttp.cfg/default, GRUB 2 over PXE with a grub.cfg),
 * and the timed run itself: QEMU (TCG, e1000, user-mode net) inside a
 * tools/lab namespace whose nginx the guest reaches as 10.0.2.2, timed on the
 * serial console from QEMU's start to the loader's hand-off (when the loader
 * prints one), the kernel's first line and init's marker. A boot that stalls
 * becomes a row saying what was not seen within how long, never a hang.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startQemu, type QemuInstance } from "../qemu/harness.js";
import type { Lab } from "../lab/lab.js";

/** The web server as the guest sees it (QEMU user-mode net's host address: the lab namespace's 127.0.0.1). */
export const BENCH_SERVER = "10.0.2.2";

const root = join(import.meta.dirname, "..", "..");

/** `--only a,b,c` (default `loaders`) and `--runs N` (default 1) from the command line. */
export function benchArgs(loaders: readonly string[], argv: readonly string[] = process.argv): { only: string[]; runs: number } {
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = (opt("only") ?? loaders.join(",")).split(",");
  const unknown = only.filter((n) => !loaders.includes(n));
  if (unknown.length) throw new Error(`--only: no loader ${unknown.join(", ")} (have ${loaders.join(", ")})`);
  const runs = Number(opt("runs") ?? 1);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: ${opt("runs")} is not a whole number >= 1`);
  return { only, runs };
}

let nbpBuilt = false;

/**
 * Fills `dir` for pxehttp.0 (built once per process by
 * packages/nbp/tools/build.mjs): pxehttp.0, pxehttp.ldr and, unless
 * `commands` is empty (pxehttp.0 then waits at its prompt), a
 * pxehttp.cfg/default holding them, one a line. Returns the bootfile.
 */
export function pxehttpNetdir(dir: string, commands: readonly string[]): string {
  if (!nbpBuilt) execFileSync(process.execPath, [join(root, "packages/nbp/tools/build.mjs")], { stdio: "ignore" });
  nbpBuilt = true;
  for (const f of ["pxehttp.0", "pxehttp.ldr"]) copyFileSync(join(root, "packages/nbp/build", f), join(dir, f));
  if (commands.length === 0) return "pxehttp.0";
  mkdirSync(join(dir, "pxehttp.cfg"), { recursive: true });
  writeFileSync(join(dir, "pxehttp.cfg", "default"), commands.map((c) => `${c}\n`).join(""));
  return "pxehttp.0";
}

/** pxehttp.0's line just before it jumps to the kernel (packages/nbp/src/boot.ts). */
export const PXEHTTP_HANDOFF = /starting the kernel \(/;

/**
 * Fills `dir` for GRUB 2 over PXE (grub-mknetdir, Debian's grub-pc-bin) with
 * `grubCfg` (after `insmod http`) as its grub.cfg. Returns the bootfile.
 */
export function grubNetdir(dir: string, grubCfg: string): string {
  execFileSync("grub-mknetdir", [`--net-directory=${dir}`, "--subdir=boot/grub", "-d", "/usr/lib/grub/i386-pc"], { stdio: "ignore" });
  writeFileSync(join(dir, "boot/grub/grub.cfg"), `insmod http\n${grubCfg}`);
  return "boot/grub/i386-pc/core.0";
}

/** One loader of a boot benchmark. */
export interface BootLoader {
  /** Its row name (and `--only` name). */
  readonly name: string;
  /** Fills the TFTP dir; returns the bootfile. */
  prepare(dir: string): string;
  /** What it prints just before jumping to the kernel, when it prints anything. */
  readonly handoff?: RegExp;
  /** Why it cannot run here (a missing package or kernel): the row says so and nothing starts. */
  readonly skip?: string;
}

/** What a boot benchmark waits for on the serial console. */
export interface BootMarks {
  /** The kernel's first console line. */
  readonly kernel: RegExp;
  /** init's marker. */
  readonly init: RegExp;
  /** Longest wait for each mark from QEMU's start, ms. */
  readonly timeoutMs: number;
  /** Longest wait for the kernel's first line after a loader's hand-off line, ms (default `timeoutMs`). */
  readonly kernelAfterHandoffMs?: number;
}

/** One timed boot: seconds from QEMU's start, or why it stopped. */
export interface BootTiming {
  readonly loader: string;
  readonly handoff?: number;
  readonly kernel?: number;
  readonly init?: number;
  /** Set when the boot did not reach init's marker: what was not seen, and the serial console's last lines. */
  readonly failure?: string;
  /** Set when the loader could not run here ({@link BootLoader.skip}). */
  readonly skipped?: string;
}

/** Waits for `re`: false (not an exception) when QEMU exits or the time runs out first. */
async function seen(vm: QemuInstance, re: RegExp, ms: number): Promise<boolean> {
  try {
    await vm.waitFor(re, ms);
    return true;
  } catch {
    return false;
  }
}

/** Boots `loader` once in `lab` (QEMU TCG, e1000, user-mode net, `memoryMiB`) and times it against `marks`. */
export async function timeBoot(lab: Lab, loader: BootLoader, marks: BootMarks, memoryMiB: number, tag: string): Promise<BootTiming> {
  if (loader.skip) return { loader: loader.name, skipped: loader.skip };
  const tftp = join(lab.dir, `tftp-${loader.name}-${tag}`);
  mkdirSync(tftp, { recursive: true });
  const bootfile = loader.prepare(tftp);
  const t0 = Date.now();
  const secs = (): number => (Date.now() - t0) / 1000;
  const vm = startQemu({ nic: "e1000", memoryMiB, net: { kind: "user", tftpDir: tftp, bootfile }, netns: lab.ns });
  let exited = false;
  void vm.exited.then(() => (exited = true));
  const stop = (what: string, ms: number): string => {
    const why = exited ? `QEMU exited after ${secs().toFixed(1)} s with ${what}` : `${what} within ${Math.round(ms / 1000)} s`;
    return `${why}; serial tail: ${JSON.stringify(vm.tail(300))}`;
  };
  const t: { handoff?: number; kernel?: number; init?: number } = {};
  try {
    let kernelMs = marks.timeoutMs;
    if (loader.handoff) {
      if (!(await seen(vm, loader.handoff, marks.timeoutMs))) return { loader: loader.name, failure: stop("no hand-off line", marks.timeoutMs) };
      t.handoff = secs();
      kernelMs = marks.kernelAfterHandoffMs ?? marks.timeoutMs;
    }
    if (!(await seen(vm, marks.kernel, kernelMs))) {
      return { loader: loader.name, ...t, failure: stop(loader.handoff ? "no kernel output after the hand-off" : "no kernel output", kernelMs) };
    }
    t.kernel = secs();
    if (!(await seen(vm, marks.init, marks.timeoutMs))) return { loader: loader.name, ...t, failure: stop("no init marker", marks.timeoutMs) };
    t.init = secs();
    return { loader: loader.name, ...t };
  } finally {
    await vm.kill();
  }
}

/** A result as one line of the benchmark's output. */
export function formatTiming(r: BootTiming, width = 14): string {
  const col = (label: string, v?: number): string => (v === undefined ? "" : `${label} ${v.toFixed(1).padStart(6)} s   `);
  const times = `${col("hand-off", r.handoff)}${col("kernel's first line", r.kernel)}${col("init marker", r.init)}`.trimEnd();
  const rest = r.skipped ? `skipped: ${r.skipped}` : r.failure ? `${times ? `${times}   ` : ""}failed: ${r.failure}` : times;
  return `  ${r.loader.padEnd(width)} ${rest}`;
}

/** Runs every loader `runs` times, printing each row as it comes; returns the rows. */
export async function runBootBench(lab: Lab, loaders: readonly BootLoader[], marks: BootMarks, opts: { runs: number; memoryMiB: number }): Promise<string[]> {
  const width = Math.max(...loaders.map((l) => l.name.length));
  const rows: string[] = [];
  for (const l of loaders) {
    for (let run = 1; run <= (l.skip ? 1 : opts.runs); run++) {
      const row = formatTiming(await timeBoot(lab, l, marks, opts.memoryMiB, String(run)), width);
      rows.push(row);
      console.log(row);
    }
  }
  return rows;
}

/** The 1, 5 and 15 minute load averages, as /proc/loadavg has them. */
export function loadAverage(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
}
