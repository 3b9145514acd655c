import type { PacketFilter } from "./link.js";

/** True when `frame`'s destination passes `filter` for a station with address `mac`. */
export function passesFilter(frame: Uint8Array, mac: Uint8Array, filter: PacketFilter): boolean {
  if (filter.promiscuous) return true;
  if (frame.length < 6) return false;
  const bcast = frame[0] === 0xff && frame[1] === 0xff && frame[2] === 0xff && frame[3] === 0xff && frame[4] === 0xff && frame[5] === 0xff;
  if (bcast) return filter.broadcast ?? true;
  if (frame[0] & 1) return filter.multicast ?? false;
  for (let i = 0; i < 6; i++) if (frame[i] !== mac[i]) return false;
  return filter.directed ?? true;
}

/** "aa:bb:cc:dd:ee:ff" for a 6-byte MAC. */
export function macToString(mac: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i < mac.length; i++) out.push(mac[i].toString(16).padStart(2, "0"));
  return out.join(":");
}
