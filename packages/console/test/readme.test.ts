// The README's example runs as shown: its code block is written out, run
// with tsx, fed the transcript's input, and must print the transcript.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const pkg = `${root}packages/console/`;

describe("README", () => {
  it("the 'add a command' example prints its transcript", () => {
    const readme = readFileSync(`${pkg}README.md`, "utf8");
    const code = /```ts\n(\/\/ hello-console\.ts[\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    const shell = /\n {4}\$ printf '([^']*)' \| npx tsx [^\n]*\n((?: {4}[^\n]*\n)+)/.exec(readme);
    expect(shell).not.toBeNull();
    const input = (shell as RegExpExecArray)[1].replace(/\\n/g, "\n");
    const transcript = (shell as RegExpExecArray)[2].replace(/^ {4}/gm, "");
    const dir = `${pkg}.cache/readme-${process.pid}`;
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(`${dir}/hello-console.ts`, code as string);
      const r = spawnSync(`${root}node_modules/.bin/tsx`, ["--tsconfig", "tsconfig.node.json", `${dir}/hello-console.ts`], {
        cwd: root,
        input,
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(transcript);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
