import { concat, need, WireError } from "@pxe/core";
import { DhcpEncodeError } from "../errors.js";
import { DhcpOptionCode } from "./constants.js";

/**
 * One DHCP option after RFC 3396 concatenation: all instances of `code`
 * (in the options field, then `file`, then `sname`) joined into `data`.
 */
export interface DhcpOption {
  /** Option code, 1..254. */
  readonly code: number;
  /** Option payload (any length; split into 255-byte pieces on the wire). */
  readonly data: Uint8Array;
}

/** Bytes `options` take on the wire, including the closing END. */
export function optionsLength(options: readonly DhcpOption[]): number {
  let n = 1;
  for (const o of options) n += optionWireLength(o);
  return n;
}

/** Wire length of one option, split into as many 255-byte instances as RFC 3396 needs. */
export function optionWireLength(o: DhcpOption): number {
  const pieces = o.data.length === 0 ? 1 : Math.ceil(o.data.length / 255);
  return pieces * 2 + o.data.length;
}

/** Writes `options` then END at `off`; returns the offset after END. */
export function writeOptions(options: readonly DhcpOption[], out: Uint8Array, off: number): number {
  // A byte table rather than Set<number>: QuickJS 2021-03-27 can miss float-tagged integer keys.
  const seen = new Uint8Array(256);
  for (const o of options) {
    if (!Number.isInteger(o.code) || o.code <= DhcpOptionCode.Pad || o.code >= DhcpOptionCode.End) {
      throw new DhcpEncodeError(`option ${o.code}`, "option codes are 1..254");
    }
    if (seen[o.code]) throw new DhcpEncodeError(`option ${o.code}`, "appears twice (merge the data instead)");
    seen[o.code] = 1;
    let p = 0;
    do {
      const n = Math.min(255, o.data.length - p);
      out[off++] = o.code;
      out[off++] = n;
      out.set(o.data.subarray(p, p + n), off);
      off += n;
      p += n;
    } while (p < o.data.length);
  }
  out[off++] = DhcpOptionCode.End;
  return off;
}

/** Accumulates option pieces across option areas, keeping first-seen order. */
export class OptionCollector {
  // Indexed by option code (an array, not Map<number>: see writeOptions), plus first-seen order.
  private readonly pieces: (Uint8Array[] | undefined)[] = [];
  private readonly order: number[] = [];

  /**
   * Parses one option area [start, end) of `data` (`area` names it in
   * errors). PAD is skipped; END or the end of the area stops. Every length
   * is checked against the area.
   */
  parseArea(area: string, data: Uint8Array, start: number, end: number): void {
    need(area, data, start, end, 0);
    let p = start;
    while (p < end) {
      const code = data[p];
      if (code === DhcpOptionCode.Pad) {
        p++;
        continue;
      }
      if (code === DhcpOptionCode.End) return;
      if (p + 1 >= end) throw new WireError(area, p, `option ${code} has no length byte`);
      const len = data[p + 1];
      if (p + 2 + len > end) throw new WireError(area, p, `option ${code} claims ${len} bytes, ${end - p - 2} remain`);
      let list = this.pieces[code];
      if (!list) {
        this.pieces[code] = list = [];
        this.order.push(code);
      }
      list.push(data.subarray(p + 2, p + 2 + len));
      p += 2 + len;
    }
  }

  /** The option's concatenated data so far, or undefined. */
  get(code: number): Uint8Array | undefined {
    const list = this.pieces[code];
    return list ? concat(list) : undefined;
  }

  /** All options, concatenated per RFC 3396, in first-seen order (fresh copies). */
  result(except?: number): DhcpOption[] {
    const out: DhcpOption[] = [];
    for (const code of this.order) if (code !== except) out.push({ code, data: concat(this.pieces[code]!) });
    return out;
  }
}
