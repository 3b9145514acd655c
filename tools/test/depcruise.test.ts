// Proves that every rule of .dependency-cruiser.cjs fires: dependency-cruiser
// runs on small fixture monorepos written to a temp dir, one that breaks each
// rule and one that stays inside them.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PACKAGES = ["core", "undi", "ip", "udp", "tcp", "sockets", "dhcp", "dns", "http", "httpfs", "kboot", "console", "nbp", "telnet"];
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** Writes the files into a fresh monorepo-shaped dir and returns depcruise's violations. */
function cruise(files: Record<string, string>): Violation[] {
  const dir = mkdtempSync(join(tmpdir(), "pxe-depcruise-"));
  dirs.push(dir);
  const paths: Record<string, string[]> = {};
  for (const p of PACKAGES) {
    paths[`@pxe/${p}`] = [`./packages/${p}/src/index.ts`];
    paths[`@pxe/${p}/testing`] = [`./packages/${p}/src/testing.ts`];
    paths[`@pxe/${p}/node`] = [`./packages/${p}/src/node.ts`];
  }
  const tsconfig = { compilerOptions: { module: "ESNext", moduleResolution: "Bundler", strict: true, paths }, include: ["packages"] };
  writeFileSync(join(dir, "tsconfig.node.json"), JSON.stringify(tsconfig, null, 2));
  copyFileSync(join(root, ".dependency-cruiser.cjs"), join(dir, ".dependency-cruiser.cjs"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const r = spawnSync(
    join(root, "node_modules", ".bin", "depcruise"),
    ["packages", "--config", ".dependency-cruiser.cjs", "--output-type", "json"],
    { cwd: dir, encoding: "utf8", maxBuffer: 64 << 20 },
  );
  let json: { summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> } };
  try {
    json = JSON.parse(r.stdout);
  } catch {
    throw new Error(`depcruise gave no JSON (exit ${r.status}): ${r.stderr}`);
  }
  lastDir = dir;
  return json.summary.violations.map((x) => ({ rule: x.rule.name, from: x.from, to: x.to }));
}

let lastDir = "";

/** depcruise as `npm test` runs it (output type err): its exit code. */
function exitCode(dir: string): number | null {
  const r = spawnSync(join(root, "node_modules", ".bin", "depcruise"), ["packages", "--config", ".dependency-cruiser.cjs", "--output-type", "err"], {
    cwd: dir,
    encoding: "utf8",
  });
  return r.status;
}

const exportsOne = "export const one = 1;\n";

describe("dependency rules (.dependency-cruiser.cjs)", () => {
  const bad = cruise({
    // layering: core imports a package above it; udp imports its sibling tcp
    "packages/core/src/index.ts": 'import { one } from "@pxe/undi";\nexport const two = one + 1;\n',
    "packages/undi/src/index.ts": exportsOne,
    "packages/tcp/src/index.ts": exportsOne,
    "packages/udp/src/index.ts": 'export { one } from "@pxe/tcp";\n',
    // a cycle inside ip
    "packages/ip/src/index.ts": 'export { a } from "./a.js";\n',
    "packages/ip/src/a.ts": 'import { b } from "./b.js";\nexport const a = () => b;\n',
    "packages/ip/src/b.ts": 'import { a } from "./a.js";\nexport const b = () => a;\n',
    // Node built-ins in core code, with and without the node: prefix; core importing the Node entry
    "packages/dns/src/index.ts": 'import { readFileSync } from "node:fs";\nimport { nodeOnly } from "./node.js";\nexport const f = () => [readFileSync, nodeOnly];\n',
    "packages/dns/src/node.ts": 'export const nodeOnly = 1;\n',
    "packages/dhcp/src/index.ts": 'import * as net from "net";\nexport const n = net;\n',
    // another package's internals: relative path and deep file; an unknown subpath
    "packages/http/src/index.ts":
      'import { one } from "../../undi/src/index.js";\nimport { a } from "../../ip/src/a.js";\nexport const h = [one, a];\n',
    "packages/sockets/src/index.ts": 'export { one } from "@pxe/undi/internal";\n',
  });
  const badDir = lastDir;
  const has = (rule: string, from: string, to: string) =>
    expect(bad, `${rule}: ${from} -> ${to}`).toContainEqual({ rule, from, to });

  it("exits non-zero on violations, as npm test runs it", () => {
    expect(exitCode(badDir)).not.toBe(0);
  });

  it("fails on an upward import between packages", () => {
    has("layering-core", "packages/core/src/index.ts", "packages/undi/src/index.ts");
  });

  it("fails on an import of a sibling that is not allowed (udp -> tcp)", () => {
    has("layering-udp", "packages/udp/src/index.ts", "packages/tcp/src/index.ts");
  });

  it("fails on a cycle", () => {
    expect(bad.some((v) => v.rule === "no-circular" && v.from === "packages/ip/src/a.ts")).toBe(true);
  });

  it("fails on node:* and bare Node built-ins in core code", () => {
    // depcruise reports node:fs by its resolved name, fs
    has("no-node-builtins-in-core", "packages/dns/src/index.ts", "fs");
    has("no-node-builtins-in-core", "packages/dhcp/src/index.ts", "net");
  });

  it("fails when core code imports a Node-only module", () => {
    has("no-node-entry-from-core", "packages/dns/src/index.ts", "packages/dns/src/node.ts");
  });

  it("fails on a relative import into another package and on another package's internals", () => {
    has("no-relative-import-across-packages", "packages/http/src/index.ts", "packages/undi/src/index.ts");
    has("no-package-internals", "packages/http/src/index.ts", "packages/ip/src/a.ts");
  });

  it("fails on an @pxe subpath that does not exist", () => {
    has("no-unresolvable-pxe", "packages/sockets/src/index.ts", "@pxe/undi/internal");
  });

  it("accepts downward imports by name, Node in node.ts / src/node / nbp's CLI / tests, tests using higher packages", () => {
    const good = cruise({
      "packages/core/src/index.ts": exportsOne,
      "packages/core/src/testing.ts": 'export const arb = 1;\n',
      "packages/undi/src/index.ts": 'import { one } from "@pxe/core";\nexport const u = one;\n',
      "packages/undi/src/node.ts": 'import { open } from "node:fs";\nimport { tap } from "./node/tap.js";\nexport const t = [open, tap];\n',
      "packages/undi/src/node/tap.ts": 'import * as os from "os";\nexport const tap = os;\n',
      "packages/http/src/index.ts": 'import { u } from "@pxe/undi";\nimport { d } from "@pxe/dns";\nexport const h = [u, d];\n',
      "packages/dns/src/index.ts": 'export const d = 1;\n',
      "packages/ip/test/x.test.ts": 'import { readFileSync } from "node:fs";\nimport { arb } from "@pxe/core/testing";\nimport { t } from "@pxe/undi/node";\nexport const x = [readFileSync, arb, t];\n',
      // a test may use a package above its own (through the public entry)
      "packages/ip/test/stack.net.test.ts": 'import { h } from "@pxe/http";\nexport const s = h;\n',
      "packages/nbp/src/index.ts": 'import { h } from "@pxe/http";\nexport const n = h;\n',
      "packages/nbp/src/cli/main.ts": 'import { spawn } from "node:child_process";\nimport { n } from "../index.js";\nexport const m = [spawn, n];\n',
    });
    expect(good).toEqual([]);
    expect(exitCode(lastDir)).toBe(0);
  });
});
