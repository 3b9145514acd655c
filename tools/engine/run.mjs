#!/usr/bin/env node
// Runs the packages' unit tests inside QuickJS 2021-03-27, the engine the NBP
// embeds, so that code that only works on V8/Node fails here without QEMU.
//
// For every packages/*/test/**/*.test.ts (not *.net.test.ts / *.qemu.test.ts)
// and tools/engine/test/*.test.ts (the shim's own tests):
//   - EXCLUDED (printed, not counted) when the test file itself imports a Node
//     built-in (node:* or a bare name like "fs"), a "@pxe/x/node" entry, a
//     package's Node-only source (src/node*, src/cli/), or
//     `vi` from "vitest": such a test needs Node by design.
//   - otherwise bundled by esbuild (target es2020, iife) with "vitest" aliased
//     to tools/engine/vitest-shim.ts, "@pxe/x[/sub]" to packages/x/src, and
//     fast-check taken from node_modules; then run by the host qjs built by
//     tools/engine/build-qjs.mjs. A bundle that cannot be built (say, src code
//     reaching for a Node module) or a run that dies counts as a failure.
// Plus one canary test: tools/engine/fixtures/v8-only.canary.ts uses ES2022 and
// Node/web globals; each of its tests must fail in the engine.
//
// Environment:
//   PXE_ENGINE_FILTER=substring   only test files whose path contains it
//   PXE_ENGINE_TIMEOUT=SECONDS    per test file (default 300)
//   PXE_ENGINE_VERBOSE=1          print every test, not only failures
//   PXE_ENGINE_KEEP=1             keep the bundles (tools/engine/.cache/bundles-PID)
//   PXE_TEST_SUMMARY=path         write {passed, failed, skipped} there (set by tools/test/run.mjs)
import { spawn } from "node:child_process";
import { builtinModules } from "node:module";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { tsImport } from "tsx/esm/api";
import { ensureQjs, cacheDir } from "./build-qjs.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const shim = join(here, "vitest-shim.ts");
// One directory per run: several people may run this from one work tree at once.
const outDir = join(cacheDir, `bundles-${process.pid}`);
const timeoutSec = Number(process.env.PXE_ENGINE_TIMEOUT) || 300;
const verbose = process.env.PXE_ENGINE_VERBOSE === "1";
const filter = process.env.PXE_ENGINE_FILTER ?? "";
const RESULT = "@@PXE-ENGINE ";

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".test.ts") && !/\.(net|qemu)\.test\.ts$/.test(name)) out.push(p);
  }
  return out;
}

function testFiles() {
  const files = [];
  for (const pkg of readdirSync(join(root, "packages")).sort()) walk(join(root, "packages", pkg, "test"), files);
  walk(join(here, "test"), files);
  return files.filter((f) => relative(root, f).includes(filter));
}

const builtins = new Set(builtinModules.flatMap((m) => [m, m.split("/")[0]]));

/** Why a test file needs Node (so it is excluded), or null. */
function nodeOnlyReason(file) {
  const text = readFileSync(file, "utf8");
  const specs = [];
  const re = /\b(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)|\brequire\(\s*["']([^"']+)["']\s*\)/g;
  for (const m of text.matchAll(re)) specs.push(m[1] ?? m[2] ?? m[3]);
  for (const s of specs) {
    if (s.startsWith("node:") || builtins.has(s)) return `imports Node built-in "${s}"`;
    if (/^@pxe\/[^/]+\/node$/.test(s)) return `imports the Node-only entry "${s}"`;
    if (/^\.{1,2}\/(?:.*\/)?src\/(node|cli)(\/|\.js$)/.test(s)) return `imports Node-only source "${s}"`;
  }
  const vitestImports = text.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']vitest["']/g);
  for (const m of vitestImports) {
    if (m[1].split(",").some((n) => n.trim().split(/\s+as\s+/)[0].trim() === "vi")) return 'uses `vi` from "vitest" (mocks/fake timers)';
  }
  return null;
}

