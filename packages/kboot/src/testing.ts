// A small ELF writer for tests: kernels, ET_REL and ET_DYN modules with
// chosen segments, sections and symbols, little endian. Not a linker: the
// caller decides every address and writes every byte of section contents.
import { asciiBytes } from "@pxe/core";
import { putU32, putU64 } from "./wire/le.js";

/** A PT_LOAD (or other) segment whose file bytes are `data`. */
export interface TestSegment {
  /** p_type (default PT_LOAD = 1). */
  readonly type?: number;
  /** p_flags (default R|X = 5). */
  readonly flags?: number;
  /** p_vaddr. */
  readonly vaddr: bigint;
  /** p_paddr (default vaddr). */
  readonly paddr?: bigint;
  /** File bytes. */
  readonly data: Uint8Array;
  /** p_memsz (default data.length). */
  readonly memsz?: number;
}

/** A section; index = position in the list + 1 (0 is the null section; the name table comes last). */
export interface TestSection {
  /** Name (put in .shstrtab). */
  readonly name: string;
  /** sh_type. */
  readonly type: number;
  /** sh_flags. */
  readonly flags?: number;
  /** sh_addr. */
  readonly addr?: bigint;
  /** Contents (none for SHT_NOBITS). */
  readonly data?: Uint8Array;
  /** sh_size for SHT_NOBITS. */
  readonly size?: number;
  /** sh_link. */
  readonly link?: number;
  /** sh_info. */
  readonly info?: number;
  /** sh_addralign (default 1). */
  readonly addralign?: number;
  /** sh_entsize. */
  readonly entsize?: number;
  /** Lies inside segment `segment` at `segmentOffset` instead of having bytes of its own. */
  readonly segment?: number;
  /** Offset inside that segment's data. */
  readonly segmentOffset?: number;
}

/** What buildElf writes. */
export interface TestElf {
  /** 32 or 64. */
  readonly bits: 32 | 64;
  /** e_machine (3 i386, 62 x86-64). */
  readonly machine: number;
  /** e_type (1 REL, 2 EXEC, 3 DYN). */
  readonly type: number;
  /** e_entry. */
  readonly entry?: bigint;
  /** e_ident[EI_OSABI] (default 9, FreeBSD). */
  readonly osabi?: number;
  /** Segments (program headers). */
  readonly segments?: readonly TestSegment[];
  /** Sections (a .shstrtab is appended). */
  readonly sections?: readonly TestSection[];
}

/** Writes an ELF file: header, program headers, segment bytes, section bytes, name table, section headers. */
export function buildElf(spec: TestElf): Uint8Array {
  const is64 = spec.bits === 64;
  const ehsize = is64 ? 64 : 52;
  const phent = is64 ? 56 : 32;
  const shent = is64 ? 64 : 40;
  const segs = spec.segments ?? [];
  const secs = spec.sections ?? [];
  const names = stringTable(["", ...secs.map((s) => s.name), ".shstrtab"]);
  let off = ehsize + segs.length * phent;
  const segOff: number[] = [];
  for (const s of segs) {
    off = align(off, 16);
    segOff.push(off);
    off += s.data.length;
  }
  const secOff: number[] = [];
  for (const s of secs) {
    if (s.segment !== undefined) {
      secOff.push(segOff[s.segment] + (s.segmentOffset ?? 0));
      continue;
    }
    off = align(off, Math.max(1, s.addralign ?? 1));
    secOff.push(off);
    off += s.data?.length ?? 0;
  }
  const shstrOff = off;
  off += names.data.length;
  off = align(off, 8);
  const shoff = off;
  const shnum = secs.length + 2;
  const out = new Uint8Array(shoff + shnum * shent);
  out.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, 1, 1, spec.osabi ?? 9]);
  const w16 = (o: number, v: number) => {
    out[o] = v & 0xff;
    out[o + 1] = (v >> 8) & 0xff;
  };
  w16(16, spec.type);
  w16(18, spec.machine);
  putU32(out, 20, 1);
  const entry = spec.entry ?? 0n;
  if (is64) {
    putU64(out, 24, entry);
    putU64(out, 32, segs.length ? ehsize : 0);
    putU64(out, 40, shoff);
    w16(52, ehsize);
    w16(54, phent);
    w16(56, segs.length);
    w16(58, shent);
    w16(60, shnum);
    w16(62, shnum - 1);
  } else {
    putU32(out, 24, Number(entry));
    putU32(out, 28, segs.length ? ehsize : 0);
    putU32(out, 32, shoff);
    w16(40, ehsize);
    w16(42, phent);
    w16(44, segs.length);
    w16(46, shent);
    w16(48, shnum);
    w16(50, shnum - 1);
  }
  segs.forEach((s, i) => {
    const o = ehsize + i * phent;
    const memsz = s.memsz ?? s.data.length;
    out.set(s.data, segOff[i]);
    if (is64) {
      putU32(out, o, s.type ?? 1);
      putU32(out, o + 4, s.flags ?? 5);
      putU64(out, o + 8, segOff[i]);
      putU64(out, o + 16, s.vaddr);
      putU64(out, o + 24, s.paddr ?? s.vaddr);
      putU64(out, o + 32, s.data.length);
      putU64(out, o + 40, memsz);
      putU64(out, o + 48, 0x1000);
    } else {
      putU32(out, o, s.type ?? 1);
      putU32(out, o + 4, segOff[i]);
      putU32(out, o + 8, Number(s.vaddr));
      putU32(out, o + 12, Number(s.paddr ?? s.vaddr));
      putU32(out, o + 16, s.data.length);
      putU32(out, o + 20, memsz);
      putU32(out, o + 24, s.flags ?? 5);
      putU32(out, o + 28, 0x1000);
    }
  });
  const writeSh = (i: number, name: number, type: number, flags: number, addr: bigint, offset: number, size: number, link: number, info: number, al: number, ent: number) => {
    const o = shoff + i * shent;
    putU32(out, o, name);
    putU32(out, o + 4, type);
    if (is64) {
      putU64(out, o + 8, flags);
      putU64(out, o + 16, addr);
      putU64(out, o + 24, offset);
      putU64(out, o + 32, size);
      putU32(out, o + 40, link);
      putU32(out, o + 44, info);
      putU64(out, o + 48, al);
      putU64(out, o + 56, ent);
    } else {
      putU32(out, o + 8, flags);
      putU32(out, o + 12, Number(addr));
      putU32(out, o + 16, offset);
      putU32(out, o + 20, size);
      putU32(out, o + 24, link);
      putU32(out, o + 28, info);
      putU32(out, o + 32, al);
      putU32(out, o + 36, ent);
    }
  };
  secs.forEach((s, i) => {
    if (s.data && s.segment === undefined) out.set(s.data, secOff[i]);
    const size = s.type === 8 ? (s.size ?? 0) : (s.data?.length ?? s.size ?? 0);
    writeSh(i + 1, names.offsets[i + 1], s.type, s.flags ?? 0, s.addr ?? 0n, secOff[i], size, s.link ?? 0, s.info ?? 0, s.addralign ?? 1, s.entsize ?? 0);
  });
  out.set(names.data, shstrOff);
  writeSh(shnum - 1, names.offsets[secs.length + 1], 3, 0, 0n, shstrOff, names.data.length, 0, 0, 1, 0);
  return out;
}

