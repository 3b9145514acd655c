import { utf8Bytes } from "@pxe/core";

const HEX = "0123456789ABCDEF";

/** Characters RFC 3986 calls unreserved: never need encoding, and %XX of them decodes. */
export function isUnreserved(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e;
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Normalises percent-encoding of one URL component (RFC 3986 §6.2.2):
 * %XX of unreserved characters is decoded, other %xx get upper-case hex,
 * a '%' not followed by two hex digits becomes %25, and every character
 * outside `allowed` (plus unreserved) is UTF-8 encoded as %XX.
 */
export function normalizePercent(s: string, allowed: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const h = i + 2 < s.length ? hexVal(s.charCodeAt(i + 1)) : -1;
      const l = i + 2 < s.length ? hexVal(s.charCodeAt(i + 2)) : -1;
      if (h >= 0 && l >= 0) {
        const v = h * 16 + l;
        out += isUnreserved(v) ? String.fromCharCode(v) : "%" + HEX[h] + HEX[l];
        i += 2;
      } else out += "%25";
    } else if (c < 0x80 && (isUnreserved(c) || allowed.indexOf(s[i]) >= 0)) {
      out += s[i];
    } else {
      // Encode the whole code point as UTF-8.
      let cp = s[i];
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) {
          cp += s[i + 1];
          i++;
        }
      }
      const b = utf8Bytes(cp);
      for (let k = 0; k < b.length; k++) out += "%" + HEX[b[k] >> 4] + HEX[b[k] & 15];
    }
  }
  return out;
}

/** Decodes %XX escapes to bytes (other characters as UTF-8), e.g. for userinfo in Basic auth. */
export function percentDecodeBytes(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && i + 2 < s.length + 0 && hexVal(s.charCodeAt(i + 1)) >= 0 && hexVal(s.charCodeAt(i + 2)) >= 0) {
      out.push(hexVal(s.charCodeAt(i + 1)) * 16 + hexVal(s.charCodeAt(i + 2)));
      i += 2;
    } else if (c < 0x80) out.push(c);
    else {
      let ch = s[i];
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
        ch += s[i + 1];
        i++;
      }
      const b = utf8Bytes(ch);
      for (let k = 0; k < b.length; k++) out.push(b[k]);
    }
  }
  return Uint8Array.from(out);
}

/** Sub-delimiters of RFC 3986 (allowed literally in most components). */
export const SUB_DELIMS = "!$&'()*+,;=";
/** Characters left as they are in a path segment (besides unreserved). */
export const PATH_CHARS = SUB_DELIMS + ":@/";
/** Characters left as they are in a query. */
export const QUERY_CHARS = SUB_DELIMS + ":@/?";
/** Characters left as they are in userinfo (':' separates user and password, so not in each part). */
export const USERINFO_CHARS = SUB_DELIMS;
