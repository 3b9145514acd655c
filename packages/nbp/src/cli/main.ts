/**
 * pxe-nbp: builds TypeScript loaders into PXE network bootstrap programs.
 *
 *     pxe-nbp build [ENTRY.ts] [-o OUT.0] [--minify|--no-minify] [--embed] [--no-typecheck] [--quiet]
 *     pxe-nbp trace OUT.map [CONSOLE.log]
 *     pxe-nbp --help | --version
 */
import { readFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { buildNbp, DEFAULT_LOADER, DEFAULT_OUTPUT } from "./build.js";
import { LOADER_SCRIPT_NAME } from "./bundle.js";
import { pkgDir } from "./engine.js";
import { lineTable, mapStackText, type SourceMapLines } from "./line-map.js";
import { typecheckLoader } from "./typecheck.js";

const USAGE = `usage: pxe-nbp build [ENTRY.ts] [-o OUT.0] [--minify|--no-minify] [--embed] [--no-typecheck] [--quiet]
       pxe-nbp trace OUT.map [CONSOLE.log]
       pxe-nbp --help | --version

Builds ENTRY (default: the Hello PXE loader) with the QuickJS engine and the
pxehttp.0 platform into an NBP and the loader file it fetches by TFTP from
beside itself (OUT with the extension .ldr).

  -o OUT.0        where to write the NBP (default: ENTRY's name with .0, next
                  to ENTRY; without ENTRY, ${DEFAULT_OUTPUT})
  --embed         put the loader inside the NBP (one file; the NBP must stay
                  below 558,080 bytes, so only for small loaders)
  --no-typecheck  skip the TypeScript check of ENTRY (esbuild only strips types)
  --minify        minify names and layout too (default: syntax only, so stack
                  traces keep function names and lines that OUT.map maps
                  back to TypeScript); --no-minify: none
  --quiet         print only the output path

The build also writes OUT.map, the loader's source map. The engine reports
stack lines as loader.js:LINE; \`pxe-nbp trace OUT.map\` reads a console log
(CONSOLE.log, or standard input) and prints it with each loader.js:LINE
turned into the TypeScript file and line it came from.`;

/** The package's version (package.json). */
function version(): string {
  return (JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { version: string }).version;
}

/** Where the NBP for `entry` goes without -o: beside it, named after it ("my-loader.ts" -> "my-loader.0"). */
export function defaultOutput(entry: string): string {
  return join(dirname(entry), `${basename(entry, extname(entry))}.0`);
}

/** `pxe-nbp trace OUT.map [LOG]`: the log with loader.js:LINE mapped to TypeScript lines. */
function trace(args: string[]): number {
  const [mapFile, logFile, extra] = args;
  if (mapFile === undefined || extra !== undefined || mapFile.startsWith("-")) {
    process.stderr.write(`pxe-nbp: trace takes OUT.map and an optional log file\n${USAGE}\n`);
    return 2;
  }
  let map: SourceMapLines;
  let text: string;
  try {
    map = JSON.parse(readFileSync(mapFile, "utf8")) as SourceMapLines;
    text = readFileSync(logFile ?? 0, "utf8");
  } catch (e) {
    process.stderr.write(`pxe-nbp: trace: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  // Sources are relative to the map; print them relative to where we run.
  const dir = dirname(resolve(mapFile));
  const table = lineTable({ sources: map.sources.map((s) => relative(process.cwd(), resolve(dir, s))), mappings: map.mappings });
  process.stdout.write(mapStackText(text, LOADER_SCRIPT_NAME, table));
  return 0;
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
  if (cmd === "trace") return trace(rest);
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
