import * as S from "../seq.js";
import { TcpFlags as FL } from "../wire/constants.js";
import type { TcpHeader } from "../wire/header.js";

/**
 * The RST that answers a segment for which no connection exists
 * (RFC 9293 §3.10.7.1), or undefined when the segment is itself a RST.
 * With ACK: <SEQ=SEG.ACK><CTL=RST>; without: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
 */
export function resetReplyFor(h: TcpHeader, payloadLength: number): TcpHeader | undefined {
  if (h.flags & FL.RST) return undefined;
  const base = { srcPort: h.dstPort, dstPort: h.srcPort, window: 0, checksum: 0, urgent: 0, options: [] };
  if (h.flags & FL.ACK) return { ...base, seq: h.ack >>> 0, ack: 0, flags: FL.RST };
  const len = payloadLength + (h.flags & FL.SYN ? 1 : 0) + (h.flags & FL.FIN ? 1 : 0);
  return { ...base, seq: 0, ack: S.add(h.seq, len), flags: FL.RST | FL.ACK };
}
