/**
 * Bundles a TypeScript loader into one script for the engine (esbuild:
 * iife, es2020). Inside this monorepo, @pxe/* imports resolve to the
 * packages' src/ (as the tests do), so no package build is needed first.
 */
import { existsSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { build, type Plugin } from "esbuild";
import { NbpBuildError } from "./errors.js";
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
   * Minify the output: true (everything, names too), "layout" (whitespace
   * and syntax only: names and stack traces stay readable), false (none).
   * Default "layout": the full stack does not fit a PXE image unminified.
   */
  minify?: boolean | "layout";
}

/** Bundles `entry` and returns the JavaScript source. */
export async function bundleLoader(entry: string, options: BundleOptions = {}): Promise<string> {
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
    minify: options.minify === true,
    minifyWhitespace: options.minify === undefined || options.minify === "layout" || options.minify === true,
    minifySyntax: options.minify === undefined || options.minify === "layout" || options.minify === true,
    legalComments: "none",
    logLevel: "silent",
    plugins: [noNodeBuiltins, monorepoSources],
  }).catch((e: unknown) => {
    throw new NbpBuildError(`esbuild failed on ${entry}: ${e instanceof Error ? e.message : String(e)}`);
  });
  return r.outputFiles[0].text;
}
