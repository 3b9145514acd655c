// Stack traces of a bundled loader map back to TypeScript lines: the bundle
// keeps a line per statement and its source map becomes a line table
// (src/cli/line-map.ts), used by `pxe-nbp trace OUT.map` on a console log.
// The engine reports `loader.js:LINE` (QuickJS) where V8 adds `:COLUMN`; the
// bundle runs here in node:vm under the name the NBP gives it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, test } from "vitest";
import { bundleLoader, LOADER_SCRIPT_NAME } from "../src/cli/bundle.js";
import { lineTable, mapStackText } from "../src/cli/line-map.js";

const pkg = join(import.meta.dirname, "..");
const fixture = join(pkg, "test", "fixtures", "throwing-loader.ts");
const dir = mkdtempSync(join(tmpdir(), "pxe-nbp-trace-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The 1-based line of the fixture that holds `marker`. */
function fixtureLine(marker: string): number {
  return readFileSync(fixture, "utf8").split("\n").findIndex((l) => l.includes(marker)) + 1;
}

/** The fixture bundled as the NBP bundles loaders, run until it throws; its stack. */
async function bundledStack(): Promise<{ stack: string; js: string }> {
  const { js, map } = await bundleLoader(fixture);
  try {
    runInNewContext(js, {}, { filename: LOADER_SCRIPT_NAME });
  } catch (e) {
    return { stack: String((e as Error).stack), js: JSON.stringify(map) };
  }
  throw new Error("the fixture loader did not throw");
}

describe("line table", () => {
  test("decodes base64-VLQ mappings to the first source line of each generated line", () => {
    const t = lineTable({ sources: ["a.ts", "b.ts"], mappings: "AAAA;AACA;;ACAA,AAEA;AAGA;AADA" });
    expect(t).toEqual([
      { source: "a.ts", line: 1 },
      { source: "a.ts", line: 2 },
      null,
      { source: "b.ts", line: 2 },
      // "AAEA" (line +2) is not the first segment of its line but still moves the state.
      { source: "b.ts", line: 7 },
      { source: "b.ts", line: 6 },
    ]);
    expect(mapStackText("at f (x.js:2)\nat g (x.js:4:17)\nat h (x.js:3)\nat i (y.js:1)", "x.js", t)).toBe(
      "at f (a.ts:2)\nat g (b.ts:2)\nat h (x.js:3)\nat i (y.js:1)",
    );
  });
});

describe("bundled loader stack traces", () => {
  test("loader.js lines of a thrown error map to the TypeScript lines that threw and called", async () => {
    const { js, map } = await bundleLoader(fixture);
    let stack = "";
    try {
      runInNewContext(js, {}, { filename: LOADER_SCRIPT_NAME });
    } catch (e) {
      stack = String((e as Error).stack);
    }
    expect(stack).toMatch(/loader\.js:\d+/);
    const mapped = mapStackText(stack, LOADER_SCRIPT_NAME, lineTable(map));
    expect(mapped).toContain(`${fixture}:${fixtureLine("THROW HERE")}`);
    expect(mapped).toContain(`${fixture}:${fixtureLine("CALL HERE")}`);
  }, 60_000);

  test("pxe-nbp build writes OUT.map and pxe-nbp trace rewrites a QuickJS-style console log with it", async () => {
    const { stack } = await bundledStack();
    const lines = [...stack.matchAll(/loader\.js:(\d+)/g)].map((m) => Number(m[1]));
    const bin = join(pkg, "bin", "pxe-nbp.mjs");
    const b = spawnSync(process.execPath, [bin, "build", fixture, "--no-typecheck", "-o", join(dir, "t.0")], { cwd: dir, encoding: "utf8", timeout: 600_000 });
    expect(b.status, b.stderr).toBe(0);
    // What QuickJS prints for an uncaught error (platform/host.c): no columns.
    const log = `[nbp] uncaught: FixtureError: the fixture failed on purpose\n    at inner (loader.js:${lines[0]})\n    at <anonymous> (loader.js:${lines[lines.length - 1]})\n`;
    writeFileSync(join(dir, "console.log"), log);
    const t = spawnSync(process.execPath, [bin, "trace", join(dir, "t.map"), join(dir, "console.log")], { cwd: pkg, encoding: "utf8" });
    expect(t.status, t.stderr).toBe(0);
    expect(t.stdout).toContain(`at inner (test/fixtures/throwing-loader.ts:${fixtureLine("THROW HERE")})`);
    expect(t.stdout).toContain("[nbp] uncaught: FixtureError: the fixture failed on purpose");
    const bad = spawnSync(process.execPath, [bin, "trace"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
  }, 600_000);
});
