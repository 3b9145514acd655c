// One build configuration for every package: run from a package directory
// (`tsup --config ../../tsup.config.ts`). Entries are the src files that
// exist among index.ts (.), testing.ts (./testing) and node.ts (./node).
import { existsSync } from "node:fs";
import { defineConfig } from "tsup";

const entries = ["index", "testing", "node"].filter((n) => existsSync(`src/${n}.ts`)).map((n) => `src/${n}.ts`);

export default defineConfig({
  entry: entries,
  format: ["esm", "cjs"],
  // Declarations for every entry, Node's included: src/node.ts uses Node's
  // globals, so the d.ts build sees @types/node. (Core code is still held to
  // ES2020 without Node types by `npm run typecheck`, tsconfig.json.)
  dts: { compilerOptions: { types: ["node"] } },
  clean: true,
  sourcemap: true,
  target: "es2020",
  // Workspace packages and optional peers stay imports, never bundled in.
  external: [/^@pxe\//, "fast-check"],
});
