// FreeBsdBoot: what FreeBSD's BIOS loader does between `load` and the jump
// into the kernel (stand/common/module.c, load_elf*.c, metadata.c and
// stand/i386/libi386/bootinfo32.c, bootinfo64.c, elf32_freebsd.c,
// elf64_freebsd.c, amd64_tramp.S), as a BootImage for a Booter to start.
import { utf8Bytes } from "@pxe/core";
import { LoadError } from "../errors.js";
import type { BootEntry, BootImage, BootPiece, E820Entry, MemRange } from "../image.js";
import { alignUp, MemoryPlanner, PLAN_LIMIT } from "../plan.js";
import { encodeBootinfo } from "../wire/bootinfo.js";
import { encodeKenv, type KenvEntries } from "../wire/kenv.js";
import { putU32, u32le, u64le } from "../wire/le.js";
import { encodeModinfo, type MetadataRecord, type ModinfoFile } from "../wire/modinfo.js";
import { encodeSmap } from "../wire/smap.js";
import { BOOTINFO_SIZE, MODINFOMD, PAGE_SIZE, RB } from "./constants.js";
import type { Chunk, FileLayout } from "./exec-layout.js";
import { type BootFile, type FreeBsdArch, type KernelFile, kernelFile, moduleFile, rawFile } from "./files.js";
import type { ModuleDependency } from "./modmetadata.js";
import { amd64PageTables, PAGE_TABLES_SIZE } from "./pagetables.js";

/** One line of `lsmod`. */
export interface LoadedModule {
  /** The name it was loaded under (MODINFO_NAME). */
  readonly name: string;
  /** MODINFO_TYPE: "elf64 kernel", "elf obj module", "md_image" ... */
  readonly type: string;
  /**
   * Physical address: the kernel's is fixed; the others are where they go
   * when memory after the kernel has no holes (build() may move them past
   * reserved or unusable ranges).
   */
  readonly addr: number;
  /** MODINFO_SIZE in bytes. */
  readonly size: number;
  /** MODINFO_ARGS, if any. */
  readonly args?: string;
  /** Module names the file provides (MODULE_VERSION), for ELF files. */
  readonly provides: readonly string[];
}

/** What build() needs besides the files. */
export interface FreeBsdBuildOptions {
  /** boothowto: RB_* flags (RB.SERIAL, RB.VERBOSE ...); default 0. */
  readonly howto?: number;
  /** The kernel environment, in order ("name=value" strings of kenv(2)). */
  readonly env?: KenvEntries | Readonly<Record<string, string>>;
  /** The BIOS E820 memory map; also handed to the kernel as MODINFOMD_SMAP. */
  readonly e820: readonly E820Entry[];
  /** Memory the image may not use (the platform's trampoline, its staging ...). */
  readonly reserved?: readonly MemRange[];
  /** First address nothing may reach (default 1 GiB, what the amd64 page tables map). */
  readonly limit?: number;
}

/** A FreeBSD BootImage plus where its parts went (for tests, probes and messages). */
export interface FreeBsdBootImage extends BootImage {
  /** amd64 or i386. */
  readonly arch: FreeBsdArch;
  /** Physical address of the metadata (modulep). */
  readonly modulep: number;
  /** Physical address of the kenv block (MODINFOMD_ENVP). */
  readonly envp: number;
  /** MODINFOMD_KERNEND: page-aligned end of everything loaded. */
  readonly kernend: number;
  /** The metadata bytes (also a piece). */
  readonly metadata: Uint8Array;
  /** Every file with its final address and size, kernel first. */
  readonly files: readonly LoadedModule[];
  /** amd64: physical address of the PML4 (also the entry's cr3). */
  readonly pageTables?: number;
  /** i386: physical address of struct bootinfo. */
  readonly bootinfo?: number;
}

/**
 * The FreeBSD loader's memory-image work. Load the kernel first, then
 * modules and other files in order; build() lays everything out against the
 * E820 map and returns the BootImage.
 *
 * ```ts
 * const fb = new FreeBsdBoot();
 * fb.addKernel("/boot/kernel/kernel", kernelBytes);
 * fb.addModule("/boot/kernel/cd9660.ko", koBytes);
 * for (const dep of fb.missingDependencies()) fb.addModule(`/boot/kernel/${dep.name}.ko`, await fetch(dep.name));
 * fb.addFile("/boot/mfsroot", "md_image", rootBytes);
 * const image = fb.build({ howto: RB.SERIAL, env: [["vfs.root.mountfrom", "cd9660:/dev/md0"]], e820, reserved });
 * ```
 */
