/**
 * Type-checks a loader before it is bundled (esbuild only strips types):
 * the TypeScript compiler over the entry and everything it imports,
 * strict, ES2020 and no DOM or Node types, as the NBP's engine runs it.
 * Inside this monorepo @pxe/* resolve to the packages' sources.
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { pkgDir } from "./engine.js";
import { NbpBuildError } from "./errors.js";

/** The loader has type errors; `diagnostics` are "file:line:col: message" lines. */
export class LoaderTypeError extends NbpBuildError {
  /** One line per error. */
  readonly diagnostics: readonly string[];
  constructor(entry: string, diagnostics: readonly string[]) {
    const shown = diagnostics.slice(0, 20);
    const more = diagnostics.length > shown.length ? `\n  ... and ${diagnostics.length - shown.length} more` : "";
    super(`${diagnostics.length} type error${diagnostics.length === 1 ? "" : "s"} in the loader ${entry} (build with --no-typecheck to skip this check):\n  ${shown.join("\n  ")}${more}`);
    this.diagnostics = diagnostics;
  }
}

/** Type-checks `entry`; throws LoaderTypeError listing the errors. */
export async function typecheckLoader(entry: string): Promise<void> {
  let ts: typeof import("typescript");
  try {
    ts = (await import("typescript")).default;
  } catch {
    throw new NbpBuildError("the typescript package is missing: install it (npm i -D typescript) or build with --no-typecheck");
  }
  // Inside this monorepo: its tsconfig.json (strict, ES2020, no types, @pxe/* paths to sources).
  const monorepo = join(pkgDir, "..", "..", "tsconfig.json");
  let options: import("typescript").CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2020.d.ts"],
    types: [],
    skipLibCheck: true,
  };
  if (existsSync(monorepo)) {
    const parsed = ts.getParsedCommandLineOfConfigFile(monorepo, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (parsed) options = parsed.options;
  }
  options = { ...options, noEmit: true, declaration: false, sourceMap: false };
  const program = ts.createProgram([entry], options);
  const diags = ts.getPreEmitDiagnostics(program);
  if (diags.length === 0) return;
  const base = process.cwd();
  const lines = diags.map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (!d.file || d.start === undefined) return text;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${relative(base, d.file.fileName) || d.file.fileName}:${line + 1}:${character + 1}: ${text}`;
  });
  throw new LoaderTypeError(entry, lines);
}
