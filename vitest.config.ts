// Tests run against src: every @pxe/<name>[/sub] import is aliased to
// packages/<name>/src/<index|sub>.ts, so no build is needed first.
//
// Two projects:
//   unit    — packages/*/test/**/*.test.ts, parallel, fast (property, model, fuzz)
//   system  — *.net.test.ts (netns + TAP + real servers, root) and
//             *.qemu.test.ts (PXE-boot pxehttp.0 in QEMU); run one file at a time.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const pkgs = readdirSync(`${root}packages`);
const alias = [
  ...pkgs.map((p) => ({ find: new RegExp(`^@pxe/${p}/(.+)$`), replacement: `${root}packages/${p}/src/$1.ts` })),
  ...pkgs.map((p) => ({ find: new RegExp(`^@pxe/${p}$`), replacement: `${root}packages/${p}/src/index.ts` })),
];
const system = ["**/*.net.test.ts", "**/*.qemu.test.ts"];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["packages/*/test/**/*.test.ts", "tools/**/*.test.ts"],
          exclude: [...system, "**/node_modules/**"],
          testTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "system",
          include: system.map((g) => `{packages,tools}/${g}`),
          exclude: ["**/node_modules/**"],
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