export class FreeBsdBoot {
  private kernel: KernelFile | undefined;
  private readonly files: BootFile[] = [];

  /** amd64 or i386 once a kernel is loaded. */
  get arch(): FreeBsdArch | undefined {
    return this.kernel?.arch;
  }

  /** True once a kernel is loaded. */
  get hasKernel(): boolean {
    return this.kernel !== undefined;
  }

  /**
   * Loads an ELF kernel (amd64 "elf64 kernel" or i386 "elf kernel"): its
   * PT_LOAD segments at their physical addresses and its symbol table after
   * them. LoadError when a kernel is already loaded or this is not one;
   * ElfFormatError when the bytes are not sound ELF.
   */
  addKernel(name: string, bytes: Uint8Array, args?: string): LoadedModule {
    if (this.kernel) throw new LoadError(name, `a kernel is already loaded (${this.kernel.name}); unload first`);
    const k = kernelFile(name, bytes, args);
    this.kernel = k;
    this.files.push(k);
    return this.listing()[0];
  }

  /**
   * Loads a kernel module (.ko) after the kernel: ET_REL as "elf obj module"
   * (amd64), ET_DYN as "elf module" (i386). LoadError before a kernel, for a
   * duplicate name or a module of the wrong kind.
   */
  addModule(name: string, bytes: Uint8Array, args?: string): LoadedModule {
    const k = this.needKernel(name);
    this.checkNew(name);
    this.files.push(moduleFile(name, bytes, args, k.arch));
    return this.listing()[this.files.length - 1];
  }

  /** Loads a file of any `type` ("md_image", "mfs_root", ...) as bytes, after the kernel. */
  addFile(name: string, type: string, bytes: Uint8Array, args?: string): LoadedModule {
    this.needKernel(name);
    this.checkNew(name);
    this.files.push(rawFile(name, type, bytes, args));
    return this.listing()[this.files.length - 1];
  }

  /** Forgets every file, the kernel too (the loader's `unload`). */
  unload(): void {
    this.kernel = undefined;
    this.files.length = 0;
  }

  /** The loaded files in load order, kernel first (what `lsmod` prints). */
  modules(): LoadedModule[] {
    return this.listing();
  }

  /**
   * Modules the loaded files depend on (MODULE_DEPEND) that no loaded file,
   * the kernel included, provides in an acceptable version. FreeBSD's loader
   * then loads "<name>.ko" from the module's directory; do the same and call
   * again until this is empty. Each name appears once. The kernel's own
   * MODULE_DEPEND records are not followed: "kernel must not depend on
   * anything" (stand/common/load_elf.c); amd64 GENERIC 13.2 has three
   * (ath_rate, ath_dfs, xenpv) that no file provides.
   */
  missingDependencies(): ModuleDependency[] {
    const out: ModuleDependency[] = [];
    for (const f of this.files.filter((g) => g !== this.kernel)) {
      for (const d of f.modules.depends) {
        const ok = this.files.some((g) => g.modules.provides.some((p) => p.name === d.name && p.version >= d.min && p.version <= d.max));
        if (!ok && !out.some((o) => o.name === d.name)) out.push(d);
      }
    }
    return out;
  }

  /** Lays out everything for the kernel and returns the image to start. */
  build(opts: FreeBsdBuildOptions): FreeBsdBootImage {
    const k = this.needKernel("boot");
    return k.arch === "amd64" ? this.buildAmd64(k, opts) : this.buildI386(k, opts);
  }

