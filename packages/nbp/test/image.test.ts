// Image assembly and loader bundling (Node only; no nasm/gcc needed).
import { describe, expect, test } from "vitest";
import { assembleImage, buildId, loaderFileName, MAX_IMAGE_BYTES } from "../src/cli/image.js";
import { lzDecompress } from "../src/cli/lz.js";
import { bundleLoader } from "../src/cli/bundle.js";
import { DEFAULT_LOADER } from "../src/cli/build.js";
import { NbpBuildError } from "../src/cli/errors.js";

/** A stand-in for stub.bin: a jump, the header (magic + stub length) and padding. */
function fakeStub(len = 256): Uint8Array {
  const s = new Uint8Array(len);
  const dv = new DataView(s.buffer);
  dv.setUint32(8, 0x3150424e, true);
  dv.setUint32(28, len, true);
  return s;
}

describe("assembleImage", () => {
  test("patches the header and appends both compressed parts", () => {
    const engine = Uint8Array.from({ length: 50_000 }, (_, i) => (i * 31) & 0xff);
    const js = new TextEncoder().encode("nbp.write('hi\\n');".repeat(100));
    const { image, layout } = assembleImage(fakeStub(), engine, js, { embed: true });
    const dv = new DataView(image.buffer);
    const ec = dv.getUint32(12, true);
    expect(dv.getUint32(16, true)).toBe(engine.length);
    const jc = dv.getUint32(20, true);
    expect(dv.getUint32(24, true)).toBe(js.length + 1);
    expect(image.length).toBe(256 + ec + jc);
    expect(lzDecompress(image.subarray(256, 256 + ec), engine.length)).toEqual(engine);
    const loader = lzDecompress(image.subarray(256 + ec), js.length + 1);
    expect(loader.subarray(0, js.length)).toEqual(js);
    expect(loader[js.length]).toBe(0); // NUL for JS_Eval
    expect(layout).toMatchObject({ stubBytes: 256, engineBytes: 50_000, loaderBytes: js.length, totalBytes: image.length });
  });

  test("default: the loader goes to a second-stage file carrying the image's build id", () => {
    const engine = Uint8Array.from({ length: 50_000 }, (_, i) => (i * 7) & 0xff);
    const js = new TextEncoder().encode("nbp.write('second stage\\n');".repeat(50));
    const stub = fakeStub();
    const { image, loaderFile, layout } = assembleImage(stub, engine, js);
    const dv = new DataView(image.buffer);
    const ec = dv.getUint32(12, true);
    expect(dv.getUint32(20, true)).toBe(0); // no loader inside
    expect(dv.getUint32(24, true)).toBe(0);
    expect(image.length).toBe(256 + ec);
    const id = dv.getUint32(32, true);
    expect(id).toBe(buildId(stub, engine));
    const l = new DataView(loaderFile!.buffer);
    expect(l.getUint32(0, true)).toBe(0x4c50424e); // "NBPL"
    expect(l.getUint32(4, true)).toBe(id);
    expect(l.getUint32(8, true)).toBe(js.length + 1);
    expect(l.getUint32(12, true)).toBe(loaderFile!.length - 16);
    const loader = lzDecompress(loaderFile!.subarray(16), js.length + 1);
    expect(loader.subarray(0, js.length)).toEqual(js);
    expect(layout.loaderFileBytes).toBe(loaderFile!.length);
    // Another engine gives another id: a stale .ldr is refused by the platform.
    expect(buildId(stub, engine.map((b) => b ^ 1))).not.toBe(id);
  });

  test("loaderFileName: the NBP's name with its extension replaced by .ldr", () => {
    expect(loaderFileName("/srv/tftp/pxehttp.0")).toBe("/srv/tftp/pxehttp.ldr");
    expect(loaderFileName("my.loader.0")).toBe("my.loader.ldr");
    expect(loaderFileName("/a.b/pxehttp")).toBe("/a.b/pxehttp.ldr");
  });

  test("rejects a stub without the header and images over the PXE size limit", () => {
    expect(() => assembleImage(new Uint8Array(64), new Uint8Array(10), new Uint8Array(1))).toThrow(NbpBuildError);
    let x = 1;
    const noise = Uint8Array.from({ length: MAX_IMAGE_BYTES }, () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24));
    expect(() => assembleImage(fakeStub(), noise, new Uint8Array(1))).toThrow(/must stay below/);
    expect(() => assembleImage(fakeStub(), noise.subarray(0, 1000), noise, { embed: true })).toThrow(/must stay below/);
  });
});

describe("bundleLoader", () => {
  test("bundles the default loader into one ES2020 script with @pxe/* from sources", async () => {
    const { js } = await bundleLoader(DEFAULT_LOADER);
    expect(js.length).toBeGreaterThan(10_000);
    expect(js).not.toMatch(/^\s*(import|export)\s/m);
    expect(js).not.toMatch(/\brequire\(/);
    expect(js).toMatch(/PXENV_UNDI_TRANSMIT/); // @pxe/undi was bundled in
    expect(js).toMatch(/pxehttp> /); // @pxe/console too
    expect(() => new Function(js)).not.toThrow(); // parses
  }, 60_000);

  test("reports a missing entry as NbpBuildError", async () => {
    await expect(bundleLoader("/nonexistent/loader.ts")).rejects.toThrow(NbpBuildError);
  });
});
