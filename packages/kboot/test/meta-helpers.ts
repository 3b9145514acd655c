// Reads a metadata blob back into files the way the kernel's preload_search_*
// walk it: a file starts at MODINFO_NAME and owns the records until the next.
import { decodeModinfo, MODINFO } from "@pxe/kboot";

export interface MetaFile {
  name: string;
  type: string;
  args?: string;
  addr: bigint;
  size: bigint;
  /** MODINFO_METADATA|x records in order: [x, data]. */
  md: Array<[number, Uint8Array]>;
}

const cstr = (d: Uint8Array) => String.fromCharCode(...d.subarray(0, d.length - 1));
const uint = (d: Uint8Array) => {
  let v = 0n;
  for (let i = d.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(d[i]);
  return v;
};

/** Parses the metadata; throws if it does not end with MODINFO_END. */
export function metaFiles(bytes: Uint8Array, width: 32 | 64): MetaFile[] {
  const recs = decodeModinfo(bytes, width);
  if (!recs) throw new Error("metadata does not end with MODINFO_END");
  const out: MetaFile[] = [];
  for (const r of recs) {
    if (r.type === MODINFO.NAME) {
      out.push({ name: cstr(r.data), type: "", addr: -1n, size: -1n, md: [] });
      continue;
    }
    const f = out[out.length - 1];
    if (r.type === MODINFO.TYPE) f.type = cstr(r.data);
    else if (r.type === MODINFO.ARGS) f.args = cstr(r.data);
    else if (r.type === MODINFO.ADDR) f.addr = uint(r.data);
    else if (r.type === MODINFO.SIZE) f.size = uint(r.data);
    else if (r.type & MODINFO.METADATA) f.md.push([r.type & ~MODINFO.METADATA, r.data]);
    else throw new Error(`unexpected record type ${r.type}`);
  }
  return out;
}

/** The value of metadata `type` of `f` as an unsigned integer. */
export function mdValue(f: MetaFile, type: number): bigint {
  const r = f.md.find(([t]) => t === type);
  if (!r) throw new Error(`${f.name} has no metadata ${type}`);
  return uint(r[1]);
}

/** The bytes of metadata `type` of `f`. */
export function mdBytes(f: MetaFile, type: number): Uint8Array {
  const r = f.md.find(([t]) => t === type);
  if (!r) throw new Error(`${f.name} has no metadata ${type}`);
  return r[1];
}

export { uint };
