// A Multiboot 1 boot: the kernel where its ELF program headers or its a.out
// kludge say, modules after it (page-aligned when the header asks), the info
// block after them; entered in 32-bit protected mode with EAX = 0x2BADB002
// and EBX = the info block.
import { ElfFile } from "../wire/elf.js";
import { PT_LOAD } from "../wire/elf-constants.js";
import { LayoutError } from "../errors.js";
import type { BootImage, BootPiece, E820Entry, MemRange } from "../image.js";
import { MemoryPlanner } from "../plan.js";
import { lowerMemoryKiB, upperMemoryKiB } from "../e820-info.js";
import type { NamedFile } from "../linux/load.js";
import { BOOTLOADER_MAGIC, PAGE_ALIGN } from "./constants.js";
import { MultibootFormatError } from "./errors.js";
import { readMultibootHeader, type MultibootHeader } from "./header.js";
import { encodeMultibootInfo, multibootInfoSize, type MultibootInfoInput, type MultibootModule } from "./info.js";

/** A module file and the string the kernel gets with it. */
export interface MultibootModuleFile extends NamedFile {
  /** Its string (default: the name). */
  readonly string?: string;
}

/** Everything a Multiboot boot needs. */
export interface MultibootBootInput {
  /** The kernel (ELF or a.out kludge). */
  readonly kernel: NamedFile;
  /** Its command line (the kernel's name and arguments, as GRUB passes it). */
  readonly cmdline?: string;
  /** Modules in load order. */
  readonly modules?: readonly MultibootModuleFile[];
  /** The BIOS memory map. */
  readonly e820: readonly E820Entry[];
  /** Memory the platform needs until the hand-off. */
  readonly reserved?: readonly MemRange[];
  /** boot_loader_name (default "pxehttp"). */
  readonly loaderName?: string;
}

/** The plan: the image and what the kernel will find. */
export interface MultibootBootPlan {
  /** What the platform copies and enters. */
  readonly image: BootImage;
  /** The kernel's Multiboot header. */
  readonly header: MultibootHeader;
  /** Address of the info block (EBX). */
  readonly infoAddr: number;
  /** The info block's contents. */
  readonly info: MultibootInfoInput;
}

const LIMIT_4G = 0x100000000;
const STACK_SIZE = 0x1000;

/** Plans a Multiboot boot; Multiboot*Error, ElfFormatError or LayoutError when it cannot. */
export function planMultibootBoot(input: MultibootBootInput): MultibootBootPlan {
  const { kernel } = input;
  const header = readMultibootHeader(kernel.data, kernel.name);
  const planner = new MemoryPlanner(input.e820, input.reserved ?? [], { limit: LIMIT_4G });
  const pieces: BootPiece[] = [];
  let entry: number;
  if (header.aout) {
    const a = header.aout;
    planner.fixed("kernel", a.loadAddr, a.loadSize + a.bssSize);
    pieces.push({ name: "kernel", dest: a.loadAddr, data: kernel.data.subarray(a.fileOffset, a.fileOffset + a.loadSize), zero: a.bssSize });
    entry = a.entry;
  } else {
    entry = loadElf(kernel, header, planner, pieces);
  }

  const align = header.flags & PAGE_ALIGN ? 0x1000 : 16;
  const modules: MultibootModule[] = [];
  for (const m of input.modules ?? []) {
    const start = planner.place(`module ${m.name}`, m.data.length, align);
    pieces.push({ name: `module ${m.name}`, dest: start, data: m.data });
    modules.push({ start, end: start + m.data.length, string: m.string ?? m.name });
  }
  const info: MultibootInfoInput = {
    memLower: lowerMemoryKiB(input.e820), memUpper: upperMemoryKiB(input.e820), cmdline: input.cmdline ?? kernel.name,
    modules, e820: input.e820, loaderName: input.loaderName ?? "pxehttp",
  };
  const infoAddr = planner.place("multiboot info", multibootInfoSize(info), 0x1000);
  pieces.push({ name: "multiboot info", dest: infoAddr, data: encodeMultibootInfo(infoAddr, info) });
  // The specification leaves ESP undefined; a page of its own keeps an early push harmless.
  const stack = planner.place("stack", STACK_SIZE, 0x1000);
  pieces.push({ name: "stack", dest: stack, data: new Uint8Array(0), zero: STACK_SIZE });
  pieces.sort((a, b) => a.dest - b.dest);
  return {
    image: { pieces, entry: { kind: "protected32", eip: entry, esp: stack + STACK_SIZE, regs: { eax: BOOTLOADER_MAGIC, ebx: infoAddr } } },
    header, infoAddr, info,
  };
}

/** Claims and adds each PT_LOAD segment at its physical address; returns the entry. */
function loadElf(kernel: NamedFile, header: MultibootHeader, planner: MemoryPlanner, pieces: BootPiece[]): number {
  if (!ElfFile.isElf(kernel.data)) {
    throw new MultibootFormatError(kernel.name, header.offset, "the Multiboot header has no a.out kludge (flag 16) and the file is not ELF");
  }
  const elf = ElfFile.parse(kernel.data, kernel.name);
  let n = 0;
  for (const ph of elf.programHeaders) {
    if (ph.type !== PT_LOAD || ph.memsz === 0) continue;
    if (ph.paddr + BigInt(ph.memsz) > BigInt(LIMIT_4G)) {
      throw new MultibootFormatError(kernel.name, elf.header.phoff, `program header ${ph.index} loads at 0x${ph.paddr.toString(16)}, past 4 GiB`);
    }
    const dest = Number(ph.paddr);
    const name = `kernel segment ${n++}`;
    try {
      planner.fixed(name, dest, ph.memsz);
    } catch (e) {
      if (e instanceof LayoutError) throw new LayoutError(`${kernel.name} ${name}`, ph.memsz, e.message);
      throw e;
    }
    pieces.push({ name, dest, data: kernel.data.subarray(ph.offset, ph.offset + ph.filesz), zero: ph.memsz - ph.filesz });
  }
  if (n === 0) throw new MultibootFormatError(kernel.name, elf.header.phoff, "the ELF file has no PT_LOAD segment");
  if (elf.header.entry >= BigInt(LIMIT_4G)) throw new MultibootFormatError(kernel.name, 24, `entry 0x${elf.header.entry.toString(16)} lies past 4 GiB`);
  return Number(elf.header.entry);
}
