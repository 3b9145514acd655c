/**
 * Builds an NBP image from a TypeScript loader entry: engine (cached) +
 * bundled loader, compressed into one file to serve over TFTP.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { buildEngine, pkgDir, type NbpFpu } from "./engine.js";
import { bundleLoader, LOADER_SCRIPT_NAME } from "./bundle.js";
import { assembleImage, loaderFileName, type ImageLayout } from "./image.js";

/** The default loader (Hello PXE + console). */
export const DEFAULT_LOADER = join(pkgDir, "src", "loader", "main.ts");
/** Where `npm run build:nbp` puts pxehttp.0. */
export const DEFAULT_OUTPUT = join(pkgDir, "build", "pxehttp.0");

/** Options of {@link buildNbp}. */
export interface BuildNbpOptions {
  /** TypeScript (or JavaScript) entry of the loader (default: the Hello PXE loader). */
  entry?: string;
  /** Output file (default packages/nbp/build/pxehttp.0). */
  out?: string;
  /** Minify the loader (see BundleOptions.minify; default "layout": whitespace and syntax, names kept). */
  minify?: boolean | "layout";
  /** Progress messages. */
  log?: (msg: string) => void;
  /** nasm defines for the stub (tests of the PXE discovery paths; see EngineOptions). */
  stubDefines?: string[];
  /** Floating point of the engine (default: PXE_NBP_FPU=sse, else x87; see EngineOptions). */
  fpu?: NbpFpu;
  /** Put the loader inside the NBP (one file; small loaders only) instead of the second-stage file (default false). */
  embed?: boolean;
}

/** Where the loader's source map goes for an NBP file name: pxehttp.0 -> pxehttp.map (read by `pxe-nbp trace`). */
export function sourceMapFileName(nbpName: string): string {
  return loaderFileName(nbpName).replace(/\.ldr$/, ".map");
}

/**
 * Builds an NBP; returns the output path, the second-stage loader file's
 * path (unless embedded), the loader's source map path and the image layout.
 */
export async function buildNbp(options: BuildNbpOptions = {}): Promise<{ out: string; loaderOut?: string; mapOut: string; layout: ImageLayout }> {
  const log = options.log ?? (() => {});
  const entry = options.entry ?? DEFAULT_LOADER;
  const out = options.out ?? DEFAULT_OUTPUT;
  const { stub, engine } = await buildEngine(log, { stubDefines: options.stubDefines, fpu: options.fpu });
  const { js, map } = await bundleLoader(entry, { minify: options.minify });
  const { image, loaderFile, layout } = assembleImage(stub, engine, new TextEncoder().encode(js), { embed: options.embed });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, image);
  const loaderOut = loaderFile ? loaderFileName(out) : undefined;
  if (loaderOut && loaderFile) writeFileSync(loaderOut, loaderFile);
  // The map's sources are relative to the map itself, as source map readers expect.
  const mapOut = sourceMapFileName(out);
  const sources = map.sources.map((s) => relative(dirname(mapOut), s));
  writeFileSync(mapOut, JSON.stringify({ version: 3, file: LOADER_SCRIPT_NAME, sources, mappings: map.mappings }));
  log(
    `${out}: ${layout.totalBytes} bytes (stub ${layout.stubBytes}, engine ${layout.engineBytes} -> ${layout.engineCompressed}` +
      (loaderOut ? `); ${loaderOut}: ${layout.loaderFileBytes} bytes (loader ${layout.loaderBytes} -> ${layout.loaderCompressed})` : `, loader ${layout.loaderBytes} -> ${layout.loaderCompressed})`),
  );
  return { out, loaderOut, mapOut, layout };
}
