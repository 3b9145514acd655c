// The pxe-nbp CLI as a user runs it (bin/pxe-nbp.mjs through tsx): help and
// version, where the NBP goes without -o, the TypeScript check of a custom
// loader (and the flag that skips it), and Node built-in imports.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";

const pkg = join(import.meta.dirname, "..");
const bin = join(pkg, "bin", "pxe-nbp.mjs");
const dir = mkdtempSync(join(tmpdir(), "pxe-nbp-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8", timeout: 600_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("pxe-nbp", () => {
  test("--help and build --help print the usage and exit 0; --version prints the version", () => {
    for (const args of [["--help"], ["-h"], ["build", "--help"]]) {
      const r = cli(...args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.out).toMatch(/^usage: pxe-nbp build \[ENTRY\.ts\] .*--no-typecheck/);
      expect(r.out).toMatch(/-o OUT\.0 +where to write the NBP \(default: ENTRY's name with \.0, next\n +to ENTRY/);
    }
    const v = cli("--version");
    expect(v.code).toBe(0);
    const version = (JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as { version: string }).version;
    expect(v.out).toBe(`pxe-nbp ${version}\n`);
    const bad = cli("frobnicate");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^pxe-nbp: unknown command frobnicate\nusage:/);
  }, 120_000);

  test("build ENTRY without -o writes ENTRY.0 and ENTRY.ldr beside it, not the stock image", () => {
    const stock = join(pkg, "build", "pxehttp.0");
    const before = existsSync(stock) ? statSync(stock).mtimeMs : 0;
    writeFileSync(join(dir, "my-loader.ts"), "const n: number = 6 * 7;\nprint(`answer ${n}`);\ndeclare function print(s: string): void;\n");
    const r = cli("build", "my-loader.ts");
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/type-checking my-loader\.ts/);
    expect(statSync(join(dir, "my-loader.0")).size).toBeGreaterThan(100_000);
    expect(statSync(join(dir, "my-loader.ldr")).size).toBeGreaterThan(0);
    expect(existsSync(stock) ? statSync(stock).mtimeMs : 0).toBe(before);
  }, 600_000);

  test("a type error in the loader stops the build with file:line:col; --no-typecheck builds anyway", () => {
    writeFileSync(join(dir, "typo.ts"), "export {};\nconst port: number = \"8080\";\nprint(String(port));\ndeclare function print(s: string): void;\n");
    const r = cli("build", "typo.ts", "-o", "typo.0");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/pxe-nbp: 1 type error in the loader .*typo\.ts \(build with --no-typecheck to skip this check\):\n +typo\.ts:2:7: Type 'string' is not assignable to type 'number'\./);
    expect(existsSync(join(dir, "typo.0"))).toBe(false);
    const skipped = cli("build", "typo.ts", "-o", "typo.0", "--no-typecheck");
    expect(skipped.code, skipped.err).toBe(0);
    expect(existsSync(join(dir, "typo.0"))).toBe(true);
  }, 600_000);

  test("node:* and Node built-in imports: an error saying the NBP has no Node built-ins", () => {
    writeFileSync(join(dir, "uses-fs.ts"), 'import { readFileSync } from "node:fs";\nimport * as os from "os";\nreadFileSync("x");\nos.tmpdir();\n');
    const r = cli("build", "uses-fs.ts", "--no-typecheck");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/'node:fs' is a Node\.js built-in: the NBP runs in QuickJS with no Node APIs/);
    expect(r.err).toMatch(/'os' is a Node\.js built-in/);
  }, 600_000);
});
