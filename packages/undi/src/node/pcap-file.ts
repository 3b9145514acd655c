import { closeSync, openSync, writeSync } from "node:fs";
import { PcapWriter } from "../pcap/writer.js";

/** A PcapWriter appending synchronously to a file, plus close(). */
export interface PcapFileWriter {
  /** The writer (write(timeMs, frame)). */
  readonly writer: PcapWriter;
  /** Closes the file. Idempotent. */
  close(): void;
}

/** Creates (truncates) `path` and returns a PcapWriter that streams to it. */
export function createPcapFile(path: string, snaplen = 65535): PcapFileWriter {
  let fd: number | null = openSync(path, "w");
  const writer = new PcapWriter({
    snaplen,
    sink: (chunk) => {
      if (fd !== null) writeSync(fd, chunk);
    },
  });
  return {
    writer,
    close() {
      if (fd !== null) {
        closeSync(fd);
        fd = null;
      }
    },
  };
}
