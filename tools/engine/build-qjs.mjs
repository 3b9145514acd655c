#!/usr/bin/env node
// Fetches the QuickJS 2021-03-27 sources (inside npm's qjsc@0.3.0, under
// deps/quickjs_2021_03_27) with `npm pack` — never `npm install`, whose
// install script builds a Node addon — and builds a native host `qjs` with
// gcc. Everything lands in tools/engine/.cache (gitignored); the binary is
// reused while the sources and flags stay the same.
//
//   node tools/engine/build-qjs.mjs        prints the path of the qjs binary
//
// Exported: ensureQjs() for tools/engine/run.mjs.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const cacheDir = join(here, ".cache");
const PACKAGE = "qjsc@0.3.0";
const TARBALL = "qjsc-0.3.0.tgz";
const SRC_SUBDIR = "package/deps/quickjs_2021_03_27";
const VERSION = "2021-03-27";
const LIB_SOURCES = ["quickjs.c", "libregexp.c", "libunicode.c", "cutils.c", "libbf.c", "quickjs-libc.c"];
// CONFIG_BIGNUM: in this QuickJS release BigInt exists only with it.
const CFLAGS = ["-O2", "-g0", "-w", "-D_GNU_SOURCE", `-DCONFIG_VERSION="${VERSION}"`, "-DCONFIG_BIGNUM"];
const LIBS = ["-lm", "-ldl", "-lpthread"];

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20, ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status}):\n${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Fetch and unpack the engine sources once; returns their directory. */
export function ensureSources() {
  mkdirSync(cacheDir, { recursive: true });
  const src = join(cacheDir, SRC_SUBDIR);
  if (existsSync(join(src, "quickjs.c"))) return src;
  const tgz = join(cacheDir, TARBALL);
  if (!existsSync(tgz)) {
    process.stderr.write(`[engine] fetching ${PACKAGE} sources (npm pack)\n`);
    sh("npm", ["pack", PACKAGE, "--silent", "--pack-destination", cacheDir]);
    if (!existsSync(tgz)) {
      const got = readdirSync(cacheDir).filter((f) => f.endsWith(".tgz"));
      throw new Error(`npm pack ${PACKAGE} did not produce ${TARBALL} (found: ${got.join(", ") || "nothing"})`);
    }
  }
  sh("tar", ["xzf", tgz, "-C", cacheDir, SRC_SUBDIR]);
  return src;
}

/** Compile several C files to objects, two at a time (the machine has 2 cores). */
function compileAll(jobs) {
  const pending = [...jobs];
  const running = [];
  return new Promise((resolve, reject) => {
    const next = () => {
      if (pending.length === 0 && running.length === 0) return resolve();
      while (running.length < 2 && pending.length) {
        const { src, obj, flags } = pending.shift();
        import("node:child_process").then(({ spawn }) => {
          const p = spawn("gcc", [...CFLAGS, ...flags, "-c", "-o", obj, src], { stdio: ["ignore", "inherit", "pipe"] });
          let err = "";
          p.stderr.on("data", (d) => (err += d));
          running.push(p);
          p.on("exit", (code) => {
            running.splice(running.indexOf(p), 1);
            if (code !== 0) return reject(new Error(`gcc ${src} failed:\n${err}`));
            next();
          });
        }, reject);
      }
    };
    next();
  });
}

/** Build (or reuse) the host qjs binary; resolves to its path. */
export async function ensureQjs() {
  const src = ensureSources();
  const key = createHash("sha256")
    .update(JSON.stringify({ CFLAGS, LIBS, LIB_SOURCES }))
    .update(readFileSync(join(src, "quickjs.c")))
    .digest("hex")
    .slice(0, 12);
  const out = join(cacheDir, `qjs-${key}`);
  if (existsSync(out)) return out;
  const obj = join(cacheDir, `obj-${key}`);
  rmSync(obj, { recursive: true, force: true });
  mkdirSync(obj, { recursive: true });
  process.stderr.write(`[engine] building QuickJS ${VERSION} (gcc, about a minute)\n`);
  const t0 = Date.now();
  await compileAll(LIB_SOURCES.map((f) => ({ src: join(src, f), obj: join(obj, f.replace(/\.c$/, ".o")), flags: [] })));
  const objs = LIB_SOURCES.map((f) => join(obj, f.replace(/\.c$/, ".o")));
  // qjs links the REPL (repl.js) and the calculator (qjscalc.js) as bytecode:
  // build qjsc first and let it compile them to C, as QuickJS's Makefile does.
  const qjsc = join(obj, "qjsc");
  sh("gcc", [...CFLAGS, '-DCONFIG_CC="gcc"', '-DCONFIG_PREFIX="/usr/local"', "-o", qjsc, join(src, "qjsc.c"), ...objs, ...LIBS]);
  sh(qjsc, ["-c", "-o", join(obj, "repl.c"), "-m", join(src, "repl.js")]);
  sh(qjsc, ["-fbignum", "-c", "-o", join(obj, "qjscalc.c"), join(src, "qjscalc.js")]);
  const tmp = `${out}.tmp${process.pid}`;
  sh("gcc", [...CFLAGS, "-o", tmp, join(src, "qjs.c"), join(obj, "repl.c"), join(obj, "qjscalc.c"), ...objs, ...LIBS]);
  renameSync(tmp, out);
  rmSync(obj, { recursive: true, force: true });
  writeFileSync(join(cacheDir, "qjs.txt"), `${out}\n`);
  process.stderr.write(`[engine] built ${out} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureQjs().then(
    (p) => console.log(p),
    (e) => {
      console.error(`[engine] ${e.message}`);
      process.exit(1);
    },
  );
}
