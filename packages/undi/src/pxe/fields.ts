import { need, latin1, formatIpv4, parseDottedQuad, type Codec, type Decoded, readU16be, readU32be, writeU16be, writeU32be, readU16le, readU32le, writeU16le, writeU32le } from "@pxe/core";
import { SegOff } from "./segoff.js";

/**
 * One fixed-size field of a packed PXE structure: its size and how to read
 * and write it. Readers run only after the whole structure's length has been
 * checked, so they never look past the data.
 */
export interface FieldKind<V> {
  /** Size in bytes. */
  readonly size: number;
  /** Reads the field at `off`. */
  read(u8: Uint8Array, off: number): V;
  /** Writes `v` at `off`; throws RangeError when `v` does not fit the field. */
  write(u8: Uint8Array, off: number, v: V): void;
}

function checkInt(v: number, max: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`${what} out of range: ${v}`);
}

/** Unsigned byte. */
export const u8: FieldKind<number> = {
  size: 1,
  read: (b, o) => b[o],
  write: (b, o, v) => {
    checkInt(v, 0xff, "u8");
    b[o] = v;
  },
};

/** Little-endian unsigned 16-bit word (PXE's UINT16_t). */
export const u16: FieldKind<number> = {
  size: 2,
  read: readU16le,
  write: (b, o, v) => {
    checkInt(v, 0xffff, "u16");
    writeU16le(b, o, v);
  },
};

/** Big-endian (network order) 16-bit word, PXE's UDP_PORT_t. */
export const u16be: FieldKind<number> = {
  size: 2,
  read: readU16be,
  write: (b, o, v) => {
    checkInt(v, 0xffff, "port");
    writeU16be(b, o, v);
  },
};

/** Little-endian unsigned 32-bit word (UINT32_t, ADDR32_t). */
export const u32: FieldKind<number> = {
  size: 4,
  read: readU32le,
  write: (b, o, v) => {
    checkInt(v, 0xffffffff, "u32");
    writeU32le(b, o, v);
  },
};

/** Big-endian 32-bit word (DHCP xid). */
export const u32be: FieldKind<number> = {
  size: 4,
  read: readU32be,
  write: (b, o, v) => {
    checkInt(v, 0xffffffff, "u32");
    writeU32be(b, o, v);
  },
};

/** SEGOFF16_t: offset word then segment word, as a SegOff. */
export const segoff: FieldKind<SegOff> = {
  size: 4,
  read: (b, o) => new SegOff(readU16le(b, o + 2), readU16le(b, o)),
  write: (b, o, v) => {
    u16.write(b, o, v.offset);
    u16.write(b, o + 2, v.segment);
  },
};

/** Dotted-quad text of 4 bytes in network order. */
export function ip4ToString(b: Uint8Array, o = 0): string {
  return formatIpv4(readU32be(b, o));
}

/** Parses "a.b.c.d" (strict: no leading zeros) into 4 bytes; throws RangeError on anything else. */
export function ip4FromString(s: string): Uint8Array {
  const v = parseDottedQuad(s, true);
  if (v === undefined) throw new RangeError(`not an IPv4 address: ${s}`);
  const out = new Uint8Array(4);
  writeU32be(out, 0, v);
  return out;
}

/** IP4_t: an IPv4 address in network order, as dotted-quad text. */
export const ip4: FieldKind<string> = {
  size: 4,
  read: (b, o) => ip4ToString(b, o),
  write: (b, o, v) => b.set(ip4FromString(v), o),
};

/** Raw bytes of a fixed length (MAC_ADDR_t is bytes(16), reserved areas). */
export function bytes(n: number): FieldKind<Uint8Array> {
  return {
    size: n,
    read: (b, o) => b.slice(o, o + n),
    write: (b, o, v) => {
      if (v.length !== n) throw new RangeError(`expected ${n} bytes, got ${v.length}`);
      b.set(v, o);
    },
  };
}

/** PXE's MAC_ADDR_t: 16 bytes, of which HwAddrLen (6 for Ethernet) are used. */
export const mac16 = bytes(16);

/**
 * A NUL-padded Latin-1 string in a fixed field of `n` bytes (e.g. FileName[128]).
 * Reads up to the first NUL; writes at most n-1 characters plus padding.
 */
export function str(n: number): FieldKind<string> {
  return {
    size: n,
    read: (b, o) => {
      let e = o;
      while (e < o + n && b[e] !== 0) e++;
      return latin1(b, o, e);
    },
    write: (b, o, v) => {
      if (v.length > n - 1) throw new RangeError(`string longer than ${n - 1}: ${v.length}`);
      for (let i = 0; i < n; i++) {
        const c = i < v.length ? v.charCodeAt(i) : 0;
        if (c > 0xff || (i < v.length && c === 0)) throw new RangeError("string must be Latin-1 without NUL");
        b[o + i] = c;
      }
    },
  };
}

/** One named field of a structure. */
export type Field<T> = readonly [name: keyof T & string, kind: FieldKind<never> | FieldKind<unknown>];

/** A codec for a fixed-size packed structure, with its size. */
export interface StructCodec<T> extends Codec<T> {
  /** The structure's size in bytes. */
  readonly size: number;
  /** Name used in errors, e.g. "PXENV_UNDI_ISR". */
  readonly what: string;
}

/**
 * Builds a codec for a packed little-endian structure from its field list,
 * in order. Decoding checks the whole size first (WireError when short).
 */
export function structCodec<T>(what: string, fields: ReadonlyArray<readonly [keyof T & string, FieldKind<any>]>): StructCodec<T> {
  let size = 0;
  for (const [, k] of fields) size += k.size;
  return {
    size,
    what,
    encodingLength: () => size,
    encodeInto(value: T, out: Uint8Array, offset: number): number {
      if (offset < 0 || offset + size > out.length) throw new RangeError(`${what}: no room for ${size} bytes at ${offset}`);
      let o = offset;
      for (const [name, k] of fields) {
        k.write(out, o, (value as Record<string, unknown>)[name]);
        o += k.size;
      }
      return o;
    },
    decode(data: Uint8Array, offset: number, end: number): Decoded<T> {
      need(what, data, offset, end, size);
      const value: Record<string, unknown> = {};
      let o = offset;
      for (const [name, k] of fields) {
        value[name] = k.read(data, o);
        o += k.size;
      }
      return { value: value as T, next: o };
    },
  };
}
