import { randomFillSync } from "node:crypto";
import type { Platform } from "@pxe/core";

/** The @pxe Platform on Node: performance.now clock, crypto random, stdout. */
export const nodePlatform: Platform = {
  now: () => performance.now(),
  randomBytes: (b) => void randomFillSync(b),
  write: (s) => void process.stdout.write(s),
};
