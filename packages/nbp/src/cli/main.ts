/**
 * pxe-nbp: builds TypeScript loaders into PXE network bootstrap programs.
 *
 *     pxe-nbp build [ENTRY.ts] [-o OUT.0] [--minify|--no-minify] [--embed] [--no-typecheck] [--quiet]
 *     pxe-nbp --help | --version
 */
import { readFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { buildNbp, DEFAULT_LOADER, DEFAULT_OUTPUT } from "./build.js";
import { pkgDir } from "./engine.js";
import { typecheckLoader } from "./typecheck.js";

const USAGE = `usage: pxe-nbp build [ENTRY.ts] [-o OUT.0] [--minify|--no-minify] [--embed] [--no-typecheck] [--quiet]
       pxe-nbp --help | --version

Builds ENTRY (default: the Hello PXE loader) with the QuickJS engine and the
pxehttp.0 platform into an NBP and the loader file it fetches by TFTP from
beside itself (OUT with the extension .ldr).

  -o OUT.0        where to write the NBP (default: ENTRY's name with .0, next
                  to ENTRY; without ENTRY, ${DEFAULT_OUTPUT})
  --embed         put the loader inside the NBP (one file; the NBP must stay
                  below 558,080 bytes, so only for small loaders)
  --no-typecheck  skip the TypeScript check of ENTRY (esbuild only strips types)
  --minify        minify names too (default: whitespace and syntax only, so
                  stack traces keep function names); --no-minify: none
  --quiet         print only the output path`;

/** The package's version (package.json). */
function version(): string {
  return (JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { version: string }).version;
}

/** Where the NBP for `entry` goes without -o: beside it, named after it ("my-loader.ts" -> "my-loader.0"). */
export function defaultOutput(entry: string): string {
  return join(dirname(entry), `${basename(entry, extname(entry))}.0`);
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === "--help" || cmd === "-h" || cmd === "help") {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  if (cmd === "--version" || cmd === "-V") {
    process.stdout.write(`pxe-nbp ${version()}\n`);
    return 0;
  }
  if (cmd !== "build") {
    process.stderr.write(`pxe-nbp: ${cmd === undefined ? "which command?" : `unknown command ${cmd}`}\n${USAGE}\n`);
    return 2;
  }
  let entry: string | undefined;
  let out: string | undefined;
  let minify: boolean | "layout" = "layout";
  let quiet = false;
  let embed = false;
  let typecheck = true;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--help" || a === "-h") {
      process.stdout.write(USAGE + "\n");
      return 0;
    }
    if (a === "-o" || a === "--output") {
      out = rest[++i];
      if (out === undefined) {
        process.stderr.write(`pxe-nbp: ${a} needs a file name\n${USAGE}\n`);
        return 2;
      }
    } else if (a === "--minify") minify = true;
    else if (a === "--no-minify") minify = false;
    else if (a === "--quiet" || a === "-q") quiet = true;
    else if (a === "--embed") embed = true;
    else if (a === "--no-typecheck") typecheck = false;
    else if (a.startsWith("-")) {
      process.stderr.write(`pxe-nbp: unknown option ${a}\n${USAGE}\n`);
      return 2;
    } else if (entry !== undefined) {
      process.stderr.write(`pxe-nbp: one ENTRY at a time (got ${entry} and ${a})\n${USAGE}\n`);
      return 2;
    } else entry = a;
  }
  const log = quiet ? undefined : (m: string) => process.stderr.write(`pxe-nbp: ${m}\n`);
  try {
    const entryPath = entry ? resolve(entry) : DEFAULT_LOADER;
    // The stock loader is checked by the repository's own typecheck; a custom one here.
    if (entry && typecheck) {
      log?.(`type-checking ${entry}`);
      await typecheckLoader(entryPath);
    }
    const r = await buildNbp({
      entry: entryPath,
      out: out ? resolve(out) : entry ? defaultOutput(entryPath) : DEFAULT_OUTPUT,
      minify,
      embed,
      log,
    });
    if (quiet) process.stdout.write(r.out + "\n");
    return 0;
  } catch (e) {
    process.stderr.write(`pxe-nbp: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

if (process.argv[1] && /cli[\\/]main\.[cm]?[jt]s$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
