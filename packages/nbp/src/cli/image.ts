/**
 * Assembles an NBP image: [stub][compressed engine][compressed loader], with
 * the sizes patched into the stub's header (platform/stub.asm, `hdr`).
 */
import { lzCompress } from "./lz.js";
import { NbpBuildError } from "./errors.js";

/** Byte offset of the stub header (after the 8-byte far jump). */
const HDR = 8;
const HDR_MAGIC = 0x3150424e; // "NBP1"
/** The ROM loads the NBP at 0x7C00; conventional memory ends at or below 0x9F000 (keep room). */
export const MAX_IMAGE_BYTES = 0x90000 - 0x7c00;

/** Sizes of the parts of an image. */
export interface ImageLayout {
  stubBytes: number;
  engineBytes: number;
  engineCompressed: number;
  loaderBytes: number;
  loaderCompressed: number;
  totalBytes: number;
}

/** Builds the image from the stub, the engine and the loader's JavaScript source. */
export function assembleImage(stub: Uint8Array, engine: Uint8Array, loaderJs: Uint8Array): { image: Uint8Array; layout: ImageLayout } {
  const dv = new DataView(stub.buffer, stub.byteOffset, stub.byteLength);
  if (dv.getUint32(HDR, true) !== HDR_MAGIC) throw new NbpBuildError("stub.bin: header magic not found");
  const stubLen = dv.getUint32(HDR + 20, true);
  if (stubLen !== stub.length) throw new NbpBuildError(`stub.bin: header says ${stubLen} bytes, file has ${stub.length}`);
  const js = new Uint8Array(loaderJs.length + 1); // NUL-terminated for JS_Eval
  js.set(loaderJs);
  const ec = lzCompress(engine);
  const jc = lzCompress(js);
  const image = new Uint8Array(stub.length + ec.length + jc.length);
  image.set(stub);
  image.set(ec, stub.length);
  image.set(jc, stub.length + ec.length);
  const h = new DataView(image.buffer);
  h.setUint32(HDR + 4, ec.length, true);
  h.setUint32(HDR + 8, engine.length, true);
  h.setUint32(HDR + 12, jc.length, true);
  h.setUint32(HDR + 16, js.length, true);
  const layout: ImageLayout = {
    stubBytes: stub.length,
    engineBytes: engine.length,
    engineCompressed: ec.length,
    loaderBytes: loaderJs.length,
    loaderCompressed: jc.length,
    totalBytes: image.length,
  };
  if (image.length > MAX_IMAGE_BYTES) {
    throw new NbpBuildError(`image is ${image.length} bytes; a PXE NBP must stay below ${MAX_IMAGE_BYTES} bytes (loader compresses to ${jc.length})`);
  }
  return { image, layout };
}
