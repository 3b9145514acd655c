#!/usr/bin/env node
// Builds packages/nbp/build/pxehttp.0 from the default loader.
// Usage: node packages/nbp/tools/build.mjs [pxe-nbp build options]
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const r = spawnSync(process.execPath, [join(pkg, "bin", "pxe-nbp.mjs"), "build", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
