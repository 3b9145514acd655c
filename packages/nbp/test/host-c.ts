// Builds one of the platform's C files with a test driver (fixtures/*.c)
// for the host, as a 32-bit program (gcc -m32), in a temporary folder that
// is removed after the calling test file's tests.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

const platformDir = join(__dirname, "..", "platform");

/**
 * Registers the build (beforeAll) and clean-up (afterAll); returns the path
 * the program will have. `platformFile` null: the driver alone (it may still
 * include the platform's headers).
 */
export function hostProgram(driver: string, platformFile: string | null, flags: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "pxe-host-c-"));
  const exe = join(dir, "driver");
  beforeAll(() => {
    execFileSync("gcc", ["-m32", ...flags, "-Wall", "-Wno-unused-parameter", "-I", platformDir, "-o", exe,
      join(__dirname, "fixtures", driver), ...(platformFile === null ? [] : [join(platformDir, platformFile)])]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return exe;
}
