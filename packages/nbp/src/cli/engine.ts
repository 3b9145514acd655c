/**
 * Builds the NBP engine (platform C + QuickJS + musl, linked at 1 MiB) and
 * the real-mode stub. Compiled objects are cached under packages/nbp/.cache
 * keyed by a hash of their source and flags, so rebuilding a loader costs
 * only a link check.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NbpBuildError } from "./errors.js";

/** packages/nbp */
export const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const platformDir = join(pkgDir, "platform");
/** Where fetched sources and objects are kept (gitignored). */
export const cacheDir = process.env.PXE_NBP_CACHE ?? join(pkgDir, ".cache");

/** The engine's source package (npm) and the directory inside it. */
export const QUICKJS_NPM = "qjsc@0.3.0";
const QUICKJS_SUBDIR = "deps/quickjs_2021_03_27";
/** QuickJS version string compiled into the engine. */
export const QUICKJS_VERSION = "2021-03-27";

const MUSL_LIB = "/usr/lib/i386-linux-musl";
const MUSL_INC = "/usr/include/i386-linux-musl";

type Log = (msg: string) => void;

function run(cmd: string, args: string[], opts: { cwd?: string; quiet?: boolean } = {}): string {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw new NbpBuildError(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new NbpBuildError(`${cmd} ${args.slice(0, 6).join(" ")}... failed (${r.status}):\n${(r.stderr || r.stdout).slice(-4000)}`);
  }
  return r.stdout;
}

function have(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).status === 0;
}

/** Installs the Debian packages the build needs when they are missing (root only). */
export function ensureTools(log: Log): void {
  const missing: string[] = [];
  if (!have("nasm")) missing.push("nasm");
  if (!have("gcc")) missing.push("gcc");
  if (!have("ld") || !have("objcopy")) missing.push("binutils");
  const libgcc = spawnSync("gcc", ["-m32", "-print-libgcc-file-name"], { encoding: "utf8" });
  if (libgcc.status !== 0 || !existsSync(libgcc.stdout.trim())) missing.push("gcc-multilib");
  const needMusl = !existsSync(join(MUSL_LIB, "libc.a"));
  if (missing.length === 0 && !needMusl) return;
  if (process.getuid?.() !== 0) {
    throw new NbpBuildError(`missing build tools; install: apt-get install ${[...missing, ...(needMusl ? ["musl-dev:i386"] : [])].join(" ")}`);
  }
  if (needMusl) {
    log("adding the i386 architecture for musl-dev:i386");
    run("dpkg", ["--add-architecture", "i386"]);
    missing.push("musl-dev:i386");
  }
  log(`apt-get install ${missing.join(" ")}`);
  run("apt-get", ["update", "-qq"]);
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing]);
}

