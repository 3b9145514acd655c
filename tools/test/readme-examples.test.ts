// Every package README's first ```ts block is a runnable example: it is
// written out as a module, imported (the @pxe/* aliases resolve to src), and
// what it prints with console.log must match what the README promises.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = `${root}tools/test/.cache/readme-${process.pid}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Extracts the first plain ```ts block of a package's README. */
function example(pkg: string): string {
  const md = readFileSync(`${root}packages/${pkg}/README.md`, "utf8");
  const m = /^```ts\n([\s\S]*?)^```$/m.exec(md);
  if (!m) throw new Error(`packages/${pkg}/README.md has no \`\`\`ts example`);
  return m[1];
}

/** Runs the example and returns the lines it printed. */
async function run(pkg: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/${pkg}.ts`;
  writeFileSync(file, example(pkg));
  const lines: string[] = [];
  const show = (x: unknown) => (x instanceof Uint8Array ? Array.from(x).join(",") : typeof x === "object" ? JSON.stringify(x) : String(x));
  const spy = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.map(show).join(" ")));
  try {
    await import(/* @vite-ignore */ file);
  } finally {
    spy.mockRestore();
  }
  return lines;
}

/** What each README's example must print, line by line (a RegExp or an exact string). */
const promised: Record<string, (string | RegExp)[]> = {
  core: ["80 f9fb", "true demo header: truncated: needs 4 bytes, has 3 (at byte 0)", "250"],
  undi: [/we are 10\.0\.2\.15, boot file pxehttp\.0$/, "UNDI received 60 bytes", /^B got \d+ of 10; impairments:/, "pcap holds 10 frames"],
  ip: ["10.0.0.2 1"],
  udp: ["1,2,3"],
  sockets: [/^1,2,3 \{"address":167772161,"port":\d+\}$/],
  dhcp: [/^1 255\.255\.255\.255 67 \d{3}$/, /^selecting \d{4}$/],
  dns: ['["10.0.0.5"]'],
  tcp: [/^100000 bytes, state CLOSED, \d+ ms virtual$/],
  telnet: ["255 250 31 0 80 0 25 255 240 | 255 252 99 | 255 250 24 0 86 84 49 48 48 255 240", "hi character we do: TERMINAL-TYPE NAWS; server does: ECHO"],
};

describe("README examples run and print what they promise", () => {
  for (const [pkg, want] of Object.entries(promised)) {
    it(pkg, async () => {
      const lines = await run(pkg);
      expect(lines.length).toBe(want.length);
      want.forEach((w, i) => (typeof w === "string" ? expect(lines[i]).toBe(w) : expect(lines[i]).toMatch(w)));
    });
  }
});
