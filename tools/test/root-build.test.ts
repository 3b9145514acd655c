// `npm run build` at the root builds what a user expects: every package
// (lerna: tsup) and then pxehttp.0 (issue 12). Running it takes minutes on
// this machine, so this checks the wiring: the root script runs the NBP
// build after the packages, and that script builds pxehttp.0.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const json = (p: string) => JSON.parse(readFileSync(join(root, p), "utf8")) as { scripts: Record<string, string> };

test("npm run build builds every package, then pxehttp.0", () => {
  const build = json("package.json").scripts.build;
  const parts = build.split("&&").map((s) => s.trim());
  expect(parts[0]).toBe("lerna run build");
  expect(parts[1]).toMatch(/^npm run -s build:nbp -w @pxe\/nbp$/);
  expect(json("packages/nbp/package.json").scripts["build:nbp"]).toBe("node tools/build.mjs");
  expect(readFileSync(join(root, "packages/nbp/tools/build.mjs"), "utf8")).toMatch(/Builds packages\/nbp\/build\/pxehttp\.0/);
});