/** esbuild plugin: "vitest" -> shim, "@pxe/x[/sub]" -> packages/x/src/(index|sub).ts. */
const resolvePlugin = {
  name: "pxe-engine-resolve",
  setup(build) {
    build.onResolve({ filter: /^vitest$/ }, () => ({ path: shim }));
    // The packages say "sideEffects": false; a test file is nothing but side effects.
    build.onResolve({ filter: /\.test\.ts$/ }, (args) => ({ path: isAbsolute(args.path) ? args.path : join(args.resolveDir, args.path), sideEffects: true }));
    build.onResolve({ filter: /^@pxe\// }, (args) => {
      const m = /^@pxe\/([^/]+)(?:\/(.+))?$/.exec(args.path);
      const p = m && join(root, "packages", m[1], "src", `${m[2] ?? "index"}.ts`);
      if (!p || !existsSync(p)) return { errors: [{ text: `cannot resolve "${args.path}" to packages/*/src (no ${p ? relative(root, p) : "such package"})` }] };
      return { path: p };
    });
  },
};

// What the test host adds to the bare engine: timers, because fast-check takes
// setTimeout/clearTimeout when it loads (for its time limits). The NBP's host
// gives the loader time through @pxe/core's Platform instead; core code must
// not use timers (a rule of docs/development.md). Nothing else is added:
// Buffer, process, TextEncoder, structuredClone... stay missing, on purpose.
const HOST_PRELUDE = [
  "globalThis.setTimeout = (f, ms, ...a) => os.setTimeout(() => f(...a), ms || 0);",
  "globalThis.clearTimeout = (t) => { if (t !== undefined) os.clearTimeout(t); };",
].join("\n");

/** The vitest snapshots stored for a test file, as a script line that sets them. */
function snapshotPrelude(file) {
  const snap = join(dirname(file), "__snapshots__", `${basename(file)}.snap`);
  if (!existsSync(snap)) return "";
  const stored = {};
  // A .snap file is CommonJS that fills `exports` with template literals.
  new Function("exports", readFileSync(snap, "utf8"))(stored);
  return `\nglobalThis.__PXE_SNAPSHOTS__ = ${JSON.stringify(stored)};`;
}

async function bundle(file) {
  const rel = relative(root, file);
  const out = join(outDir, rel.replace(/[\\/]/g, "__").replace(/\.ts$/, ".js"));
  const entry = `import ${JSON.stringify(file)};\nimport { __run } from "vitest";\n__run();\n`;
  await esbuild.build({
    stdin: { contents: entry, resolveDir: root, sourcefile: "engine-entry.js", loader: "js" },
    bundle: true,
    format: "iife",
    target: "es2020",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["import", "default"],
    outfile: out,
    plugins: [resolvePlugin],
    logLevel: "silent",
    legalComments: "none",
    banner: { js: HOST_PRELUDE + snapshotPrelude(file) },
    charset: "utf8",
    sourcemap: "external",
  });
  return out;
}

// ---- stack lines: bundle.js:LINE -> packages/x/src/file.ts:LINE (QuickJS
// knows no source maps; esbuild writes one next to each bundle). The line
// table is @pxe/nbp's, the one `pxe-nbp trace` uses for the NBP's own traces.
const { lineTable, mapStackText } = await tsImport("../../packages/nbp/src/cli/line-map.ts", import.meta.url);

function mapStacks(text, script) {
  let table;
  try {
    const map = JSON.parse(readFileSync(`${script}.map`, "utf8"));
    const dir = dirname(script);
    table = lineTable({ sources: map.sources.map((s) => relative(root, join(dir, s))), mappings: map.mappings });
  } catch {
    return text;
  }
  return mapStackText(text, script, table);
}

