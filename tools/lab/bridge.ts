/**
 * A kernel peer on the same kind of link our stack uses: two TAPs joined by
 * two socat processes over UDP on 127.0.0.1 — exactly the TAP backend's
 * socat/UDP path, with a second socat + TAP + Linux's own TCP/IP in place
 * of Node + our stack. One TAP sits in the lab's namespace (beside the
 * servers), the other in a second namespace for the kernel client (curl).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { freeUdpPort, udpPortBound } from "@pxe/undi/node";
import { createNetns, destroyNetnsSync, ip, labNetnsName } from "./netns.js";

/** A running socat/UDP/socat link between the lab namespace and a client namespace. */
export interface TapBridge {
  /** The client namespace (run curl here with `ip netns exec`). */
  readonly ns: string;
  /** Server-side address (in the lab namespace). */
  readonly serverIp: string;
  /** Client-side address (in `ns`). */
  readonly clientIp: string;
  /** Kills both socats and deletes the client namespace. Idempotent. */
  close(): void;
}

function socat(ifname: string, peerPort: number, ownPort: number, mtu: number): ChildProcess {
  return spawn("socat", ["-b", String(Math.max(65536, mtu + 14)), `TUN,tun-type=tap,tun-name=${ifname},iff-no-pi`, `UDP-DATAGRAM:127.0.0.1:${peerPort},bind=127.0.0.1:${ownPort}`], { stdio: "ignore" });
}

/** Builds the bridge: `subnet` is a /24 not used by the lab (server .1 in `labNs`, client .2 in a new namespace). */
export async function createTapBridge(labNs: string, subnet: string, mtu = 1500): Promise<TapBridge> {
  const ns = labNetnsName("br");
  const tag = ns.slice(ns.lastIndexOf("-") + 1);
  const ifS = `pbs${tag}`.slice(0, 15);
  const ifC = `pbc${tag}`.slice(0, 15);
  const [pS, pC] = [await freeUdpPort(), await freeUdpPort()];
  const procs: ChildProcess[] = [];
  const close = () => {
    for (const p of procs) if (p.exitCode === null) p.kill("SIGKILL");
    destroyNetnsSync(ns);
  };
  try {
    createNetns(ns);
    procs.push(socat(ifS, pC, pS, mtu), socat(ifC, pS, pC, mtu));
    // The TAPs stay down until both socats are bound: a frame sent to a port
    // nobody holds yet comes back as ICMP port unreachable, and socat exits on it.
    const ready = () => existsSync(`/sys/class/net/${ifS}`) && existsSync(`/sys/class/net/${ifC}`) && udpPortBound(pS) && udpPortBound(pC);
    for (let i = 0; i < 250 && !ready(); i++) await new Promise((r) => setTimeout(r, 20));
    if (!ready()) throw new Error("socat did not bring the bridge's TAPs up");
    ip("link", "set", "dev", ifS, "netns", labNs);
    ip("link", "set", "dev", ifC, "netns", ns);
    ip("-n", labNs, "addr", "add", `${subnet}.1/24`, "dev", ifS);
    ip("-n", ns, "addr", "add", `${subnet}.2/24`, "dev", ifC);
    ip("-n", labNs, "link", "set", "dev", ifS, "up");
    ip("-n", ns, "link", "set", "dev", ifC, "up");
  } catch (e) {
    close();
    throw e;
  }
  return { ns, serverIp: `${subnet}.1`, clientIp: `${subnet}.2`, close };
}
