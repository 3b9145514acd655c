import type { TcpHeader } from "../wire/header.js";

/**
 * A segment the connection wants sent: the header (checksum 0; the adapter
 * fills it with `encodeSegmentInto`) and the payload. `payload` may be a
 * view into the send buffer: encode or copy it before the next call into
 * the connection.
 */
export interface OutSegment {
  /** Header to send (ports, seq, ack, flags, window, options). */
  readonly header: TcpHeader;
  /** Payload bytes (possibly a view; see above). */
  readonly payload: Uint8Array;
}

/** Payload length plus one for each of SYN and FIN (sequence space used). */
export function segmentSeqLength(flags: number, payloadLength: number): number {
  return payloadLength + (flags & 0x02 ? 1 : 0) + (flags & 0x01 ? 1 : 0);
}
