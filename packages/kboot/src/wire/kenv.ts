// The static kernel environment: "name=value" strings each closed by a NUL,
// the list closed by an empty string (stand/common/metadata.c md_copyenv).
import { utf8Bytes } from "@pxe/core";
import { KenvError } from "../errors.js";

/** Kernel environment entries in order. */
export type KenvEntries = ReadonlyArray<readonly [name: string, value: string]>;

/** Encodes `entries`; KenvError for a name with '=' or a NUL, or an empty name. */
export function encodeKenv(entries: KenvEntries): Uint8Array {
  const parts: Uint8Array[] = [];
  let n = 1;
  for (const [name, value] of entries) {
    if (name === "") throw new KenvError(name, "empty name");
    if (name.indexOf("=") >= 0) throw new KenvError(name, "a name cannot contain '='");
    if (name.indexOf("\0") >= 0 || value.indexOf("\0") >= 0) throw new KenvError(name, "NUL inside a name or value");
    const b = utf8Bytes(`${name}=${value}`);
    parts.push(b);
    n += b.length + 1;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length + 1;
  }
  return out;
}
