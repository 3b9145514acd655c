/**
 * The test's own FreeBSD /sbin/init (init-amd64.asm, init-i386.asm),
 * assembled with nasm into a static ELF that a real FreeBSD kernel starts
 * as process 1. It prints lines a test can wait for:
 *
 *     PXE-INIT: started (amd64)
 *     PXE-INIT: argv /sbin/init -s
 *     PXE-INIT: kenv pxe.test=hello
 *     PXE-INIT: powering off
 *
 * then powers the machine off (reboot(RB_POWEROFF)), so QEMU exits.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PxeError } from "@pxe/core";

/** The FreeBSD architectures the fixtures exist for. */
export type FreebsdArch = "amd64" | "i386";

/** Options of {@link buildFreebsdInit}. */
export interface FreebsdInitOptions {
  /** Kernel environment variable that init reads with kenv(2) and prints (default "pxe.test"). */
  kenvName?: string;
  /** Prefix of every line init prints (default "PXE-INIT"). */
  marker?: string;
}

/** Thrown when the init fixture cannot be built (bad option, nasm missing or failing). */
export class FreebsdFixtureError extends PxeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("FREEBSD_FIXTURE", message, options);
  }
}

/** The default kenv variable init prints. */
export const INIT_KENV_NAME = "pxe.test";
/** The default prefix of init's lines. */
export const INIT_MARKER = "PXE-INIT";

/** Patterns for init's lines, for `vm.waitFor`. */
export const initLines = {
  /** init started; group 1 is the architecture it was built for. */
  started: (marker = INIT_MARKER): RegExp => new RegExp(`${marker}: started \\((amd64|i386)\\)`),
  /** The arguments; group 1 is everything after "argv " (e.g. "/sbin/init -s"). */
  argv: (marker = INIT_MARKER): RegExp => new RegExp(`${marker}: argv ([^\\n]*)\\n`),
  /** The kenv value; group 1 is the value, or undefined when the variable is not set. */
  kenv: (name = INIT_KENV_NAME, marker = INIT_MARKER): RegExp =>
    new RegExp(`${marker}: kenv ${name.replace(/\./g, "\\.")}(?:=([^\\n]*)| is not set)\\n`),
  /** init is about to call reboot(RB_POWEROFF). */
  poweroff: (marker = INIT_MARKER): RegExp => new RegExp(`${marker}: powering off`),
};

const SAFE = /^[A-Za-z0-9._-]{1,64}$/;

/** Assembles the init for `arch`; returns the ELF file's bytes. Needs nasm. */
export function buildFreebsdInit(arch: FreebsdArch, opts: FreebsdInitOptions = {}): Uint8Array {
  const kenvName = opts.kenvName ?? INIT_KENV_NAME;
  const marker = opts.marker ?? INIT_MARKER;
  for (const [what, v] of [["kenvName", kenvName], ["marker", marker]] as const) {
    if (!SAFE.test(v)) throw new FreebsdFixtureError(`init ${what} ${JSON.stringify(v)}: use 1-64 of A-Z a-z 0-9 . _ -`);
  }
  const dir = mkdtempSync(join(tmpdir(), "pxe-fbsd-init-"));
  try {
    const out = join(dir, "init");
    try {
      execFileSync("nasm", ["-f", "bin", "-i", `${import.meta.dirname}/`, `-DKENV_NAME='${kenvName}'`, `-DMARKER='${marker}'`, "-o", out,
        join(import.meta.dirname, `init-${arch}.asm`)], { stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
      throw new FreebsdFixtureError(`nasm could not assemble init-${arch}.asm${stderr ? `: ${stderr}` : ""}`, { cause: e });
    }
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