  private buildAmd64(k: KernelFile, opts: FreeBsdBuildOptions): FreeBsdBootImage {
    const { planner, layouts, chunks } = this.placeFiles(k, opts);
    const pt = planner.place("page tables", PAGE_TABLES_SIZE, PAGE_SIZE);
    const stack = planner.place("stack", PAGE_SIZE, PAGE_SIZE);
    const kenv = encodeKenv(envEntries(opts.env));
    const howto = (opts.howto ?? 0) >>> 0;
    // bi_load64: metadata first, the environment page-aligned after it, KERNEND after that.
    const extra = (envp: number, kernend: number, modulep: number): MetadataRecord[] => [
      { type: MODINFOMD.HOWTO, data: u32le(howto) },
      { type: MODINFOMD.ENVP, data: u64le(envp) },
      { type: MODINFOMD.KERNEND, data: u64le(kernend) },
      { type: MODINFOMD.MODULEP, data: u64le(modulep) },
      { type: MODINFOMD.SMAP, data: encodeSmap(opts.e820) },
    ];
    const size = encodeModinfo(this.modinfo(layouts, extra(0, 0, 0)), 64).length;
    const modulep = planner.place("modulep", size, PAGE_SIZE);
    const envp = planner.place("kenv", kenv.length, PAGE_SIZE);
    const kernend = alignUp(envp + kenv.length, PAGE_SIZE);
    const metadata = encodeModinfo(this.modinfo(layouts, extra(envp, kernend, modulep)), 64);
    const frame = new Uint8Array(PAGE_SIZE);
    const esp = stack + PAGE_SIZE - 12;
    putU32(frame, PAGE_SIZE - 12, 0); // return address slot
    putU32(frame, PAGE_SIZE - 8, modulep);
    putU32(frame, PAGE_SIZE - 4, kernend);
    const pieces: BootPiece[] = [
      ...chunks,
      { name: "page tables", dest: pt, data: amd64PageTables(pt) },
      { name: "stack", dest: stack, data: frame },
      { name: "modulep", dest: modulep, data: metadata },
      { name: "kenv", dest: envp, data: kenv },
    ];
    const entry: BootEntry = { kind: "long64", rip: k.entry, esp, cr3: pt, regs: {} };
    return this.image("amd64", pieces, entry, layouts, { modulep, envp, kernend, metadata, pageTables: pt });
  }

  private buildI386(k: KernelFile, opts: FreeBsdBuildOptions): FreeBsdBootImage {
    const { planner, layouts, chunks } = this.placeFiles(k, opts);
    const kname = utf8Bytes(k.name);
    const bi = planner.place("bootinfo", BOOTINFO_SIZE + kname.length + 1, PAGE_SIZE);
    const stack = planner.place("stack", PAGE_SIZE, PAGE_SIZE);
    const kenv = encodeKenv(envEntries(opts.env));
    const howto = (opts.howto ?? 0) >>> 0;
    // bi_load32: the environment page-aligned after the files, the metadata page-aligned after it.
    const envp = planner.place("kenv", kenv.length, PAGE_SIZE);
    const extra = (kernend: number): MetadataRecord[] => [
      { type: MODINFOMD.HOWTO, data: u32le(howto) },
      { type: MODINFOMD.ENVP, data: u32le(envp) },
      { type: MODINFOMD.KERNEND, data: u32le(kernend) },
      { type: MODINFOMD.SMAP, data: encodeSmap(opts.e820) },
    ];
    const size = encodeModinfo(this.modinfo(layouts, extra(0)), 32).length;
    const modulep = planner.place("modulep", size, PAGE_SIZE);
    const kernend = alignUp(modulep + size, PAGE_SIZE);
    const metadata = encodeModinfo(this.modinfo(layouts, extra(kernend)), 32);
    const { basemem, extmem } = memSizes(opts.e820);
    const kl = layouts[0];
    const biData = new Uint8Array(BOOTINFO_SIZE + kname.length + 1);
    biData.set(
      encodeBootinfo({ kernelname: bi + BOOTINFO_SIZE, basemem, extmem, symtab: kl.ssym ?? 0, esymtab: kl.esym ?? 0, kernend, envp, modulep }),
    );
    biData.set(kname, BOOTINFO_SIZE);
    // __exec(entry, howto, bootdev, 0, 0, 0, bootinfo, modulep, kernend)
    // behind a return address. It must not be 0: locore's recover_bootinfo
    // takes a 0 return address for the old disk boot blocks and then
    // ignores bootinfo (no metadata: the kernel dies silently before its
    // console). It points at a halt loop at the start of the stack page,
    // where the kernel lands if it returns (unknown bootinfo version).
    const args = [stack, (howto | RB.BOOTINFO) >>> 0, 0, 0, 0, 0, bi, modulep, kernend];
    const frame = new Uint8Array(PAGE_SIZE);
    frame.set(I386_RETURN_HALT, 0);
    const esp = stack + PAGE_SIZE - args.length * 4;
    args.forEach((v, i) => putU32(frame, PAGE_SIZE - args.length * 4 + i * 4, v));
    const pieces: BootPiece[] = [
      ...chunks,
      { name: "bootinfo", dest: bi, data: biData },
      { name: "stack", dest: stack, data: frame },
      { name: "kenv", dest: envp, data: kenv },
      { name: "modulep", dest: modulep, data: metadata },
    ];
    const entry: BootEntry = { kind: "protected32", eip: Number(k.entry & 0xffffffn), esp, regs: {} };
    return this.image("i386", pieces, entry, layouts, { modulep, envp, kernend, metadata, bootinfo: bi });
  }

