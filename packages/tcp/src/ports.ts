import type { Platform } from "@pxe/core";

/** Lowest ephemeral port (IANA dynamic range, RFC 6335). */
export const EPHEMERAL_PORT_MIN = 49152;
/** Highest ephemeral port. */
export const EPHEMERAL_PORT_MAX = 65535;

/**
 * A random ephemeral port (RFC 6056 style) not in `inUse`; throws RangeError
 * when the whole range is taken.
 */
export function ephemeralPort(platform: Pick<Platform, "randomBytes">, inUse: (port: number) => boolean = () => false): number {
  const span = EPHEMERAL_PORT_MAX - EPHEMERAL_PORT_MIN + 1;
  const r = new Uint8Array(2);
  platform.randomBytes(r);
  const start = ((r[0] << 8) | r[1]) % span;
  for (let i = 0; i < span; i++) {
    const p = EPHEMERAL_PORT_MIN + ((start + i) % span);
    if (!inUse(p)) return p;
  }
  throw new RangeError("no free ephemeral TCP port");
}
