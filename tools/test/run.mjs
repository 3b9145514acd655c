#!/usr/bin/env node
// `npm test`: set the machine up, run every check, count, and close on one line
// `N passed, N failed` (plus `, N skipped` when some were skipped).
//
// Steps, in order (each prints its result and duration):
//   setup      npm ci when node_modules is missing or older than package-lock.json;
//              apt-get install of tools/test/debian-packages.txt entries that are missing
//   typecheck  npm run typecheck                                  (one test)
//   deps       dependency-cruiser with .dependency-cruiser.cjs    (one test)
//   unit       vitest --project unit   (every vitest test counts)
//   system     vitest --project system (every vitest test counts)
//   pack       tools/test/pack-check.mjs                          (one test)
//   engine     tools/engine/run.mjs: core unit tests inside QuickJS (every test counts)
//
// Environment:
//   PXE_TEST_STEPS=typecheck,unit   run only these steps (setup is separate, see below)
//   PXE_TEST_SKIP=system,engine     skip these steps (printed as skipped steps)
//   PXE_TEST_NO_SETUP=1             do not npm ci / apt-get install
//   PXE_TEST_STEP_TIMEOUT=SECONDS   per-step limit (default 2400 for system, 900 otherwise)
// Arguments after `npm test --` are passed to vitest as file filters, e.g.
//   PXE_TEST_STEPS=unit npm test -- packages/core
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
process.chdir(root);
const resultsDir = join(root, ".test-results");
mkdirSync(resultsDir, { recursive: true });

const vitestArgs = process.argv.slice(2);
const bin = (name) => join(root, "node_modules", ".bin", name);
const log = (msg) => console.log(`[pxe-test] ${msg}`);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const list = (v) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean);

/** One line per step for the closing table. */
const results = [];
const total = { passed: 0, failed: 0, skipped: 0 };

function record(name, r, ms, note = "") {
  total.passed += r.passed;
  total.failed += r.failed;
  total.skipped += r.skipped ?? 0;
  const mark = r.failed > 0 ? "FAIL" : "ok";
  const counts = `${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ""}`;
  const line = `${mark.padEnd(4)} ${name.padEnd(10)} ${counts.padEnd(36)} ${secs(ms).padStart(9)}${note ? `  ${note}` : ""}`;
  results.push(line);
  log(line);
}

/** The process group of the step running now, ended if we are interrupted. */
let currentGroup = null;
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    if (currentGroup) {
      try {
        process.kill(-currentGroup, "SIGKILL");
      } catch {}
    }
    console.log(`[pxe-test] interrupted (${sig})`);
    console.log(`${total.passed} passed, ${total.failed + 1} failed`);
    process.exit(130);
  });
}

/**
 * Run a command with inherited output and no stdin; resolves to its exit code
 * (or a description of how it died). Kills the whole process group on timeout.
 */
function run(cmd, args, { timeoutSec, env } = {}) {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"], detached: true, env: { ...process.env, ...env } });
    } catch (e) {
      resolve({ code: null, error: `could not start ${cmd}: ${e.message}` });
      return;
    }
    currentGroup = child.pid;
    let timedOut = false;
    const timer =
      timeoutSec &&
      setTimeout(() => {
        timedOut = true;
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }, timeoutSec * 1000);
    child.on("error", (e) => {
      if (timer) clearTimeout(timer);
      resolve({ code: null, error: `could not start ${cmd}: ${e.message}` });
    });
    child.on("exit", (code, signal) => {
      if (timer) clearTimeout(timer);
      currentGroup = null;
      // Whatever the step left in its process group goes with it.
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
      if (timedOut) resolve({ code: null, error: `timed out after ${timeoutSec} s` });
      else if (signal) resolve({ code: null, error: `killed by ${signal}` });
      else resolve({ code });
    });
  });
}

// ---------------------------------------------------------------- setup

function mtime(p) {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return -1;
  }
}

async function setupNpm() {
  const marker = join(root, "node_modules", ".package-lock.json");
  const missing = !existsSync(bin("vitest"));
  const stale = mtime(marker) < mtime(join(root, "package-lock.json"));
  if (!missing && !stale) return null;
  const flags = ["--no-audit", "--no-fund"];
  // npm ci wipes node_modules first: outside CI, where others may be running
  // tests from the same tree, a stale node_modules is brought up to date in place.
  const useCi = missing || process.env.CI === "true";
  log(`node_modules ${missing ? "missing" : "older than package-lock.json"}: npm ${useCi ? "ci" : "install"}`);
  let r = await run("npm", [useCi ? "ci" : "install", ...flags], { timeoutSec: 900 });
  if (r.code === 0) return null;
  if (useCi) {
    // Usually package-lock.json lacks a workspace package that just landed.
    log("npm ci failed: package-lock.json is probably out of sync with package.json (a new workspace package?).");
    log("Falling back to npm install; commit the package-lock.json it writes.");
    r = await run("npm", ["install", ...flags], { timeoutSec: 900 });
    if (r.code === 0) return null;
  }
  return `npm install failed (${r.error ?? `exit ${r.code}`})`;
}