  /** Places the kernel (fixed) and then every other file in load order. */
  private placeFiles(k: KernelFile, opts: FreeBsdBuildOptions): { planner: MemoryPlanner; layouts: FileLayout[]; chunks: BootPiece[] } {
    const planner = new MemoryPlanner(opts.e820, opts.reserved ?? [], { limit: opts.limit ?? PLAN_LIMIT });
    const layouts: FileLayout[] = [];
    const chunks: BootPiece[] = [];
    const add = (c: readonly Chunk[]) => {
      for (const ch of c) chunks.push(ch.zero > 0 ? { name: ch.label, dest: ch.dest, data: ch.data, zero: ch.zero } : { name: ch.label, dest: ch.dest, data: ch.data });
    };
    for (const c of k.fixed.chunks) planner.fixed(c.label, c.dest, c.data.length + c.zero);
    layouts.push(k.fixed);
    add(k.fixed.chunks);
    for (const f of this.files) {
      if (f === k) continue;
      const base = planner.place(f.name, f.span, f.align);
      const l = f.layout(base);
      layouts.push(l);
      add(l.chunks);
    }
    return { planner, layouts, chunks };
  }

  /** The metadata's files: kernel records reversed with the boot records first, as file_addmetadata prepends. */
  private modinfo(layouts: readonly FileLayout[], kernelExtra: readonly MetadataRecord[]): ModinfoFile[] {
    return this.files.map((f, i) => {
      const l = layouts[i];
      const recs = i === 0 ? [...l.metadata, ...kernelExtra] : [...l.metadata];
      return { name: f.name, type: f.type, ...(f.args !== undefined ? { args: f.args } : {}), addr: l.addr, size: l.size, metadata: recs.reverse() };
    });
  }

  private image(
    arch: FreeBsdArch,
    pieces: BootPiece[],
    entry: BootEntry,
    layouts: readonly FileLayout[],
    rest: { modulep: number; envp: number; kernend: number; metadata: Uint8Array; pageTables?: number; bootinfo?: number },
  ): FreeBsdBootImage {
    pieces.sort((a, b) => a.dest - b.dest);
    const files = this.files.map((f, i) => listing(f, layouts[i].addr, layouts[i].size));
    return { arch, pieces, entry, files, ...rest };
  }

  private listing(): LoadedModule[] {
    const out: LoadedModule[] = [];
    let cursor = 0;
    for (const f of this.files) {
      if (f === this.kernel) {
        const l = this.kernel.fixed;
        out.push(listing(f, l.addr, l.size));
        cursor = l.addr + l.size;
      } else {
        const base = alignUp(cursor, f.align);
        out.push(listing(f, base, f.span));
        cursor = base + f.span;
      }
    }
    return out;
  }

  private needKernel(name: string): KernelFile {
    if (!this.kernel) throw new LoadError(name, "no kernel loaded; load the kernel first");
    return this.kernel;
  }

  private checkNew(name: string): void {
    if (this.files.some((f) => f.name === name)) throw new LoadError(name, "already loaded");
  }
}

/** `cli; 1: hlt; jmp 1b`: where an i386 kernel returns to if it refuses the hand-off. */
const I386_RETURN_HALT = [0xfa, 0xf4, 0xeb, 0xfd];

function listing(f: BootFile, addr: number, size: number): LoadedModule {
  return { name: f.name, type: f.type, addr, size, ...(f.args !== undefined ? { args: f.args } : {}), provides: f.modules.provides.map((p) => p.name) };
}

function envEntries(env: FreeBsdBuildOptions["env"]): KenvEntries {
  if (env === undefined) return [];
  if (Array.isArray(env)) return env as KenvEntries;
  return Object.keys(env).map((k) => [k, (env as Record<string, string>)[k]] as const);
}

/** bi_basemem / bi_extmem in KiB: the usable E820 entries at 0 and at 1 MiB. */
function memSizes(e820: readonly E820Entry[]): { basemem: number; extmem: number } {
  let basemem = 0;
  let extmem = 0;
  for (const e of e820) {
    if (e.type !== 1) continue;
    if (e.base === 0) basemem = Math.min(e.length, 640 * 1024) >>> 10;
    if (e.base === 0x100000) extmem = Math.min(Math.floor(e.length / 1024), 0xffffffff);
  }
  return { basemem, extmem };
}

