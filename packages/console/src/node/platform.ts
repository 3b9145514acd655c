import { randomFillSync } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Platform } from "@pxe/core";

/** @pxe/core's Platform on Node: performance.now(), crypto random bytes, a write function (default stdout). */
export function nodePlatform(write: (text: string) => void = (t) => void process.stdout.write(t)): Platform {
  return {
    now: () => performance.now(),
    randomBytes: (out) => void randomFillSync(out),
    write,
  };
}
