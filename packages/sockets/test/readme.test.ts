import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

// The README examples of ip, udp and sockets run as written (imports resolve through the vitest aliases).
const dir = mkdtempSync(join(tmpdir(), "pxe-readme-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("README examples run", () => {
  for (const [pkg, expected] of [["ip", "10.0.0.2 1"], ["udp", "1,2,3"], ["sockets", "1,2,3"]] as const) {
    it(pkg, async () => {
      const md = readFileSync(new URL(`../../${pkg}/README.md`, import.meta.url), "utf8");
      const code = /```ts\n([\s\S]*?)```/.exec(md)![1];
      const file = join(dir, `${pkg}.ts`);
      writeFileSync(file, code);
      const lines: string[] = [];
      const spy = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.map((x) => (x instanceof Uint8Array ? Array.from(x).join(",") : String(x))).join(" ")));
      try {
        await import(/* @vite-ignore */ file);
      } finally {
        spy.mockRestore();
      }
      expect(lines.join("\n")).toContain(expected);
    });
  }
});