/** A string table of `strings` (each NUL-terminated, in order) and each one's offset. */
export function stringTable(strings: readonly string[]): { data: Uint8Array; offsets: number[] } {
  const offsets: number[] = [];
  const parts: number[] = [];
  for (const s of strings) {
    if (s === "" && parts.length > 0) {
      offsets.push(0);
      continue;
    }
    offsets.push(parts.length);
    for (const b of asciiBytes(s)) parts.push(b);
    parts.push(0);
  }
  return { data: Uint8Array.from(parts), offsets };
}

/** A symbol for symbolTable. */
export interface TestSymbol {
  /** Offset of its name in the string table. */
  readonly name: number;
  /** st_value. */
  readonly value: bigint;
  /** st_size. */
  readonly size?: bigint;
  /** st_info (default 3: local section symbol). */
  readonly info?: number;
  /** st_shndx. */
  readonly shndx: number;
}

/** Symbol table bytes (entry 0 is the null symbol, added here). */
export function symbolTable(bits: 32 | 64, syms: readonly TestSymbol[]): Uint8Array {
  const ent = bits === 64 ? 24 : 16;
  const out = new Uint8Array((syms.length + 1) * ent);
  syms.forEach((s, i) => {
    const o = (i + 1) * ent;
    putU32(out, o, s.name);
    if (bits === 64) {
      out[o + 4] = s.info ?? 3;
      out[o + 6] = s.shndx & 0xff;
      out[o + 7] = s.shndx >> 8;
      putU64(out, o + 8, s.value);
      putU64(out, o + 16, s.size ?? 0n);
    } else {
      putU32(out, o + 4, Number(s.value));
      putU32(out, o + 8, Number(s.size ?? 0n));
      out[o + 12] = s.info ?? 3;
      out[o + 14] = s.shndx & 0xff;
      out[o + 15] = s.shndx >> 8;
    }
  });
  return out;
}

/** RELA entries (64-bit): r_offset, r_info = sym << 32 | type, r_addend. */
export function rela64(entries: ReadonlyArray<{ offset: number; sym: number; type: number; addend: bigint }>): Uint8Array {
  const out = new Uint8Array(entries.length * 24);
  entries.forEach((e, i) => {
    putU64(out, i * 24, e.offset);
    putU64(out, i * 24 + 8, (BigInt(e.sym) << 32n) | BigInt(e.type));
    putU64(out, i * 24 + 16, BigInt.asUintN(64, e.addend));
  });
  return out;
}

/** Little-endian words of `bits` for building section contents. */
export function words(bits: 32 | 64, values: ReadonlyArray<number | bigint>): Uint8Array {
  const n = bits / 8;
  const out = new Uint8Array(values.length * n);
  values.forEach((v, i) => (bits === 64 ? putU64(out, i * n, v) : putU32(out, i * n, Number(v))));
  return out;
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
