#!/usr/bin/env node
// pxe-nbp: runs the TypeScript CLI (src/cli/main.ts) through tsx, with the
// monorepo's tsconfig paths so @pxe/* resolve to sources.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const r = spawnSync(process.execPath, ["--import", "tsx", join(pkg, "src", "cli", "main.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, TSX_TSCONFIG_PATH: process.env.TSX_TSCONFIG_PATH ?? join(pkg, "..", "..", "tsconfig.json") },
});
process.exit(r.status ?? 1);
