import { afterEach, expect, it, vi } from "vitest";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const gen = `${here}readme-example.gen.ts`;

afterEach(() => rmSync(gen, { force: true }));

it("the README's quickstart example runs", async () => {
  const readme = readFileSync(`${here}../README.md`, "utf8");
  const m = /```ts\n\/\/ example: quickstart\n([\s\S]*?)```/.exec(readme);
  expect(m).not.toBeNull();
  writeFileSync(gen, m![1]);
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  await import(/* @vite-ignore */ gen);
  const lines = log.mock.calls.map((c) => c.join(" "));
  log.mockRestore();
  expect(lines[0]).toContain("we are 10.0.2.15, boot file pxehttp.0");
  expect(lines[1]).toBe("UNDI received 60 bytes");
  expect(lines.some((l) => /^pcap holds 10 frames$/.test(l))).toBe(true);
});
