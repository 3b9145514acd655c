/**
 * pxe-nbp: builds TypeScript loaders into PXE network bootstrap programs.
 *
 *     pxe-nbp build [ENTRY.ts] [-o OUT.0] [--minify|--no-minify] [--embed] [--quiet]
 */
import { resolve } from "node:path";
import { buildNbp, DEFAULT_LOADER, DEFAULT_OUTPUT } from "./build.js";

const USAGE = `usage: pxe-nbp build [ENTRY.ts] [-o OUT.0] [--minify|--no-minify] [--embed] [--quiet]

Builds ENTRY (default: the Hello PXE loader) with the QuickJS engine and the
pxehttp.0 platform into an NBP (default ${DEFAULT_OUTPUT}) and the loader
file it fetches by TFTP from beside itself (OUT with the extension .ldr).
--embed puts the loader inside the NBP instead (one file; the NBP must stay
below 558,080 bytes, so only for small loaders).`;

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd !== "build") {
    process.stderr.write(USAGE + "\n");
    return cmd === "--help" || cmd === "-h" ? 0 : 2;
  }
  let entry: string | undefined;
  let out: string | undefined;
  let minify: boolean | "layout" = "layout";
  let quiet = false;
  let embed = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "-o" || a === "--output") out = rest[++i];
    else if (a === "--minify") minify = true;
    else if (a === "--no-minify") minify = false;
    else if (a === "--quiet" || a === "-q") quiet = true;
    else if (a === "--embed") embed = true;
    else if (a.startsWith("-")) {
      process.stderr.write(`pxe-nbp: unknown option ${a}\n${USAGE}\n`);
      return 2;
    } else entry = a;
  }
  try {
    const r = await buildNbp({
      entry: entry ? resolve(entry) : DEFAULT_LOADER,
      out: out ? resolve(out) : undefined,
      minify,
      embed,
      log: quiet ? undefined : (m) => process.stderr.write(`pxe-nbp: ${m}\n`),
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
