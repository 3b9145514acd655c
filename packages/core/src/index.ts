export type { Platform, Accelerators } from "./platform.js";
export { PxeError, WireError, TimeoutError, need } from "./errors.js";
export { WouldBlockError, SocketClosedError, NotConnectedError } from "./socket-errors.js";
export type { Codec, Decoded } from "./codec.js";
export { encode, decode } from "./codec.js";
export { view, concat, bytesEqual, toHex, fromHex, asciiBytes, latin1, utf8Bytes, utf8 } from "./bytes.js";
export { onesSumTs, onesSum, fold, internetChecksum } from "./checksum.js";
export { SeededRandom } from "./random.js";
export { ManualClock, seededPlatform } from "./manual-platform.js";
