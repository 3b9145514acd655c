import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";

/** Finds a free UDP port on 127.0.0.1 by binding port 0 and releasing it. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket("udp4");
    s.once("error", reject);
    s.bind(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** True when some socket is bound to UDP `port` on 127.0.0.1 (from /proc/net/udp). */
export function udpPortBound(port: number): boolean {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  try {
    return readFileSync("/proc/net/udp", "utf8").includes(hex);
  } catch {
    return false;
  }
}