function runQjs(qjs, script) {
  return new Promise((resolve) => {
    const p = spawn(qjs, ["--std", script], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    let timedOut = false;
    const t = setTimeout(() => {
      timedOut = true;
      p.kill("SIGKILL");
    }, timeoutSec * 1000);
    p.on("exit", (code, signal) => {
      clearTimeout(t);
      resolve({ code, signal, stdout: mapStacks(stdout, script), stderr: mapStacks(stderr, script), timedOut });
    });
  });
}

/** Turn one file's qjs output into counts and the lines worth printing. */
function judge(rel, r) {
  const lines = r.stdout.split("\n");
  const resultLine = lines.find((l) => l.startsWith(RESULT));
  const shown = [];
  let block = null;
  for (const l of lines) {
    if (l.startsWith(RESULT)) continue;
    if (l.trim() === "") continue;
    if (/^(PASS|FAIL|SKIP) /.test(l)) block = l.startsWith("FAIL") || verbose ? l : null;
    else if (block === null) continue;
    if (block !== null) shown.push(`    ${l}`);
  }
  if (resultLine) {
    const c = JSON.parse(resultLine.slice(RESULT.length));
    const extra = r.code !== 0 ? ` (qjs exit ${r.code ?? r.signal})` : "";
    if (r.code !== 0) c.failed += 1;
    return { ...c, shown, note: extra };
  }
  // Never reached the end: an uncaught error at load time, a promise that never
  // settled, a crash or a timeout. Keep what passed, and count one failure.
  const passed = lines.filter((l) => l.startsWith("PASS ")).length;
  const failed = lines.filter((l) => l.startsWith("FAIL ")).length + 1;
  const skipped = lines.filter((l) => l.startsWith("SKIP ")).length;
  const why = r.timedOut
    ? `timed out after ${timeoutSec} s`
    : r.code === 0
      ? "ended before its tests finished (a promise that never settles, e.g. waiting on a timer the engine lacks?)"
      : `qjs exited ${r.code ?? r.signal}`;
  const err = r.stderr.trim().split("\n").slice(0, 12).map((l) => `    ${l}`);
  return { passed, failed, skipped, shown: [...shown, `    ${rel}: ${why}`, ...err], note: ` (${why})` };
}

async function main() {
  const qjs = await ensureQjs();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const total = { passed: 0, failed: 0, skipped: 0 };
  const files = testFiles();
  const excluded = [];
  const runnable = [];
  for (const f of files) {
    const why = nodeOnlyReason(f);
    if (why) excluded.push([relative(root, f), why]);
    else runnable.push(f);
  }
  console.log(`[engine] QuickJS 2021-03-27: ${runnable.length} test file(s), ${excluded.length} excluded as Node-only`);
  for (const [f, why] of excluded) console.log(`  excluded ${f}: ${why}`);

  // Two files at a time: the machine has two cores.
  const results = new Map();
  const queue = [...runnable];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const rel = relative(root, f);
      const t0 = Date.now();
      let res;
      try {
        const js = await bundle(f);
        res = judge(rel, await runQjs(qjs, js));
      } catch (e) {
        const msgs = e?.errors?.length ? e.errors.map((x) => `${x.location ? `${x.location.file}:${x.location.line}: ` : ""}${x.text}`) : [String(e?.message ?? e)];
        res = { passed: 0, failed: 1, skipped: 0, shown: msgs.map((m) => `    bundle failed: ${m}`), note: " (could not bundle for the engine)" };
      }
      res.ms = Date.now() - t0;
      results.set(f, res);
    }
  };
  await Promise.all([worker(), worker()]);

  for (const f of runnable) {
    const r = results.get(f);
    total.passed += r.passed;
    total.failed += r.failed;
    total.skipped += r.skipped;
    const mark = r.failed ? "FAIL" : "ok  ";
    console.log(
      `  ${mark} ${relative(root, f)}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ""} (${(r.ms / 1000).toFixed(1)} s)${r.note}`,
    );
    for (const l of r.shown) console.log(l);
  }
  // The canary: V8-only code must fail in the engine, test by test.
  const canary = join(here, "fixtures", "v8-only.canary.ts");
  const canaryTests = (readFileSync(canary, "utf8").match(/^it\(/gm) ?? []).length;
  let c;
  try {
    c = judge("canary", await runQjs(qjs, await bundle(canary)));
  } catch (e) {
    c = { passed: 0, failed: 0, error: String(e?.message ?? e) };
  }
  if (c.passed === 0 && c.failed >= canaryTests && canaryTests > 0) {
    total.passed += 1;
    console.log(`  ok   canary: all ${canaryTests} V8/Node-only tests of ${relative(root, canary)} fail in the engine, as they must`);
  } else {
    total.failed += 1;
    console.log(`  FAIL canary: ${relative(root, canary)} should fail all ${canaryTests} tests in the engine, got ${c.passed} passed, ${c.failed} failed ${c.error ?? ""}`);
  }

  console.log(`[engine] ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""} in QuickJS`);
  if (process.env.PXE_TEST_SUMMARY) writeFileSync(process.env.PXE_TEST_SUMMARY, JSON.stringify({ ...total, excluded: excluded.length }));
  if (process.env.PXE_ENGINE_KEEP === "1") console.log(`[engine] bundles kept in ${outDir}`);
  else rmSync(outDir, { recursive: true, force: true });
  process.exitCode = total.failed ? 1 : 0;
}

main().catch((e) => {
  console.error(`[engine] ${e?.stack ?? e}`);
  if (process.env.PXE_TEST_SUMMARY) writeFileSync(process.env.PXE_TEST_SUMMARY, JSON.stringify({ passed: 0, failed: 1, skipped: 0, note: "engine runner crashed" }));
  process.exit(1);
});
