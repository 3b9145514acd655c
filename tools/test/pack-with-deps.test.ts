// tools/pack/with-deps.mjs: a package and its @pxe dependencies packed into
// one folder, installed into a scratch project with the printed `npm i`
// line, and imported from there (the @pxe packages are not on a registry).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { closure } from "../pack/with-deps.mjs";

const root = join(import.meta.dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "pxe-pack-deps-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function workspace(): Map<string, { json: { dependencies?: Record<string, string> } }> {
  const m = new Map<string, { json: { dependencies?: Record<string, string> } }>();
  for (const d of readdirSync(join(root, "packages"))) {
    const json = JSON.parse(readFileSync(join(root, "packages", d, "package.json"), "utf8"));
    m.set(json.name, { json });
  }
  return m;
}

test("closure: the package after its @pxe dependencies, each once", () => {
  const order = closure("@pxe/http", workspace()) as string[];
  expect(order[order.length - 1]).toBe("@pxe/http");
  expect(new Set(order).size).toBe(order.length);
  for (const name of order) {
    const deps = Object.keys(workspace().get(name)!.json.dependencies ?? {}).filter((d) => d.startsWith("@pxe/"));
    for (const d of deps) expect(order.indexOf(d), `${d} before ${name}`).toBeLessThan(order.indexOf(name));
  }
  expect(order).toEqual(expect.arrayContaining(["@pxe/core", "@pxe/undi", "@pxe/ip", "@pxe/tcp", "@pxe/sockets", "@pxe/http"]));
  expect(() => closure("@pxe/nope", workspace())).toThrow(/@pxe\/nope is not a package of this repository/);
});

test("packs @pxe/undi with @pxe/core; the printed npm i line installs them and they import", () => {
  const tarballs = join(work, "tarballs");
  const r = spawnSync(process.execPath, [join(root, "tools", "pack", "with-deps.mjs"), "@pxe/undi", tarballs], { cwd: work, encoding: "utf8", timeout: 600_000 });
  expect(r.status, r.stderr).toBe(0);
  const line = r.stdout.trim().split("\n").pop()!;
  expect(line).toBe(`npm i ${join(tarballs, "pxe-core-0.1.0.tgz")} ${join(tarballs, "pxe-undi-0.1.0.tgz")}`);
  for (const f of ["pxe-core-0.1.0.tgz", "pxe-undi-0.1.0.tgz"]) expect(existsSync(join(tarballs, f))).toBe(true);
  const app = join(work, "app");
  spawnSync("mkdir", ["-p", app]);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true, type: "module" }));
  const args = line.split(" ").slice(2);
  const inst = spawnSync("npm", ["i", "--prefer-offline", "--no-audit", "--no-fund", ...args], { cwd: app, encoding: "utf8", timeout: 600_000 });
  expect(inst.status, inst.stderr).toBe(0);
  const use = spawnSync(process.execPath, ["--input-type=module", "-e", 'import { SimLink } from "@pxe/undi"; import { PxeError } from "@pxe/core"; console.log(typeof SimLink, typeof PxeError);'], { cwd: app, encoding: "utf8" });
  expect(use.stderr).toBe("");
  expect(use.stdout).toBe("function function\n");
}, 900_000);
