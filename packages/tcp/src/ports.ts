import { freeEphemeralPort, type Platform } from "@pxe/core";

export { EPHEMERAL_PORT_MIN, EPHEMERAL_PORT_MAX } from "@pxe/core";

/**
 * A random ephemeral port (RFC 6056 style, @pxe/core's freeEphemeralPort)
 * not in `inUse`; throws RangeError when the whole range is taken.
 */
export function ephemeralPort(platform: Pick<Platform, "randomBytes">, inUse: (port: number) => boolean = () => false): number {
  const p = freeEphemeralPort(platform, inUse);
  if (p === undefined) throw new RangeError("no free ephemeral TCP port");
  return p;
}
