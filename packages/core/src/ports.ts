import { readU16be } from "./bytes.js";
import type { Platform } from "./platform.js";

/** Lowest ephemeral port: the IANA dynamic range, RFC 6335 §6 (49152-65535), that UDP and TCP draw from. */
export const EPHEMERAL_PORT_MIN = 49152;
/** Highest ephemeral port. */
export const EPHEMERAL_PORT_MAX = 65535;

/**
 * A free ephemeral port as RFC 6056 §3.3.1 picks one: a random start in
 * [EPHEMERAL_PORT_MIN, EPHEMERAL_PORT_MAX], then the next ports in turn
 * (wrapping) until one is not `inUse`; undefined when every port is taken
 * (the caller throws its own typed error).
 */
export function freeEphemeralPort(platform: Pick<Platform, "randomBytes">, inUse: (port: number) => boolean): number | undefined {
  const span = EPHEMERAL_PORT_MAX - EPHEMERAL_PORT_MIN + 1;
  const r = new Uint8Array(2);
  platform.randomBytes(r);
  const start = readU16be(r, 0) % span;
  for (let i = 0; i < span; i++) {
    const p = EPHEMERAL_PORT_MIN + ((start + i) % span);
    if (!inUse(p)) return p;
  }
  return undefined;
}

/**
 * A port number written in decimal ("8080", "00080"): 1..65535, or
 * undefined for anything else (0, a sign, white space, hex, an exponent,
 * more than five digits) — URL ports, console arguments, host:port suffixes.
 */
export function parsePort(text: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined;
  const p = Number(text);
  return p >= 1 && p <= 65535 ? p : undefined;
}
