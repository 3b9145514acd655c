/**
 * Bundles a TypeScript loader into one script for the engine (esbuild:
 * iife, es2020). Inside this monorepo, @pxe/* imports resolve to the
 * packages' src/ (as the tests do), so no package build is needed first.
 */
import { existsSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, resolve } from "node:path";
import { build, type Plugin } from "esbuild";
import { NbpBuildError } from "./errors.js";
import type { SourceMapLines } from "./line-map.js";
import { pkgDir } from "./engine.js";

const packagesDir = join(pkgDir, "..");

const monorepoSources: Plugin = {
  name: "pxe-monorepo-src",
  setup(b) {
    b.onResolve({ filter: /^@pxe\/[a-z0-9-]+(\/[a-z0-9-]+)?$/ }, (args) => {
      const [, name, sub] = /^@pxe\/([a-z0-9-]+)(?:\/([a-z0-9-]+))?$/.exec(args.path) ?? [];
      const file = join(packagesDir, name, "src", `${sub ?? "index"}.ts`);
      return existsSync(file) ? { path: file } : undefined;
    });
  },
};

const builtins = new Set(builtinModules);

/** `node:*` (and bare Node built-in) imports: a clear error, the NBP has no Node. */
const noNodeBuiltins: Plugin = {
  name: "pxe-no-node-builtins",
  setup(b) {
    b.onResolve({ filter: /^[a-z_/:0-9]+$/ }, (args) => {
      const name = args.path;
      if (!name.startsWith("node:") && !builtins.has(name)) return undefined;
      return {
        errors: [{ text: `'${name}' is a Node.js built-in: the NBP runs in QuickJS with no Node APIs (use the nbp host API and the @pxe packages)` }],
      };
    });
  },
};

/** Options of {@link bundleLoader}. */
export interface BundleOptions {
  /**
   * Minify the output: true (everything, names and whitespace too),
   * "layout" (syntax only: names stay, and every statement keeps a line of
   * its own, so the engine's `loader.js:LINE` maps back to TypeScript through
   * the source map), false (none). Default "layout".
   */
  minify?: boolean | "layout";
}

/** The name the engine gives the loader script in stack traces (platform/host.c evaluates it as "loader.js"). */
export const LOADER_SCRIPT_NAME = "loader.js";

/** A bundled loader: its JavaScript and the source map (v3) whose sources are absolute paths. */
export interface BundledLoader {
  readonly js: string;
  readonly map: SourceMapLines;
}

/** Bundles `entry` and returns the JavaScript source with its source map. */
export async function bundleLoader(entry: string, options: BundleOptions = {}): Promise<BundledLoader> {
  if (!existsSync(entry)) throw new NbpBuildError(`loader entry not found: ${entry}`);
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    format: "iife",
    target: "es2020",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["import", "default"],
    write: false,
    outfile: join(process.cwd(), LOADER_SCRIPT_NAME),
    sourcemap: "external",
    minify: options.minify === true,
    minifyWhitespace: options.minify === true,
    minifySyntax: options.minify === undefined || options.minify === "layout" || options.minify === true,
    legalComments: "none",
    logLevel: "silent",
    plugins: [noNodeBuiltins, monorepoSources],
  }).catch((e: unknown) => {
    throw new NbpBuildError(`esbuild failed on ${entry}: ${e instanceof Error ? e.message : String(e)}`);
  });
  const js = r.outputFiles.find((f) => !f.path.endsWith(".map"));
  const mapFile = r.outputFiles.find((f) => f.path.endsWith(".map"));
  if (!js || !mapFile) throw new NbpBuildError(`esbuild gave no ${js ? "source map" : "script"} for ${entry}`);
  const map = JSON.parse(mapFile.text) as SourceMapLines;
  return { js: js.text, map: { sources: map.sources.map((s) => resolve(process.cwd(), s)), mappings: map.mappings } };
}
