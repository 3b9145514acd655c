import { need, WireError } from "@pxe/core";
import { DnsNameError } from "../errors.js";
import { MAX_LABEL_LEN, MAX_NAME_LEN, MAX_POINTER_JUMPS } from "./constants.js";

/**
 * Domain names in presentation form: labels joined by ".", no trailing dot,
 * the root as ".". Inside a label "\." and "\\" stand for a literal dot and
 * backslash, and "\DDD" for any byte (used on decode for bytes outside
 * printable ASCII), as in RFC 1035 master files.
 */

/** Splits a presentation name into label bytes; throws DnsNameError when it is no valid name. */
export function nameToLabels(name: string): Uint8Array[] {
  if (name === "." || name === "") return [];
  const labels: Uint8Array[] = [];
  let cur: number[] = [];
  let total = 1;
  const close = () => {
    if (cur.length === 0) throw new DnsNameError(name, "empty label");
    if (cur.length > MAX_LABEL_LEN) throw new DnsNameError(name, `label of ${cur.length} bytes (at most ${MAX_LABEL_LEN})`);
    total += cur.length + 1;
    labels.push(Uint8Array.from(cur));
    cur = [];
  };
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2e) {
      if (i === name.length - 1) break; // one trailing dot: absolute name
      close();
    } else if (c === 0x5c) {
      const d = name.slice(i + 1, i + 4);
      if (/^\d{3}$/.test(d)) {
        const v = Number(d);
        if (v > 255) throw new DnsNameError(name, `escape \\${d} exceeds 255`);
        cur.push(v);
        i += 3;
      } else if (i + 1 < name.length) {
        cur.push(name.charCodeAt(i + 1) & 0xff);
        if (name.charCodeAt(i + 1) > 255) throw new DnsNameError(name, "non-Latin-1 character");
        i++;
      } else throw new DnsNameError(name, "dangling backslash");
    } else {
      if (c > 255) throw new DnsNameError(name, "non-Latin-1 character (IDN is not supported)");
      cur.push(c);
    }
  }
  close();
  if (total > MAX_NAME_LEN) throw new DnsNameError(name, `${total} bytes on the wire (at most ${MAX_NAME_LEN})`);
  return labels;
}

/** Presentation form of one label's bytes [start, start+len). */
export function labelText(data: Uint8Array, start: number, len: number): string {
  let s = "";
  for (let i = start; i < start + len; i++) {
    const b = data[i];
    if (b === 0x2e || b === 0x5c) s += "\\" + String.fromCharCode(b);
    else if (b > 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += "\\" + (b < 10 ? "00" : b < 100 ? "0" : "") + b;
  }
  return s;
}

/** Presentation form of label byte arrays. */
export function labelsToName(labels: readonly Uint8Array[]): string {
  return labels.length === 0 ? "." : labels.map((l) => labelText(l, 0, l.length)).join(".");
}

/** Canonical presentation form of `name` (escapes normalised, no trailing dot). Throws DnsNameError. */
export function normalizeName(name: string): string {
  return labelsToName(nameToLabels(name));
}

/** ASCII-case-insensitive name equality (RFC 4343). */
export function namesEqual(a: string, b: string): boolean {
  return a.length === b.length && lowerAscii(a) === lowerAscii(b);
}

/** Lower-cases ASCII letters only. */
export function lowerAscii(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) | 0x20));
}

/** Wire length of `name` without compression. */
export function nameWireLength(name: string): number {
  let n = 1;
  for (const l of nameToLabels(name)) n += l.length + 1;
  return n;
}

/**
 * Reads a possibly compressed name at `pos`. The inline part must lie in
 * [pos, inlineEnd); pointers are relative to `msgStart` and must land in
 * [msgStart, msgEnd). Every pointer must point strictly before the start
 * of the name or of the previous pointer's target, so no loop is possible;
 * jumps are also capped. Labels over 63 bytes, extended label types and
 * names over 255 bytes are rejected. Returns the name and the offset after
 * its inline part.
 */
export function readName(data: Uint8Array, msgStart: number, pos: number, inlineEnd: number, msgEnd: number): { name: string; next: number } {
  const what = "DNS name";
  need(what, data, msgStart, msgEnd, 0);
  let p = pos;
  let end = inlineEnd;
  let next = -1;
  let limit = pos;
  let jumps = 0;
  let wire = 1;
  const parts: string[] = [];
  for (;;) {
    if (p >= end) throw new WireError(what, p, "truncated name");
    const len = data[p];
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (p + 1 >= end) throw new WireError(what, p, "truncated compression pointer");
      const target = msgStart + (((len & 0x3f) << 8) | data[p + 1]);
      if (target >= limit) throw new WireError(what, p, `compression pointer to ${target - msgStart} does not point backwards`);
      if (++jumps > MAX_POINTER_JUMPS) throw new WireError(what, p, "too many compression pointers");
      if (next < 0) next = p + 2;
      limit = target;
      p = target;
      end = msgEnd;
      continue;
    }
    if (kind !== 0) throw new WireError(what, p, `unsupported label type 0x${kind.toString(16)}`);
    if (len === 0) {
      if (next < 0) next = p + 1;
      break;
    }
    if (p + 1 + len > end) throw new WireError(what, p, `label of ${len} bytes runs past the end`);
    wire += len + 1;
    if (wire > MAX_NAME_LEN) throw new WireError(what, p, `name longer than ${MAX_NAME_LEN} bytes`);
    parts.push(labelText(data, p + 1, len));
    p += 1 + len;
  }
  return { name: parts.length ? parts.join(".") : ".", next };
}
