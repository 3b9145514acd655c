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
/**
 * Largest loader (JavaScript with its NUL) a second-stage file may carry:
 * platform/stage2.c reads the file 16 MiB above the loader's place and
 * decodes it down into it.
 */
export const MAX_LOADER_BYTES = 16 << 20;
const LDR_MAGIC = 0x4c50424e; // "NBPL"
const LDR_HEADER = 16;
/** Extension of the second-stage loader file (platform/stage2.c: the boot file's name with this extension). */
export const LOADER_FILE_EXTENSION = ".ldr";

/** Sizes of the parts of an image. */
export interface ImageLayout {
  stubBytes: number;
  engineBytes: number;
  engineCompressed: number;
  loaderBytes: number;
  loaderCompressed: number;
  /** Bytes of pxehttp.0 itself. */
  totalBytes: number;
  /** Bytes of the second-stage loader file (0 when the loader is inside the image). */
  loaderFileBytes: number;
}

/** What assembleImage returns. */
export interface AssembledImage {
  /** The NBP (pxehttp.0). */
  image: Uint8Array;
  /** The second-stage loader file (serve it beside the NBP), unless the loader is embedded. */
  loaderFile?: Uint8Array;
  layout: ImageLayout;
}

/** Options of {@link assembleImage}. */
export interface AssembleOptions {
  /**
   * Put the loader inside the NBP (one file, for small loaders) instead of
   * a second-stage file the NBP fetches by TFTP (default false).
   */
  embed?: boolean;
}

/** FNV-1a over the stub and the engine: the id pairing an NBP with its second-stage file. */
export function buildId(stub: Uint8Array, engine: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const part of [stub.subarray(0, HDR + 24), engine]) {
    for (let i = 0; i < part.length; i++) h = Math.imul(h ^ part[i], 0x01000193);
  }
  return h >>> 0;
}

/** Builds the image from the stub, the engine and the loader's JavaScript source. */
export function assembleImage(stub: Uint8Array, engine: Uint8Array, loaderJs: Uint8Array, options: AssembleOptions = {}): AssembledImage {
  const dv = new DataView(stub.buffer, stub.byteOffset, stub.byteLength);
  if (dv.getUint32(HDR, true) !== HDR_MAGIC) throw new NbpBuildError("stub.bin: header magic not found");
  const stubLen = dv.getUint32(HDR + 20, true);
  if (stubLen !== stub.length) throw new NbpBuildError(`stub.bin: header says ${stubLen} bytes, file has ${stub.length}`);
  const js = new Uint8Array(loaderJs.length + 1); // NUL-terminated for JS_Eval
  js.set(loaderJs);
  if (js.length > MAX_LOADER_BYTES) throw new NbpBuildError(`loader is ${js.length} bytes; at most ${MAX_LOADER_BYTES} fit`);
  const ec = lzCompress(engine);
  const jc = lzCompress(js);
  const embed = options.embed === true;
  const image = new Uint8Array(stub.length + ec.length + (embed ? jc.length : 0));
  image.set(stub);
  image.set(ec, stub.length);
  if (embed) image.set(jc, stub.length + ec.length);
  const h = new DataView(image.buffer);
  h.setUint32(HDR + 4, ec.length, true);
  h.setUint32(HDR + 8, engine.length, true);
  h.setUint32(HDR + 12, embed ? jc.length : 0, true);
  h.setUint32(HDR + 16, embed ? js.length : 0, true);
  // The build id a second-stage file must carry: the engine and stub it runs on.
  const id = buildId(stub, engine);
  h.setUint32(HDR + 24, id, true);
  let loaderFile: Uint8Array | undefined;
  if (!embed) {
    loaderFile = new Uint8Array(LDR_HEADER + jc.length);
    const l = new DataView(loaderFile.buffer);
    l.setUint32(0, LDR_MAGIC, true);
    l.setUint32(4, id, true);
    l.setUint32(8, js.length, true);
    l.setUint32(12, jc.length, true);
    loaderFile.set(jc, LDR_HEADER);
  }
  const layout: ImageLayout = {
    stubBytes: stub.length,
    engineBytes: engine.length,
    engineCompressed: ec.length,
    loaderBytes: loaderJs.length,
    loaderCompressed: jc.length,
    totalBytes: image.length,
    loaderFileBytes: loaderFile?.length ?? 0,
  };
  if (image.length > MAX_IMAGE_BYTES) {
    throw new NbpBuildError(`image is ${image.length} bytes; a PXE NBP must stay below ${MAX_IMAGE_BYTES} bytes (loader compresses to ${jc.length}${embed ? "; build without embedding the loader" : ""})`);
  }
  return { image, loaderFile, layout };
}

/** The second-stage file's name for an NBP file name: pxehttp.0 -> pxehttp.ldr (as platform/stage2.c derives it). */
export function loaderFileName(nbpName: string): string {
  const slash = nbpName.lastIndexOf("/");
  const dot = nbpName.lastIndexOf(".");
  const stem = dot > slash + 1 ? nbpName.slice(0, dot) : nbpName;
  return stem + LOADER_FILE_EXTENSION;
}
