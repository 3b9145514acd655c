// The FreeBSD init and root image fixtures, checked for what a FreeBSD
// kernel requires of them (its boot is tested by the real-kernel QEMU tests):
// a static ELF branded FreeBSD (EI_OSABI 9, no PT_INTERP) whose entry lies in
// its one loadable segment, and a Rock Ridge cd9660 image holding it.
import { describe, expect, it } from "vitest";
import { buildFreebsdInit, FreebsdFixtureError, type FreebsdArch } from "./init.js";
import { buildFreebsdRoot } from "./rootfs.js";

const EM = { amd64: 62, i386: 3 } as const;
const PT_LOAD = 1;
const PT_INTERP = 3;

interface Segment { type: number; vaddr: number; memsz: number }

function parse(elf: Uint8Array): { cls: number; osabi: number; machine: number; entry: number; segments: Segment[] } {
  const v = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const cls = elf[4];
  const is64 = cls === 2;
  const entry = is64 ? Number(v.getBigUint64(24, true)) : v.getUint32(24, true);
  const phoff = is64 ? Number(v.getBigUint64(32, true)) : v.getUint32(28, true);
  const phentsize = v.getUint16(is64 ? 54 : 42, true);
  const phnum = v.getUint16(is64 ? 56 : 44, true);
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    segments.push(is64
      ? { type: v.getUint32(p, true), vaddr: Number(v.getBigUint64(p + 16, true)), memsz: Number(v.getBigUint64(p + 40, true)) }
      : { type: v.getUint32(p, true), vaddr: v.getUint32(p + 8, true), memsz: v.getUint32(p + 20, true) });
  }
  return { cls, osabi: elf[7], machine: v.getUint16(18, true), entry, segments };
}

const ascii = (b: Uint8Array): string => new TextDecoder("latin1").decode(b);

describe.each(["amd64", "i386"] as FreebsdArch[])("FreeBSD init fixture (%s)", (arch) => {
  it("is a static ELF branded FreeBSD, entered inside its one PT_LOAD", () => {
    const elf = buildFreebsdInit(arch);
    expect(ascii(elf.subarray(0, 4))).toBe("\x7fELF");
    const h = parse(elf);
    expect(h.cls).toBe(arch === "amd64" ? 2 : 1);
    expect(h.osabi).toBe(9);
    expect(h.machine).toBe(EM[arch]);
    expect(h.segments.map((s) => s.type)).toEqual([PT_LOAD]);
    expect(h.segments.some((s) => s.type === PT_INTERP)).toBe(false);
    const load = h.segments[0];
    expect(h.entry).toBeGreaterThan(load.vaddr);
    expect(h.entry).toBeLessThan(load.vaddr + load.memsz);
  });

  it("reads the kenv variable and prints the marker it is given", () => {
    const text = ascii(buildFreebsdInit(arch, { kenvName: "my.var", marker: "MYINIT" }));
    expect(text).toContain("my.var\0");
    expect(text).toContain("MYINIT: started");
    expect(text).toContain("/dev/console\0");
  });

  it("rejects a kenv name that would break the assembly", () => {
    expect(() => buildFreebsdInit(arch, { kenvName: "a'b" })).toThrow(FreebsdFixtureError);
  });

  it("root image: cd9660 with Rock Ridge, init inside", () => {
    const iso = buildFreebsdRoot(arch);
    const pvd = iso.subarray(16 * 2048, 17 * 2048);
    expect(pvd[0]).toBe(1);
    expect(ascii(pvd.subarray(1, 6))).toBe("CD001");
    expect(ascii(iso)).toContain("RRIP_1991A");
    const init = ascii(buildFreebsdInit(arch));
    expect(ascii(iso)).toContain(init);
  });
});
