import { WireError } from "@pxe/core";
import { ChecksumError } from "../errors.js";
import type { DropReason } from "./counters.js";

/**
 * Maps a decode failure to its drop reason: ChecksumError -> "badChecksum",
 * a WireError about missing bytes -> "truncated", any other WireError ->
 * "malformed". Anything else is a bug and is rethrown.
 */
export function dropReasonOf(e: unknown): DropReason {
  if (e instanceof ChecksumError) return "badChecksum";
  if (e instanceof WireError) return /truncated|outside/.test(e.message) ? "truncated" : "malformed";
  throw e;
}
