import { concat } from "@pxe/core";
import { encodePcapHeader, encodePcapRecord, LINKTYPE_ETHERNET } from "./format.js";

/** Options of a pcap writer. */
export interface PcapWriterOptions {
  /** Receives each chunk as it is produced (the header first); without it, chunks are kept for bytes(). */
  sink?: (chunk: Uint8Array) => void;
  /** Capture length; longer frames are cut (default 65535). */
  snaplen?: number;
  /** Link type (default LINKTYPE_ETHERNET). */
  linktype?: number;
  /** Added to every time passed to write() (e.g. the epoch ms when `now` started at 0). */
  epochMs?: number;
}

/**
 * Writes a classic little-endian, microsecond libpcap stream that Wireshark
 * and tcpdump open. Core code: produces Uint8Array chunks; a Node adapter
 * appends them to a file.
 */
export class PcapWriter {
  private readonly chunks: Uint8Array[] = [];
  private readonly snaplen: number;
  private readonly epochMs: number;
  /** Frames written. */
  count = 0;

  /** Emits the global header at once. */
  constructor(private readonly options: PcapWriterOptions = {}) {
    this.snaplen = options.snaplen ?? 65535;
    this.epochMs = options.epochMs ?? 0;
    this.emit(encodePcapHeader({
      littleEndian: true, nanosecond: false, versionMajor: 2, versionMinor: 4, thiszone: 0, sigfigs: 0,
      snaplen: this.snaplen, linktype: options.linktype ?? LINKTYPE_ETHERNET,
    }));
  }

  private emit(chunk: Uint8Array): void {
    if (this.options.sink) this.options.sink(chunk);
    else this.chunks.push(chunk);
  }

  /** Records `frame` (copied) at time `timeMs` (ms, plus epochMs). */
  write(timeMs: number, frame: Uint8Array): void {
    const t = Math.max(0, timeMs + this.epochMs);
    let sec = Math.floor(t / 1000);
    let us = Math.round((t - sec * 1000) * 1000);
    if (us >= 1_000_000) {
      sec++;
      us -= 1_000_000;
    }
    const data = frame.length > this.snaplen ? frame.subarray(0, this.snaplen) : frame;
    this.emit(encodePcapRecord({ tsSec: sec >>> 0, tsFrac: us, origLen: frame.length, data }, true));
    this.count++;
  }

  /** The whole file so far (only without a sink). */
  bytes(): Uint8Array {
    return concat(this.chunks);
  }
}
