// loader.conf in FreeBSD's syntax and order (the "conf" part of @pxe/kboot).
export { LoaderConfError } from "./errors.js";
export { parseLoaderConf } from "./parse.js";
export type { ConfStatement, ModuleField } from "./parse.js";
export { LoaderConf } from "./config.js";
export type { ConfOrigin, ModuleEntry } from "./config.js";
export { readLoaderConf, readConf, DEFAULTS_CONF, FALLBACK_CONF_FILES, FALLBACK_LOCAL_CONF_FILES, LOADER_ONLY_VARS } from "./read.js";
export type { ConfSource } from "./read.js";
export { kernelCandidates, moduleCandidates, modulePathAfterKernel, splitList, joinPath, dirName, PATH_DEFAULTS } from "./paths.js";
export type { Candidate } from "./paths.js";
