import { ManualClock, SeededRandom, seededPlatform } from "@pxe/core";
import type { InterfaceConfigInput } from "@pxe/ip";
import { MemoryLink } from "@pxe/ip/testing";
import { Stack, virtualHost } from "@pxe/sockets";
import type { LinkDriver, LinkInfo, LinkStatistics, PacketFilter } from "@pxe/undi";

/** Drops transmitted frames with probability `loss` (seeded): loss on the wire, so transmit still reports success. */
export class LossyLink implements LinkDriver {
  private readonly rng: SeededRandom;
  /** Frames dropped so far. */
  lost = 0;
  constructor(private readonly inner: LinkDriver, private readonly loss: number, seed: number) {
    this.rng = new SeededRandom(seed);
  }
  get info(): LinkInfo {
    return this.inner.info;
  }
  open(filter?: PacketFilter): void {
    this.inner.open(filter);
  }
  close(): void {
    this.inner.close();
  }
  transmit(frame: Uint8Array): boolean {
    if (this.rng.next() < this.loss) {
      this.lost++;
      return true;
    }
    return this.inner.transmit(frame);
  }
  poll(now: number, onFrame: (f: Uint8Array) => void, budget?: number): number {
    return this.inner.poll(now, onFrame, budget);
  }
  statistics(): LinkStatistics {
    return this.inner.statistics();
  }
}

/** A client stack (unconfigured unless given) and a server stack on one link; `serve` runs whenever the client idles. */
export function lossyPair(opts: { loss?: number; seed?: number; client?: InterfaceConfigInput; server?: InterfaceConfigInput; stepMs?: number } = {}) {
  const clock = new ManualClock(1000);
  const [la, lb] = MemoryLink.pair(Uint8Array.of(0x52, 0x54, 0, 0x12, 0x34, 0x56), Uint8Array.of(2, 0, 0, 0, 0, 1));
  const seed = opts.seed ?? 1;
  const loss = opts.loss ?? 0;
  const hooks: ((now: number) => void)[] = [];
  let server: Stack | undefined;
  const client = new Stack({
    link: new LossyLink(la, loss, seed * 3 + 1), platform: seededPlatform(seed, clock), config: opts.client,
    driver: virtualHost(clock, { stepMs: opts.stepMs ?? 5, beforeIdle: (n) => { server?.poll(n); for (const h of hooks) h(n); } }),
  });
  server = new Stack({
    link: new LossyLink(lb, loss, seed * 3 + 2), platform: seededPlatform(seed + 1, clock), config: opts.server ?? { address: "10.0.0.1", prefix: 24 },
    driver: virtualHost(clock, { beforeIdle: (n) => void client.poll(n) }),
  });
  return { clock, client, server, hooks };
}
