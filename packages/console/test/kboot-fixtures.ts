// Small FreeBSD-shaped amd64 files for the loader command tests, written
// with @pxe/kboot/testing's ELF writer: a kernel (ET_EXEC at KERNBASE +
// 2 MiB) and ET_REL modules whose modmetadata_set holds MDT_VERSION and
// MDT_DEPEND records (so the loader finds dependencies), and an E820 map.
import { asciiBytes, concat } from "@pxe/core";
import { buildElf, rela64, symbolTable } from "@pxe/kboot/testing";

const R_X86_64_64 = 1;
const zstr = (s: string) => concat([asciiBytes(s), new Uint8Array(1)]);

/** An amd64 kernel: 0x800 bytes of text at 0xffffffff80200000 (physical 2 MiB), entry +0x100, 0x1000 bytes of BSS, a symbol table. */
export function kernelElf(): Uint8Array {
  const text = Uint8Array.from({ length: 0x800 }, (_, i) => (i * 13 + 5) & 255);
  return buildElf({
    bits: 64,
    machine: 62,
    type: 2,
    entry: 0xffffffff80200100n,
    segments: [{ vaddr: 0xffffffff80200000n, data: text, memsz: 0x1800, flags: 7 }],
    sections: [
      { name: ".text", type: 1, flags: 6, addr: 0xffffffff80200000n, segment: 0, segmentOffset: 0, data: text, addralign: 16 },
      { name: ".symtab", type: 2, data: symbolTable(64, [{ name: 1, value: 0xffffffff80200100n, info: 0x12, shndx: 1 }]), link: 3, info: 1, addralign: 8, entsize: 24 },
      { name: ".strtab", type: 3, data: concat([new Uint8Array(1), zstr("btext")]) },
    ],
  });
}

/** An amd64 .ko that declares MODULE_VERSION(name, 1) and MODULE_DEPEND(name, dep, 1, 1, 1) for each of `depends`. */
export function moduleElf(name: string, depends: readonly string[] = []): Uint8Array {
  // .rodata: the names; .data: struct mod_metadata {int version, type; ptr data, cval} (24 bytes)
  // per record, then struct mod_version / mod_depend bodies; set_modmetadata_set: a pointer per record.
  const names = [name, ...depends];
  const strOff: number[] = [];
  const rodataParts: Uint8Array[] = [];
  let o = 0;
  for (const n of names) {
    strOff.push(o);
    const b = zstr(n);
    rodataParts.push(b);
    o += b.length;
  }
  const records = names.length;
  const bodyBase = records * 24;
  const data = new Uint8Array(bodyBase + records * 16);
  const dv = new DataView(data.buffer);
  const relData: Array<{ offset: number; sym: number; type: number; addend: bigint }> = [];
  names.forEach((_, i) => {
    const md = i * 24;
    dv.setInt32(md, 1, true); // md_version
    dv.setInt32(md + 4, i === 0 ? 3 : 1, true); // MDT_VERSION for the module itself, MDT_DEPEND for the others
    const body = bodyBase + i * 16;
    if (i === 0) dv.setInt32(body, 1, true);
    else [1, 1, 1].forEach((v, j) => dv.setInt32(body + j * 4, v, true));
    relData.push({ offset: md + 8, sym: 3, type: R_X86_64_64, addend: BigInt(body) });
    relData.push({ offset: md + 16, sym: 2, type: R_X86_64_64, addend: BigInt(strOff[i]) });
  });
  const set = new Uint8Array(records * 8);
  const relSet = names.map((_, i) => ({ offset: i * 8, sym: 3, type: R_X86_64_64, addend: BigInt(i * 24) }));
  return buildElf({
    bits: 64,
    machine: 62,
    type: 1,
    sections: [
      { name: ".text", type: 1, flags: 6, data: Uint8Array.from({ length: 0x40 }, (_, i) => i), addralign: 16 },
      { name: ".rodata", type: 1, flags: 2, data: concat(rodataParts), addralign: 1 },
      { name: ".data", type: 1, flags: 3, data, addralign: 8 },
      { name: "set_modmetadata_set", type: 1, flags: 2, data: set, addralign: 8 },
      { name: ".rela.data", type: 4, link: 6, info: 3, addralign: 8, entsize: 24, data: rela64(relData) },
      { name: ".symtab", type: 2, data: symbolTable(64, [1, 2, 3, 4].map((shndx) => ({ name: 0, value: 0n, shndx }))), link: 7, info: 5, addralign: 8, entsize: 24 },
      { name: ".strtab", type: 3, data: new Uint8Array(1) },
      { name: ".rela.set_modmetadata_set", type: 4, link: 6, info: 4, addralign: 8, entsize: 24, data: rela64(relSet) },
    ],
  });
}

/** A QEMU-like E820 map: 639 KiB low, RAM from 1 MiB to 128 MiB - 128 KiB. */
export const E820 = [
  { base: 0, length: 0x9fc00, type: 1 },
  { base: 0x9fc00, length: 0x400, type: 2 },
  { base: 0xf0000, length: 0x10000, type: 2 },
  { base: 0x100000, length: 0x7ee0000, type: 1 },
  { base: 0x7fe0000, length: 0x20000, type: 2 },
];
