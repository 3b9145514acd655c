import { writeU16be } from "@pxe/core";
import { DnsEncodeError } from "../errors.js";
import { labelsToName, nameToLabels } from "./name.js";

/**
 * Sequential writer for DNS messages with optional name compression. With
 * `out` null it only counts, which is how `encodingLength` gets the exact
 * compressed size. Offsets are relative to `base` (the message start).
 */
export class DnsWriter {
  /** Current absolute write offset. */
  pos: number;
  private readonly table = new Map<string, number>();

  constructor(readonly out: Uint8Array | null, readonly base: number, readonly compress: boolean) {
    this.pos = base;
  }

  /** Writes one byte. */
  u8(v: number): void {
    if (this.out) this.out[this.pos] = v & 255;
    this.pos++;
  }

  /** Writes a big-endian u16. */
  u16(v: number): void {
    this.u8(v >>> 8);
    this.u8(v);
  }

  /** Writes a big-endian u32. */
  u32(v: number): void {
    this.u16(Math.floor(v / 0x10000) & 0xffff);
    this.u16(v & 0xffff);
  }

  /** Writes raw bytes. */
  bytes(b: Uint8Array): void {
    if (this.out) this.out.set(b, this.pos);
    this.pos += b.length;
  }

  /** Reserves a u16 to patch later; returns its offset. */
  reserve16(): number {
    const at = this.pos;
    this.u16(0);
    return at;
  }

  /** Writes `v` at an earlier offset. */
  patch16(at: number, v: number): void {
    if (v > 0xffff) throw new DnsEncodeError("rdata", `${v} bytes exceed 65535`);
    if (this.out) {
      writeU16be(this.out, at, v);
    }
  }

  /**
   * Writes a name, pointing at an earlier copy of its longest suffix when
   * compressing (exact-case match, so decoding gives back the same text).
   */
  name(name: string, compress = this.compress): void {
    const labels = nameToLabels(name);
    for (let i = 0; i < labels.length; i++) {
      const key = labelsToName(labels.slice(i));
      if (compress) {
        const at = this.table.get(key);
        if (at !== undefined) {
          this.u16(0xc000 | at);
          return;
        }
        const rel = this.pos - this.base;
        if (rel < 0x4000) this.table.set(key, rel);
      }
      this.u8(labels[i].length);
      this.bytes(labels[i]);
    }
    this.u8(0);
  }
}
