#!/usr/bin/env node
// pxe-nbp: runs the TypeScript CLI (src/cli/main.ts) through tsx, with the
// monorepo's tsconfig paths so @pxe/* resolve to sources. Works from any
// working directory.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(pkg, "package.json"));
let tsx;
try {
  tsx = pathToFileURL(join(dirname(require.resolve("tsx/package.json")), "dist", "loader.mjs")).href;
} catch {
  process.stderr.write("pxe-nbp: the tsx package is missing (run npm ci in the repository)\n");
  process.exit(1);
}
const r = spawnSync(process.execPath, ["--import", tsx, join(pkg, "src", "cli", "main.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, TSX_TSCONFIG_PATH: process.env.TSX_TSCONFIG_PATH ?? join(pkg, "..", "..", "tsconfig.json") },
});
process.exit(r.status ?? 1);