/** Fetches QuickJS from npm (without installing: `npm pack` + tar) into the cache. */
export function ensureQuickjs(log: Log): string {
  const dir = join(cacheDir, "quickjs");
  if (existsSync(join(dir, "quickjs.c")) && existsSync(join(dir, ".patched"))) return dir;
  mkdirSync(cacheDir, { recursive: true });
  const tgz = join(cacheDir, "qjsc-0.3.0.tgz");
  if (!existsSync(tgz)) {
    log(`npm pack ${QUICKJS_NPM}`);
    run("npm", ["pack", QUICKJS_NPM, "--silent", "--pack-destination", cacheDir]);
  }
  // Unpack and patch privately, then rename into place (safe against a concurrent build).
  const x = join(cacheDir, `qjsc.${process.pid}.tmp`);
  const staged = join(cacheDir, `quickjs.${process.pid}.tmp`);
  rmSync(x, { recursive: true, force: true });
  rmSync(staged, { recursive: true, force: true });
  mkdirSync(x, { recursive: true });
  mkdirSync(staged, { recursive: true });
  run("tar", ["xzf", tgz, "-C", x]);
  const src = join(x, "package", QUICKJS_SUBDIR);
  for (const f of readdirSync(src)) if (/\.(c|h)$/.test(f)) copyFileSync(join(src, f), join(staged, f));
  // No threads here: drop Atomics.wait/notify (they need pthreads and futexes).
  const qc = join(staged, "quickjs.c");
  const text = readFileSync(qc, "utf8");
  const patched = text.replace(/^#define CONFIG_ATOMICS$/m, "/* CONFIG_ATOMICS disabled for the NBP */");
  if (patched === text) throw new NbpBuildError("quickjs.c: CONFIG_ATOMICS define not found (unexpected QuickJS version)");
  writeFileSync(qc, patched);
  writeFileSync(join(staged, ".patched"), "CONFIG_ATOMICS\n");
  rmSync(x, { recursive: true, force: true });
  if (existsSync(join(dir, ".patched"))) {
    rmSync(staged, { recursive: true, force: true }); // another build got there first
  } else {
    rmSync(dir, { recursive: true, force: true });
    renameSync(staged, dir);
  }
  return dir;
}

function gccInclude(): string {
  return run("gcc", ["-m32", "-print-file-name=include"]).trim();
}

/** How the engine does floating point: "x87" (i686, any PXE machine) or "sse" (SSE2 doubles, Pentium 4 and later). */
export type NbpFpu = "x87" | "sse";

/** The FPU choice of the environment: PXE_NBP_FPU=sse, else x87. */
export function fpuFromEnv(): NbpFpu {
  return process.env.PXE_NBP_FPU === "sse" ? "sse" : "x87";
}

/**
 * Floating point: x87 for i686 by default (runs on any PXE machine);
 * "sse" builds with SSE2 doubles (Pentium 4 and later). Measured
 * here, neither was clearly faster under QEMU TCG (see README). SSE code
 * keeps 16-byte values in stack slots (movaps), so start.S enters C with
 * the stack aligned as the i386 ABI says.
 */
function fpuFlags(fpu: NbpFpu): string[] {
  return fpu === "sse" ? ["-march=pentium4", "-msse2", "-mfpmath=sse"] : ["-march=i686", "-DNBP_NO_SSE"];
}

/** Flags for every C file of the engine. */
function cflags(qjsDir: string, fpu: NbpFpu): string[] {
  return [
    "-m32", ...fpuFlags(fpu), "-O2", "-ffreestanding", "-fno-pic", "-fno-pie", "-fno-stack-protector",
    "-fno-asynchronous-unwind-tables", "-fno-unwind-tables", "-ffunction-sections", "-fdata-sections",
    "-nostdinc", "-isystem", MUSL_INC, "-isystem", gccInclude(), "-I", platformDir, "-I", qjsDir,
    "-D_GNU_SOURCE", `-DCONFIG_VERSION="${QUICKJS_VERSION}"`, "-DCONFIG_BIGNUM",
  ];
}

interface Unit {
  src: string;
  obj: string;
  extra: string[];
}

function key(u: Unit, flags: string[]): string {
  const h = createHash("sha256");
  h.update(flags.join(" ") + u.extra.join(" "));
  h.update(readFileSync(u.src));
  if (u.src.startsWith(platformDir)) for (const f of readdirSync(platformDir).filter((n) => n.endsWith(".h")).sort()) h.update(readFileSync(join(platformDir, f)));
  return h.digest("hex");
}

async function compileAll(units: Unit[], flags: string[], log: Log): Promise<void> {
  const todo = units.filter((u) => {
    const k = key(u, flags);
    return !(existsSync(u.obj) && existsSync(`${u.obj}.key`) && readFileSync(`${u.obj}.key`, "utf8") === k);
  });
  const jobs = Math.max(1, Math.min(2, Number(process.env.PXE_NBP_JOBS ?? 2)));
  const { spawn } = await import("node:child_process");
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const u = todo[next++];
      log(`cc ${u.src.replace(pkgDir + "/", "")}`);
      // Compile to a private name and rename: concurrent builds never see half an object.
      const tmp = `${u.obj}.${process.pid}.tmp`;
      const args = [...flags, ...u.extra, "-c", u.src, "-o", tmp];
      await new Promise<void>((resolve, reject) => {
        const p = spawn("gcc", args, { stdio: ["ignore", "ignore", "pipe"] });
        let err = "";
        p.stderr.on("data", (d: Buffer) => (err += d.toString()));
        p.on("error", reject);
        p.on("exit", (code) => {
          if (code === 0) {
            renameSync(tmp, u.obj);
            writeFileSync(`${u.obj}.key`, key(u, flags));
            resolve();
          } else reject(new NbpBuildError(`gcc failed on ${u.src}:\n${err.slice(-4000)}`));
        });
      });
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
}

/** The two binaries every image is made of. */
export interface EngineBinaries {
  /** Real-mode stub, loaded at 0000:7C00 (flat binary). */
  stub: Uint8Array;
  /** The engine, linked at 1 MiB (flat binary, header first). */
  engine: Uint8Array;
}

/** Options of {@link buildEngine}. */
export interface EngineOptions {
  /**
   * nasm defines for the stub, for tests only: TEST_NO_ENTRY_POINTERS
   * (ignore SS:SP+4 and ES:BX, so INT 1Ah finds PXENV+), TEST_NO_PXEPTR
   * (ignore PXENV+'s !PXE pointer, so calls go through PXENV+).
   */
  stubDefines?: string[];
  /** Floating point of the engine (default: {@link fpuFromEnv}); each choice has its own object cache. */
  fpu?: NbpFpu;
}

/** Builds (or takes from the cache) the stub and the engine. */
export async function buildEngine(log: Log = () => {}, options: EngineOptions = {}): Promise<EngineBinaries> {
  ensureTools(log);
  const qjs = ensureQuickjs(log);
  const fpu = options.fpu ?? fpuFromEnv();
  const objDir = join(cacheDir, fpu === "sse" ? "obj-sse" : "obj");
  mkdirSync(objDir, { recursive: true });
  const flags = cflags(qjs, fpu);
  const units: Unit[] = [];
  // The interpreter at -O2 (speed); the rest of QuickJS (BigInt arithmetic,
  // Unicode tables, regular expressions) at -Os: off the download path, and
  // the image must fit in conventional memory.
  for (const f of ["quickjs", "libregexp", "libunicode", "cutils", "libbf"]) {
    units.push({ src: join(qjs, `${f}.c`), obj: join(objDir, `${f}.o`), extra: f === "quickjs" ? ["-w"] : ["-w", "-Os"] });
  }
  for (const f of ["host", "console", "clock", "heap", "realmode", "sys", "sha256", "undi_rx", "tftp", "stage2", "lzdec", "boot"]) {
    // SHA-256 at -O3: `fetch` hashes every byte it downloads; with the unrolled rounds
    // of sha256.c, 16 MiB hash in 295 ms under TCG instead of 352 (textbook loop, -O2).
    units.push({ src: join(platformDir, `${f}.c`), obj: join(objDir, `nbp-${f}.o`), extra: ["-Wall", "-Wno-unused-parameter", ...(f === "sha256" ? ["-O3"] : [])] });
  }
  units.push({ src: join(platformDir, "start.S"), obj: join(objDir, "nbp-start.o"), extra: [] });
  await compileAll(units, flags, log);

  // Per-process outputs: two builds at once do not overwrite each other's files.
  const tag = `${fpu === "sse" ? "sse-" : ""}${process.pid}`;
  const stubBin = join(cacheDir, `stub.${tag}.bin`);
  const defines = (options.stubDefines ?? []).map((d) => `-D${d}`);
  run("nasm", ["-f", "bin", ...defines, "-o", stubBin, join(platformDir, "stub.asm")]);

  const elf = join(cacheDir, "engine.elf");
  const elfTmp = join(cacheDir, `engine.${tag}.elf`);
  const bin = join(cacheDir, `engine.${tag}.bin`);
  const libgcc = run("gcc", ["-m32", "-print-libgcc-file-name"]).trim();
  const objs = [units[units.length - 1].obj, ...units.slice(0, -1).map((u) => u.obj)];
  run("ld", [
    "-m", "elf_i386", "-static", "-nostdlib", "--gc-sections", "-T", join(platformDir, "engine.ld"), "-o", elfTmp,
    ...objs, "--start-group", join(MUSL_LIB, "libc.a"), join(MUSL_LIB, "libm.a"), libgcc, "--end-group",
  ]);
  run("objcopy", ["-O", "binary", elfTmp, bin]);
  const result = { stub: new Uint8Array(readFileSync(stubBin)), engine: new Uint8Array(readFileSync(bin)) };
  renameSync(elfTmp, elf); // kept for debugging (addr2line, nm)
  rmSync(stubBin, { force: true });
  rmSync(bin, { force: true });
  return result;
}
