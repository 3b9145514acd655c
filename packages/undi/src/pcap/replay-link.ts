import type { LinkDriver, LinkInfo, LinkStatistics, PacketFilter } from "../link.js";
import { checkTransmit } from "../errors.js";
import { passesFilter } from "../filter.js";
import { parsePcap, recordTimeMs, type PcapFile } from "./format.js";

/** Options of the replay driver. */
export interface ReplayLinkOptions {
  /** Our MAC (default 02:00:00:00:00:01). */
  mac?: Uint8Array;
  /** MTU (default 1500). */
  mtu?: number;
  /** "recorded" (default): frame i is due at startAt + (t_i - t_0); "immediate": all due at once. */
  timing?: "recorded" | "immediate";
  /** `now` at which the first record plays (default: the first poll's now). */
  startAt?: number;
  /** Apply the open() filter to replayed frames (default false: deliver all). */
  applyFilter?: boolean;
}

/**
 * A LinkDriver that feeds the frames of a .pcap file as received input, by
 * their recorded timing, and keeps what is transmitted in `transmitted`.
 */
export class ReplayLink implements LinkDriver {
  /** MAC, MTU, link type 1, name "replay". */
  readonly info: LinkInfo;
  /** Frames transmitted (copies). */
  readonly transmitted: Uint8Array[] = [];
  /** The file being replayed. */
  readonly file: PcapFile;
  private next = 0;
  private start: number | undefined;
  private filter: PacketFilter | null = null;
  private readonly stats: LinkStatistics = { xmitGoodFrames: 0, rcvGoodFrames: 0, rcvCrcErrors: 0, rcvResourceErrors: 0, dropped: 0 };

  /** Replays `pcap` (bytes or a parsed file; PcapError when malformed). */
  constructor(pcap: Uint8Array | PcapFile, private readonly options: ReplayLinkOptions = {}) {
    this.file = pcap instanceof Uint8Array ? parsePcap(pcap) : pcap;
    this.info = { mac: (options.mac ?? Uint8Array.of(2, 0, 0, 0, 0, 1)).slice(), mtu: options.mtu ?? 1500, linkType: 1, name: "replay" };
    this.start = options.startAt;
  }

  /** Records remaining. */
  get remaining(): number {
    return this.file.records.length - this.next;
  }

  /** Starts delivering. */
  open(filter: PacketFilter = {}): void {
    this.filter = { ...filter };
  }

  /** Stops delivering. */
  close(): void {
    this.filter = null;
  }

  /** Records the frame. */
  transmit(frame: Uint8Array): boolean {
    checkTransmit(this.info, this.filter !== null, frame);
    this.transmitted.push(frame.slice());
    this.stats.xmitGoodFrames++;
    return true;
  }

  /** Delivers the records due by `now`. */
  poll(now: number, onFrame: (frame: Uint8Array) => void, budget = Infinity): number {
    if (!this.filter) return 0;
    if (this.start === undefined) this.start = now;
    const recs = this.file.records;
    const t0 = recs.length > 0 ? recordTimeMs(recs[0], this.file.nanosecond) : 0;
    let n = 0;
    while (n < budget && this.next < recs.length) {
      const r = recs[this.next];
      const due = this.options.timing === "immediate" ? this.start : this.start + (recordTimeMs(r, this.file.nanosecond) - t0);
      if (due > now) break;
      this.next++;
      if (this.options.applyFilter && !passesFilter(r.data, this.info.mac, this.filter)) {
        this.stats.dropped++;
        continue;
      }
      this.stats.rcvGoodFrames++;
      n++;
      onFrame(r.data);
    }
    return n;
  }

  /** Counters. */
  statistics(): LinkStatistics {
    return { ...this.stats };
  }
}
