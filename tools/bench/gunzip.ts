/**
 * Inflate-speed benchmark (not a test): how fast @pxe/kboot's
 * gunzipIfNeeded (fflate's gunzipSync into one trailer-sized buffer) inflates a real FreeBSD kernel
 *
 *   - inside pxehttp.0 under QEMU TCG (e1000, user-mode net, 512 MiB): at the
 *     pxehttp> prompt, `load http://10.0.2.2/kernel.gz`, `unload`,
 *     `load http://10.0.2.2/kernel`, `unload` (--runs times, alternating).
 *     The inflate time is the console's own line (`kernel.gz: gzip, A -> B
 *     bytes, inflated in S s`, timed with the NBP's clock around the
 *     inflate alone); each `load` is also timed from typing it to the next
 *     prompt, and each download at nginx ($request_time);
 *   - natively, the same function on the same file: in the host QuickJS
 *     2021-03-27 that the unit tests run in (tools/engine, the engine
 *     pxehttp.0 embeds) and in Node (V8).
 *
 *   PXE_FREEBSD_BOOT_DIR=/path/to/trees npx tsx --tsconfig tsconfig.node.json tools/bench/gunzip.ts [--runs 2]
 *
 * The kernel is amd64-GENERIC/boot/kernel/kernel under $PXE_FREEBSD_BOOT_DIR
 * (tools/freebsd/boot-trees.ts); kernel.gz is made from it here with zlib
 * level 9 (as `gzip -9`). Rates are MiB (2^20 bytes) of inflated output per
 * second. nginx and QEMU run in a tools/lab namespace (the guest's 10.0.2.2).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { gunzipIfNeeded } from "../../packages/kboot/src/gzip.js";
import { startQemu } from "../qemu/harness.js";
import { Lab } from "../lab/lab.js";
import { startNginx } from "../lab/servers.js";
import { freebsdBootTree, hasTree } from "../freebsd/boot-trees.js";
import { BENCH_SERVER, loadAverage, pxehttpNetdir } from "./boot-bench.js";

const argv = process.argv;
const runsArg = argv.indexOf("--runs") >= 0 ? argv[argv.indexOf("--runs") + 1] : "2";
const RUNS = Number(runsArg);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs: ${runsArg} is not a whole number >= 1`);
const root = join(import.meta.dirname, "..", "..");
const MIB = 1024 * 1024;
const PROMPT = /pxehttp> /;

const tree = freebsdBootTree("amd64", "GENERIC");
if (!hasTree(tree)) {
  console.error(`gunzip: ${tree.skipped}. Nothing measured.`);
  process.exit(2);
}
const kernelPath = join(tree.kernelDir, "kernel");
const kernel = new Uint8Array(readFileSync(kernelPath));
const gz = new Uint8Array(gzipSync(kernel, { level: 9 }));
const sizes = `amd64 GENERIC kernel ${(kernel.length / MIB).toFixed(1)} MiB, gzip -9 ${(gz.length / MIB).toFixed(1)} MiB`;
const rate = (bytes: number, secs: number): string => `${(bytes / MIB / secs).toFixed(2)} MiB/s`;

/** The same gunzipIfNeeded, bundled by esbuild (ES2020) and run by the host qjs on the file; seconds (Date.now around the call). */
async function nativeQuickJs(file: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "pxe-bench-gunzip-"));
  try {
    const script = join(dir, "gunzip.js");
    const entry = [
      `import { gunzipIfNeeded } from ${JSON.stringify(join(root, "packages/kboot/src/gzip.ts"))};`,
      `const f = std.open(${JSON.stringify(file)}, "rb"); f.seek(0, std.SEEK_END); const n = f.tell(); f.seek(0, std.SEEK_SET);`,
      "const buf = new ArrayBuffer(n); if (f.read(buf, 0, n) !== n) throw new Error('short read'); f.close();",
      "const t0 = Date.now(); const r = gunzipIfNeeded(new Uint8Array(buf), 'kernel.gz'); const ms = Date.now() - t0;",
      "print(JSON.stringify({ ms, out: r.data.length }));",
    ].join("\n");
    await esbuild.build({
      stdin: { contents: entry, resolveDir: root, sourcefile: "gunzip-entry.js", loader: "js" },
      bundle: true, format: "iife", target: "es2020", platform: "neutral", mainFields: ["module", "main"],
      alias: { "@pxe/core": join(root, "packages/core/src/index.ts") }, outfile: script, logLevel: "silent",
    });
    // build-qjs.mjs builds the host qjs once (cached) and prints its path
    const qjs = spawnSync(process.execPath, [join(root, "tools/engine/build-qjs.mjs")], { encoding: "utf8" });
    if (qjs.status !== 0) throw new Error(`tools/engine/build-qjs.mjs failed: ${qjs.stderr}`);
    const r = spawnSync(qjs.stdout.trim(), ["--std", script], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`qjs failed (exit ${r.status}): ${r.stderr}`);
    const got = JSON.parse(r.stdout.trim()) as { ms: number; out: number };
    if (got.out !== kernel.length) throw new Error(`qjs inflated ${got.out} bytes, want ${kernel.length}`);
    return got.ms / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface LoadTiming {
  /** From typing `load` to the next prompt, s (host clock). */
  load: number;
  /** gzip only: from the download's summary line to the inflate line, s (host clock: when QEMU wrote them). */
  inflate?: number;
  /** gzip only: the inflate time the console printed (the NBP's own clock). */
  inflateNbp?: number;
}

/** A file's download summary line (`kernel.gz  12.6 MiB in 0:05, 2.66 MB/s`, packages/console/src/progress). */
const downloaded = (name: string): RegExp => new RegExp(`${name.replace(".", "\\.")} +[\\d.]+ [KMG]?i?B in \\d+:\\d\\d, `);
const INFLATED = /kernel\.gz: gzip, (\d+) -> (\d+) bytes, inflated in ([\d.]+) s/;

const lab = await Lab.create({ name: "gunzipbench", subnet: "10.213.73" });
const out: string[] = [];
try {
  lab.writeFile("kernel.gz", gz);
  symlinkSync(kernelPath, join(lab.www, "kernel"));
  const nginx = await startNginx(lab, "nginx", [{ port: 80, autoindex: false }], { logFormat: '$request_time $status $body_bytes_sent "$request"' });
  const tftp = join(lab.dir, "tftp");
  mkdirSync(tftp);
  // when each piece of serial output arrived (host clock) and where it ends in vm.log()
  const arrivals: { at: number; end: number }[] = [];
  let logged = 0;
  const echo = (t: string): void => void arrivals.push({ at: Date.now(), end: (logged += t.length) });
  const arrivedAt = (index: number): number => arrivals.find((a) => a.end > index)!.at;
  const vm = startQemu({ nic: "e1000", memoryMiB: 512, net: { kind: "user", tftpDir: tftp, bootfile: pxehttpNetdir(tftp, []) }, netns: lab.ns, echo });
  const timings: { gz: LoadTiming[]; plain: LoadTiming[] } = { gz: [], plain: [] };
  try {
    await vm.waitFor(PROMPT, 180_000);
    /** Types `line`, waits for the prompt; the raw output and when each regexp's match ended (host ms). */
    const run = async (line: string): Promise<{ secs: number; raw: string; endOf(re: RegExp): number | undefined }> => {
      vm.mark();
      const before = vm.log().length;
      const t0 = Date.now();
      vm.send(line);
      await vm.waitFor(PROMPT, 900_000);
      const raw = vm.log().slice(before);
      const endOf = (re: RegExp): number | undefined => {
        const m = re.exec(raw);
        return m ? arrivedAt(before + m.index + m[0].length - 1) : undefined;
      };
      return { secs: (Date.now() - t0) / 1000, raw, endOf };
    };
    for (let i = 0; i < RUNS; i++) {
      for (const name of ["kernel.gz", "kernel"] as const) {
        const r = await run(`load http://${BENCH_SERVER}/${name}`);
        if (/error:/.test(r.raw)) throw new Error(`load ${name} failed: ${r.raw.slice(-400)}`);
        if (name === "kernel.gz") {
          const m = INFLATED.exec(r.raw);
          const from = r.endOf(downloaded(name));
          const to = r.endOf(INFLATED);
          if (!m || Number(m[2]) !== kernel.length || from === undefined || to === undefined) throw new Error(`no download line or inflate line for ${kernel.length} bytes in: ${r.raw.slice(-600)}`);
          timings.gz.push({ load: r.secs, inflate: (to - from) / 1000, inflateNbp: Number(m[3]) });
        } else timings.plain.push({ load: r.secs });
        await run("unload");
      }
    }
  } finally {
    await vm.kill();
  }
  const log = existsSync(nginx.accessLog!) ? readFileSync(nginx.accessLog!, "utf8") : "";
  const downloads = (name: string): number[] => [...log.matchAll(new RegExp(`^([\\d.]+) 200 \\d+ "GET /${name.replace(".", "\\.")} `, "gm"))].map((m) => Number(m[1]));
  const dl = { gz: downloads("kernel.gz"), plain: downloads("kernel") };
  const nodeT0 = performance.now();
  gunzipIfNeeded(gz, "kernel.gz");
  const nodeSecs = (performance.now() - nodeT0) / 1000;
  const gzFile = join(lab.dir, "kernel.gz.native");
  writeFileSync(gzFile, gz);
  const qjsSecs = await nativeQuickJs(gzFile);

  out.push(`${sizes}; load ${loadAverage()}`);
  out.push("pxehttp.0 under QEMU TCG (e1000, user-mode net, 512 MiB):");
  timings.gz.forEach((t, i) => out.push(`  load kernel.gz  ${t.load.toFixed(1).padStart(5)} s  (download ${dl.gz[i]?.toFixed(1) ?? "?"} s at nginx; inflate ${t.inflate!.toFixed(1)} s = ${rate(kernel.length, t.inflate!)}; the console said ${t.inflateNbp!.toFixed(1)} s)`));
  timings.plain.forEach((t, i) => out.push(`  load kernel     ${t.load.toFixed(1).padStart(5)} s  (download ${dl.plain[i]?.toFixed(1) ?? "?"} s at nginx)`));
  out.push(`native, the same gunzipIfNeeded on the same file:`);
  out.push(`  QuickJS 2021-03-27 (host qjs)  ${qjsSecs.toFixed(2)} s = ${rate(kernel.length, qjsSecs)}`);
  out.push(`  Node ${process.version} (V8)       ${nodeSecs.toFixed(2)} s = ${rate(kernel.length, nodeSecs)}`);
  for (const l of out) console.log(l);
} finally {
  await lab.close();
}
