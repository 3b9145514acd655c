#!/usr/bin/env node
// pxe-nbp: runs the TypeScript CLI (src/cli/main.ts) through tsx, with the
// monorepo's tsconfig paths so @pxe/* resolve to sources. Works from any
// working directory.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
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
// Inside the monorepo, its tsconfig maps @pxe/* to the packages' sources.
const monorepoTsconfig = join(pkg, "..", "..", "tsconfig.json");
const env = { ...process.env };
if (!env.TSX_TSCONFIG_PATH && existsSync(monorepoTsconfig)) env.TSX_TSCONFIG_PATH = monorepoTsconfig;
const r = spawnSync(process.execPath, ["--import", tsx, join(pkg, "src", "cli", "main.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
  env,
});
process.exit(r.status ?? 1);
