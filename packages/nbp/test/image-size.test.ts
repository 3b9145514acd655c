// The default pxehttp.0 and its second-stage loader file, built for real
// (gcc, nasm, musl as the NBP build needs): both fit, with room to grow.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { buildNbp } from "../src/cli/build.js";
import { MAX_IMAGE_BYTES, MAX_LOADER_BYTES } from "../src/cli/image.js";

const dir = mkdtempSync(join(tmpdir(), "pxe-nbp-size-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Room the loader must keep to grow (issue 13: at least 200 KB). */
const LOADER_HEADROOM = 200 * 1024;
/** Room pxehttp.0 itself (stub + engine) keeps below the conventional-memory limit. */
const IMAGE_HEADROOM = 100 * 1024;

test("default build: pxehttp.0 below the PXE limit with room, the loader file with at least 200 KB to grow", async () => {
  const { out, loaderOut, layout } = await buildNbp({ out: join(dir, "pxehttp.0") });
  expect(loaderOut).toBe(join(dir, "pxehttp.ldr"));
  expect(readFileSync(out).length).toBe(layout.totalBytes);
  expect(readFileSync(loaderOut!).length).toBe(layout.loaderFileBytes);
  const imageRoom = MAX_IMAGE_BYTES - layout.totalBytes;
  const loaderRoom = MAX_LOADER_BYTES - (layout.loaderBytes + 1);
  process.stdout.write(`pxehttp.0 ${layout.totalBytes} bytes (room ${imageRoom}); loader ${layout.loaderBytes} bytes (room ${loaderRoom}), file ${layout.loaderFileBytes}\n`);
  expect(imageRoom).toBeGreaterThanOrEqual(IMAGE_HEADROOM);
  expect(loaderRoom).toBeGreaterThanOrEqual(LOADER_HEADROOM);
}, 600_000);
