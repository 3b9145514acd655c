// @pxe/httpfs — a read-only file system over HTTP.
export { HttpFs } from "./fs.js";
export type { FileStat, Listing, HttpFsOptions } from "./fs.js";
export { HttpFile } from "./file.js";
export type { ReadAheadOptions, Whence } from "./file.js";
export { parseIndex, detectFormat, decodeName } from "./index/parse.js";
export type { DirEntry, DirectoryIndex, IndexFormat } from "./index/parse.js";
export { extractAnchors, decodeEntities } from "./index/html.js";
export type { Anchor } from "./index/html.js";
export { findTime, findSize } from "./index/fields.js";
export type { ShownTime, ShownSize } from "./index/fields.js";
export { HttpFsError, NotADirectoryError, FileClosedError, SeekError, ReadError } from "./errors.js";
