#!/usr/bin/env node
// The `pxe` command: the pxehttp> console on Node (see `pxe --help`).
import { runCli } from "../dist/node.js";

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`pxe: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
