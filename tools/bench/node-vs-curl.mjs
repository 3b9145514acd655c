#!/usr/bin/env node
// Launcher: runs node-vs-curl.ts with tsx and the repo's path aliases (see that file's header).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const r = spawnSync(join(root, "node_modules", ".bin", "tsx"), ["--tsconfig", join(root, "tsconfig.node.json"), join(root, "tools", "bench", "node-vs-curl.ts"), ...process.argv.slice(2)], { stdio: "inherit", cwd: root });
process.exit(r.status ?? 1);
