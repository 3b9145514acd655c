// @pxe/nbp: the host API of pxehttp.0 and its adapters to @pxe/core and
// @pxe/undi. The image builder and CLI are Node-only (src/cli/).
export type { NbpHost, NbpPxeInfo, NbpImageInfo } from "./host-api.js";
export { hasNbpHost, nbpHost, NbpHostMissingError } from "./host-api.js";
export { nbpPxeCallPort, nbpPlatform, parseE820, type NbpPlatformOptions } from "./adapter.js";
export { bootImage, nbpBooter, reservedRanges, handoffWords, BootImageError, type BootImageOptions, type ReservedRange } from "./boot.js";
export { COPY_WORDS, CopyWord, ENTRY_WORDS, EntryWord, EntryKind, BootSelector } from "./handoff-layout.js";