function debianPackages() {
  return readFileSync(join(root, "tools/test/debian-packages.txt"), "utf8")
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim())
    .filter(Boolean);
}

function installed(pkg) {
  const r = spawnSync("dpkg-query", ["-W", "-f=${db:Status-Abbrev}", pkg], { encoding: "utf8" });
  return r.status === 0 && r.stdout.startsWith("ii");
}

const sh = (cmd) => spawnSync("sh", ["-c", cmd], { stdio: ["ignore", "inherit", "inherit"] }).status;

/** Services that Debian packages start on install; tests run their own instances. */
const SERVICES = {
  nginx: "/run/nginx.pid",
  squid: "/run/squid.pid",
  lighttpd: "/run/lighttpd.pid",
  tinyproxy: "/run/tinyproxy/tinyproxy.pid",
  dnsmasq: "/run/dnsmasq/dnsmasq.pid",
};

function alive(pidFile) {
  try {
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    if (!pid) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stop (and disable) the system instances of SERVICES that are running. */
function stopSystemServices({ disable }) {
  const hasSystemd = existsSync("/run/systemd/system");
  for (const [svc, pidFile] of Object.entries(SERVICES)) {
    if (!existsSync(`/etc/init.d/${svc}`)) continue;
    if (alive(pidFile)) {
      log(`stopping the system's ${svc} (tests start their own)`);
      if (hasSystemd) sh(`systemctl stop ${svc} >/dev/null 2>&1`);
      sh(`service ${svc} stop >/dev/null 2>&1 || /etc/init.d/${svc} stop >/dev/null 2>&1`);
    }
    if (disable) {
      if (hasSystemd) sh(`systemctl disable ${svc} >/dev/null 2>&1`);
      sh(`update-rc.d ${svc} disable >/dev/null 2>&1`);
    }
  }
}

async function setupApt() {
  if (!existsSync("/usr/bin/dpkg-query")) return "not a Debian system: install the packages of tools/test/debian-packages.txt by hand";
  const wanted = debianPackages();
  const missing = wanted.filter((p) => !installed(p));
  if (missing.length === 0) {
    stopSystemServices({ disable: false });
    return null;
  }
  log(`missing Debian packages: ${missing.join(" ")}`);
  if (process.getuid?.() !== 0) return `not root: run  apt-get install ${missing.join(" ")}  yourself`;
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  if (missing.some((p) => p.endsWith(":i386"))) {
    const archs = spawnSync("dpkg", ["--print-foreign-architectures"], { encoding: "utf8" }).stdout ?? "";
    if (!archs.split(/\s+/).includes("i386")) {
      const r = await run("dpkg", ["--add-architecture", "i386"]);
      if (r.code !== 0) return "dpkg --add-architecture i386 failed";
    }
  }
  // Keep freshly installed daemons from starting (invoke-rc.d honours this).
  const policy = "/usr/sbin/policy-rc.d";
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) {
    writeFileSync(policy, "#!/bin/sh\n# written by @pxe tools/test/run.mjs during apt-get install\nexit 101\n");
    chmodSync(policy, 0o755);
  }
  try {
    // A mirror caught mid-sync fails one index now and then: retry, then go on
    // with what we have; only the install decides.
    for (let attempt = 1; attempt <= 2; attempt++) {
      const u = await run("apt-get", ["update", "-q"], { timeoutSec: 600, env });
      if (u.code === 0) break;
      log(`apt-get update failed (${u.error ?? `exit ${u.code}`})${attempt === 1 ? ", retrying" : ", going on with the lists it got"}`);
    }
    // --no-remove: never take away what someone else installed (a conflict fails instead).
    const r = await run("apt-get", ["install", "-y", "-q", "--no-install-recommends", "--no-remove", ...missing], { timeoutSec: 1200, env });
    if (r.code !== 0) return `apt-get install failed (${r.error ?? `exit ${r.code}`})`;
  } finally {
    if (ownPolicy) {
      try {
        unlinkSync(policy);
      } catch {}
    }
  }
  stopSystemServices({ disable: true });
  const still = wanted.filter((p) => !installed(p));
  return still.length ? `still missing after apt-get install: ${still.join(" ")}` : null;
}

// ---------------------------------------------------------------- steps

/** A check that counts as one test: passes when the command exits 0. */
async function checkStep(cmd, args, opts) {
  const r = await run(cmd, args, opts);
  if (r.code === 0) return { passed: 1, failed: 0 };
  return { passed: 0, failed: 1, note: r.error ?? `exit code ${r.code}` };
}

/** Count a vitest JSON report; any trouble the counts miss adds one failure. */
async function vitestStep(project, opts) {
  const out = join(resultsDir, `vitest-${project}.json`);
  rmSync(out, { force: true });
  const r = await run(
    bin("vitest"),
    ["run", "--project", project, "--passWithNoTests", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...vitestArgs],
    opts,
  );
  let report;
  try {
    report = JSON.parse(readFileSync(out, "utf8"));
  } catch {
    return { passed: 0, failed: 1, note: `vitest wrote no report (${r.error ?? `exit code ${r.code}`})` };
  }
  let passed = report.numPassedTests ?? 0;
  let failed = report.numFailedTests ?? 0;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  const notes = [];
  // A file that failed outside its tests (import error, hook) has no failed test of its own.
  for (const f of report.testResults ?? []) {
    if (f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed")) {
      failed += 1;
      notes.push(`${f.name.replace(root + "/", "")}: ${(f.message || "failed outside its tests").split("\n")[0]}`);
    }
  }
  if (r.code !== 0 && failed === 0) {
    failed += 1;
    notes.push(`vitest ${r.error ?? `exited ${r.code}`} though no test failed (unhandled error?)`);
  }
  for (const n of notes) log(`  ${project}: ${n}`);
  return { passed, failed, skipped, note: notes.length ? notes[0] : "" };
}

/** A step that writes {passed, failed, skipped} to $PXE_TEST_SUMMARY. */
async function countedStep(name, cmd, args, opts) {
  const out = join(resultsDir, `${name}.json`);
  rmSync(out, { force: true });
  const r = await run(cmd, args, { ...opts, env: { PXE_TEST_SUMMARY: out } });
  let s;
  try {
    s = JSON.parse(readFileSync(out, "utf8"));
  } catch {
    return { passed: 0, failed: 1, note: `wrote no summary (${r.error ?? `exit code ${r.code}`})` };
  }
  const res = { passed: s.passed | 0, failed: s.failed | 0, skipped: s.skipped | 0, note: s.note ?? "" };
  if (r.code !== 0 && res.failed === 0) {
    res.failed = 1;
    res.note = `${r.error ?? `exit code ${r.code}`} though it counted no failure`;
  }
  return res;
}

const timeout = (def) => Number(process.env.PXE_TEST_STEP_TIMEOUT) || def;

const STEPS = [
  { name: "typecheck", run: () => checkStep("npm", ["run", "-s", "typecheck"], { timeoutSec: timeout(900) }) },
  {
    name: "deps",
    run: () =>
      checkStep(bin("depcruise"), ["packages", "--config", ".dependency-cruiser.cjs", "--output-type", "err"], {
        timeoutSec: timeout(900),
      }),
  },
  { name: "unit", run: () => vitestStep("unit", { timeoutSec: timeout(900) }) },
  { name: "system", run: () => vitestStep("system", { timeoutSec: timeout(2400) }) },
  { name: "pack", run: () => checkStep(process.execPath, ["tools/test/pack-check.mjs"], { timeoutSec: timeout(900) }) },
  { name: "engine", run: () => countedStep("engine", process.execPath, ["tools/engine/run.mjs"], { timeoutSec: timeout(900) }) },
];

async function main() {
  const started = Date.now();
  const only = list(process.env.PXE_TEST_STEPS);
  const skip = list(process.env.PXE_TEST_SKIP);
  for (const n of [...only, ...skip]) {
    if (!STEPS.some((s) => s.name === n)) {
      console.error(`[pxe-test] unknown step "${n}"; steps: ${STEPS.map((s) => s.name).join(", ")}`);
      process.exit(2);
    }
  }

  if (process.env.PXE_TEST_NO_SETUP !== "1") {
    const t0 = Date.now();
    let problem = null;
    try {
      problem = (await setupNpm()) ?? (await setupApt());
    } catch (e) {
      problem = `set-up crashed: ${e?.stack ?? e}`;
    }
    const ms = Date.now() - t0;
    if (problem) {
      log(`set-up FAILED: ${problem}`);
      record("setup", { passed: 0, failed: 1 }, ms, problem);
    } else log(`set-up done (${secs(ms)})`);
  }

  for (const step of STEPS) {
    if ((only.length && !only.includes(step.name)) || skip.includes(step.name)) {
      results.push(`skip ${step.name}`);
      continue;
    }
    log(`---- ${step.name}`);
    const t0 = Date.now();
    let r;
    try {
      r = await step.run();
    } catch (e) {
      r = { passed: 0, failed: 1, note: `step crashed: ${e?.stack ?? e}` };
    }
    record(step.name, r, Date.now() - t0, r.note);
  }

  const summary = { ...total, steps: results, seconds: (Date.now() - started) / 1000 };
  writeFileSync(join(resultsDir, "summary.json"), JSON.stringify(summary, null, 2));
  console.log("");
  log(`summary (${secs(Date.now() - started)} in all):`);
  for (const l of results) log(`  ${l}`);
  console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
  process.exitCode = total.failed > 0 || total.passed === 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(`[pxe-test] runner crashed: ${e?.stack ?? e}`);
  console.log(`${total.passed} passed, ${total.failed + 1} failed`);
  process.exit(1);
});
