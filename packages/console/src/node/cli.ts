// Development entry of the `pxe` CLI (the published bin is bin/pxe.mjs):
//   npx tsx --tsconfig tsconfig.node.json packages/console/src/node/cli.ts --no-link
import { runCli } from "./run-cli.js";

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`pxe: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
