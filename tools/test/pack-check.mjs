#!/usr/bin/env node
// Pack check (step "pack" of `npm test`): installs the packages the way a user
// does and imports them.
//
//   1. find the packages: packages/*/package.json that are not private;
//   2. build each (its "build" script: tsup with the shared tsup.config.ts),
//      dependencies first;
//   3. publint each; are-the-types-wrong (attw) on each tarball;
//   4. `npm pack` each into a temp dir, make a scratch project in /tmp and
//      `npm install --prefer-offline` all the tarballs there (plus fast-check, the
//      optional peer of the ./testing entries, packed from our node_modules);
//   5. in the scratch project, for every package and each of its entries
//      (".", "./testing", "./node"): import it from ESM and require() it from
//      CJS, and assert that each gives a non-empty set of exports.
//
// Environment: PXE_PACK_ONLY=core,ip  check only these packages (their @pxe
// dependencies are packed too); PXE_PACK_KEEP=1 keeps the scratch directory.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = (n) => join(root, "node_modules", ".bin", n);
const problems = [];
const say = (m) => console.log(`[pack] ${m}`);
const fail = (m) => {
  problems.push(m);
  console.log(`[pack] FAIL ${m}`);
};

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "pipe"], ...opts });
  return { ok: r.status === 0, code: r.status, stdout: r.stdout ?? "", out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? r.error.message : ""}` };
}
const tail = (s, n = 15) => s.trim().split("\n").slice(-n).map((l) => `    ${l}`).join("\n");

// ---------------------------------------------------------------- discover

function discover() {
  const pkgs = [];
  for (const dir of readdirSync(join(root, "packages")).sort()) {
    const file = join(root, "packages", dir, "package.json");
    if (!existsSync(file)) {
      say(`packages/${dir}: no package.json yet, not checked`);
      continue;
    }
    const json = JSON.parse(readFileSync(file, "utf8"));
    if (json.private) continue;
    const deps = Object.keys({ ...json.dependencies, ...json.peerDependencies, ...json.devDependencies }).filter((d) => d.startsWith("@pxe/"));
    pkgs.push({ dir: join(root, "packages", dir), name: json.name, json, deps });
  }
  return pkgs;
}

/** Dependencies first; a cycle (the depcruise step reports it) keeps the given order. */
function topo(pkgs) {
  const byName = new Map(pkgs.map((p) => [p.name, p]));
  const out = [];
  const state = new Map();
  const visit = (p) => {
    if (state.get(p.name)) return;
    state.set(p.name, 1);
    for (const d of p.deps) if (byName.has(d)) visit(byName.get(d));
    out.push(p);
  };
  pkgs.forEach(visit);
  return out;
}

/** The entries a package declares: ".", "./testing", "./node" (those present in "exports"). */
function entries(p) {
  const exp = p.json.exports;
  if (!exp || typeof exp !== "object") return ["."];
  return [".", "./testing", "./node"].filter((e) => e in exp);
}

// ---------------------------------------------------------------- main

let pkgs = topo(discover());
const only = (process.env.PXE_PACK_ONLY ?? "").split(",").filter(Boolean);
if (only.length) {
  const want = new Set(only.map((n) => (n.startsWith("@pxe/") ? n : `@pxe/${n}`)));
  // keep the @pxe dependencies of what was asked for
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of pkgs) if (want.has(p.name)) for (const d of p.deps) if (!want.has(d)) (want.add(d), (grew = true));
  }
  pkgs = pkgs.filter((p) => want.has(p.name));
}
if (pkgs.length === 0) {
  fail("no packages found under packages/*/package.json");
  process.exit(1);
}
say(`packages: ${pkgs.map((p) => p.name).join(", ")}`);

const work = mkdtempSync(join(tmpdir(), "pxe-pack-"));
const tarDir = join(work, "tarballs");
const app = join(work, "app");
spawnSync("mkdir", ["-p", tarDir, app]);

// 2. build, 3. publint + attw, 4. pack — two packages at a time (2 cores),
// each once its @pxe dependencies are done (their .d.ts feed its own).
function shAsync(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (e) => resolve({ ok: false, code: null, stdout, out: `${stdout}${stderr}${e.message}` }));
    child.on("close", (code) => resolve({ ok: code === 0, code, stdout, out: `${stdout}${stderr}` }));
  });
}

async function buildAndPack(p) {
  if (p.json.scripts?.build) {
    const b = await shAsync("npm", ["run", "-s", "build"], { cwd: p.dir });
    if (!b.ok) {
      fail(`${p.name}: build failed (exit ${b.code})\n${tail(b.out)}`);
      return null;
    }
  } else say(`${p.name}: no build script`);

  const lint = await shAsync(bin("publint"), ["run", p.dir, "--strict"]);
  if (!lint.ok) fail(`${p.name}: publint found problems\n${tail(lint.out, 30)}`);

  const pk = await shAsync("npm", ["pack", "--json", "--pack-destination", tarDir], { cwd: p.dir });
  let file;
  try {
    file = JSON.parse(pk.stdout).at(0).filename;
  } catch {
    fail(`${p.name}: npm pack failed\n${tail(pk.out)}`);
    return null;
  }
  const tarball = join(tarDir, file.replace(/^@/, "").replace(/\//, "-"));
  if (!existsSync(tarball)) {
    fail(`${p.name}: npm pack reported ${file} but ${tarball} is missing`);
    return null;
  }

  // are-the-types-wrong on the tarball (no network needed for a local one).
  // Profile node16: subpaths ("./testing") cannot resolve under node10's
  // resolution, which ignores "exports"; every resolver from node16 on must pass.
  const r = await shAsync(bin("attw"), [tarball, "--profile", "node16", "--format", "ascii", "--no-color"]);
  let attw = "attw ok";
  if (!r.ok) {
    if (/ENOTFOUND|EAI_AGAIN|fetch failed|network/i.test(r.out)) attw = `attw skipped, it wanted the network: ${r.out.trim().split("\n")[0]}`;
    else {
      fail(`${p.name}: are-the-types-wrong found problems\n${tail(r.out, 30)}`);
      attw = "attw FAILED";
    }
  }
  say(`${p.name}: built, ${lint.ok ? "publint ok" : "publint FAILED"}, packed ${file}, ${attw}`);
  return { ...p, tarball };
}

const done = new Map(); // name -> Promise of the packed package (or null)
const names = new Set(pkgs.map((p) => p.name));
let slots = 2;
const waiting = [];
const acquire = () => (slots > 0 ? (slots--, Promise.resolve()) : new Promise((r) => waiting.push(r)));
const release = () => (waiting.length ? waiting.shift()() : slots++);
for (const p of pkgs) {
  const deps = p.deps.filter((d) => names.has(d) && done.has(d)).map((d) => done.get(d));
  done.set(
    p.name,
    Promise.all(deps).then(async () => {
      await acquire();
      try {
        return await buildAndPack(p);
      } finally {
        release();
      }
    }),
  );
}
const packed = (await Promise.all(pkgs.map((p) => done.get(p.name)))).filter(Boolean);

// fast-check (optional peer of ./testing) and what it needs, packed from our node_modules.
function packFromNodeModules(name, seen = new Set()) {
  if (seen.has(name)) return [];
  seen.add(name);
  const dir = join(root, "node_modules", name);
  if (!existsSync(join(dir, "package.json"))) return [];
  const json = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  // An installed package is already what its tarball held: tar it up as npm
  // does (everything under package/). `npm pack` there would run its scripts
  // and check its devEngines.
  const file = join(tarDir, `dep-${name.replace(/^@/, "").replace(/\//, "-")}-${json.version}.tgz`);
  const r = sh("tar", ["-czf", file, "--exclude=./node_modules", "--transform", "s,^\\.,package,", "-C", dir, "."]);
  let out = [];
  if (r.ok) out.push(file);
  else fail(`could not tar ${name} from node_modules\n${tail(r.out)}`);
  for (const d of Object.keys(json.dependencies ?? {})) out = out.concat(packFromNodeModules(d, seen));
  return out;
}
const wantsFastCheck = packed.some((p) => p.json.peerDependencies?.["fast-check"] || p.json.dependencies?.["fast-check"]);
const extra = wantsFastCheck ? packFromNodeModules("fast-check") : [];

// 4. scratch project, installed from the tarballs only
if (packed.length) {
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "pxe-pack-check", version: "1.0.0", private: true }, null, 2));
  const inst = sh(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", ...packed.map((p) => p.tarball), ...extra],
    { cwd: app },
  );
  if (!inst.ok) fail(`npm install of the tarballs in ${app} failed\n${tail(inst.out, 30)}`);
  else {
    say(`installed ${packed.length} tarball(s)${extra.length ? ` + ${extra.length} for fast-check` : ""} into a scratch project`);
    // 5. import every entry from ESM and CJS
    for (const p of packed) {
      for (const e of entries(p)) {
        const spec = e === "." ? p.name : `${p.name}/${e.slice(2)}`;
        const esm = sh(
          process.execPath,
          ["--input-type=module", "-e", `import * as m from ${JSON.stringify(spec)}; const k = Object.keys(m); if (!k.length) { console.error("no exports"); process.exit(3); } console.log(k.length);`],
          { cwd: app },
        );
        const cjs = sh(
          process.execPath,
          ["-e", `const m = require(${JSON.stringify(spec)}); const k = Object.keys(m); if (!k.length) { console.error("no exports"); process.exit(3); } console.log(k.length);`],
          { cwd: app },
        );
        if (!esm.ok) fail(`${spec}: ESM import failed\n${tail(esm.out)}`);
        if (!cjs.ok) fail(`${spec}: CJS require failed\n${tail(cjs.out)}`);
        if (esm.ok && cjs.ok) say(`${spec}: ESM ${esm.stdout.trim()} exports, CJS ${cjs.stdout.trim()} exports`);
      }
    }
  }
}

if (process.env.PXE_PACK_KEEP === "1") say(`scratch directory kept: ${work}`);
else rmSync(work, { recursive: true, force: true });

if (problems.length) {
  console.log(`[pack] ${problems.length} problem(s):`);
  for (const p of problems) console.log(`  - ${p.split("\n")[0]}`);
  process.exit(1);
}
say(`all ${packed.length} package(s) build, pack, install and import from ESM and CJS`);
