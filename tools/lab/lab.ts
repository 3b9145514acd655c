/**
 * The network lab of @pxe's network tests and benchmarks: a network
 * namespace with a unique name, a TAP in it attached to Node through the
 * undi TAP backend (socat), the Linux side holding one or more addresses,
 * real servers started inside the namespace with config files in a temp
 * dir, and a teardown that always runs (servers killed, TAP and namespace
 * deleted, temp dir removed) — call `close()` in afterAll; a process-exit
 * hook deletes namespaces left over by a crash.
 *
 * Traffic goes only to addresses inside the namespace the lab made.
 * Needs root, iproute2 and socat (plus the servers used).
 */
import type { Platform } from "@pxe/core";
import type { InterfaceConfigInput } from "@pxe/ip";
import { Stack } from "@pxe/sockets";
import { nodeHost } from "@pxe/sockets/node";
import type { LinkDriver } from "@pxe/undi";
import { TapLink } from "@pxe/undi/node";
import { LabNetns, type LabNetnsOptions } from "./lab-netns.js";
import { nodePlatform } from "./platform.js";

export { ip, ipTry, killPid, uniqueTag, createNetns, destroyNetnsSync, netnsPids, labNetnsName, sweepStaleLabs, LAB_PREFIX } from "./netns.js";
export { nodePlatform } from "./platform.js";
export { LabNetns, type LabNetnsOptions, type Pollable, type RunResult, type Server } from "./lab-netns.js";

/** Options of {@link Lab.create}. */
export interface LabOptions extends LabNetnsOptions {
  /** Our MAC (default 02:50:58:45:xx:02). */
  mac?: Uint8Array;
  /** Write every frame to this pcap file. */
  pcapFile?: string;
}

/** Options of {@link Lab.stack}. */
export interface LabStackOptions {
  /** Host services (default {@link nodePlatform}). */
  platform?: Platform;
  /** Merged over the static configuration clientIp/24 (e.g. `dns`, `domain`); null: unconfigured, for DHCP to configure. */
  config?: InterfaceConfigInput | null;
}

/** One lab: namespace + TAP (attached to this process) + servers. */
export class Lab extends LabNetns {
  private tap: TapLink | undefined;

  /** The TAP backend link (our side). */
  get link(): TapLink {
    if (!this.tap) throw new Error(`lab ${this.ns}: no TAP`);
    return this.tap;
  }

  /** Makes the namespace, the TAP (moved into it, addresses set) and the temp dir. Cleans up itself when a step fails. */
  static override async create(o: LabOptions): Promise<Lab> {
    const lab = new Lab(o);
    try {
      const tap = await TapLink.create({ ifname: lab.ifname, netns: lab.ns, mac: o.mac ?? Uint8Array.of(0x02, 0x50, 0x58, 0x45, Math.floor(Math.random() * 256), 0x02), pcapFile: o.pcapFile });
      lab.tap = tap;
      lab.onClose(() => tap.dispose());
      lab.addressTap();
      return lab;
    } catch (e) {
      await lab.close();
      throw e;
    }
  }

  /**
   * Our Stack on the TAP (or on `link`, e.g. an ImpairedLink wrapping
   * `lab.link`), by default with the static configuration clientIp/24,
   * driven by Node timers that wake when frames arrive. The wake is deferred
   * with setImmediate, so every datagram libuv read in the same turn is
   * queued before the stack polls: one poll handles a burst of frames (large
   * reads, fewer wake-ups) instead of one frame per wake-up.
   */
  stack(link: LinkDriver = this.link, opts: LabStackOptions = {}): Stack {
    const tap = this.link;
    const platform = opts.platform ?? nodePlatform;
    const config = opts.config === null ? undefined : { address: this.clientIp, prefix: 24, ...opts.config };
    return new Stack({ link, platform, config, driver: nodeHost({ now: platform.now, wake: (l) => tap.onReadable(() => setImmediate(l)) }) });
  }
}
