// The Linux 32-bit boot protocol (Documentation/x86/boot.rst): where the
// protected-mode kernel, boot_params, the command line and the initrds go,
// and how the kernel is entered. Pure planning: bytes in, a BootImage out.
import { utf8Bytes } from "@pxe/core";
import { LayoutError } from "../errors.js";
import type { BootImage, BootPiece, E820Entry, MemRange } from "../image.js";
import { MemoryPlanner, alignUp } from "../plan.js";
import { placeBelow } from "../place-below.js";
import { upperMemoryKiB } from "../e820-info.js";
import { encodeBootParams } from "./boot-params.js";
import { BOOT_PARAMS_SIZE, BP_SCRATCH, PAGE, PROTOCOL_2_10 } from "./constants.js";
import { CmdlineTooLongError } from "./errors.js";
import { readSetupHeader, type SetupHeader } from "./setup-header.js";

/** A named file's bytes (the name, usually its URL, appears in errors). */
export interface NamedFile {
  /** The name errors and piece names use. */
  readonly name: string;
  /** The file's bytes. */
  readonly data: Uint8Array;
}

/** Everything a Linux boot needs. */
export interface LinuxBootInput {
  /** The bzImage. */
  readonly kernel: NamedFile;
  /** Initrds, concatenated in this order (each started on a 4-byte boundary, as GRUB and iPXE do). */
  readonly initrds?: readonly NamedFile[];
  /** The kernel command line. */
  readonly cmdline?: string;
  /** The BIOS memory map. */
  readonly e820: readonly E820Entry[];
  /** Memory the platform needs until the hand-off. */
  readonly reserved?: readonly MemRange[];
}

/** The plan: the image and where things went. */
export interface LinuxBootPlan {
  /** What the platform copies and enters. */
  readonly image: BootImage;
  /** The kernel's setup header. */
  readonly header: SetupHeader;
  /** Load address of the protected-mode kernel (also the entry). */
  readonly kernelBase: number;
  /** Bytes reserved from kernelBase for the kernel to start in (init_size or an estimate). */
  readonly kernelReserve: number;
  /** Address of boot_params (ESI at entry). */
  readonly bootParams: number;
  /** Address of the command line. */
  readonly cmdlinePtr: number;
  /** Address and size of the concatenated initrds (0, 0 for none). */
  readonly initrdBase: number;
  /** Total initrd bytes (with padding). */
  readonly initrdSize: number;
}

/** Physical memory a 32-bit boot can address. */
const LIMIT_4G = 0x100000000;

/**
 * Concatenates initrds, each started on a 4-byte boundary (cpio archives
 * need it; the kernel skips the zero padding). One initrd is returned as it
 * is, not copied.
 */
export function concatInitrds(initrds: readonly NamedFile[]): Uint8Array {
  if (initrds.length === 1) return initrds[0].data;
  let size = 0;
  for (const f of initrds) size = alignUp(size, 4) + f.data.length;
  const out = new Uint8Array(alignUp(size, 4));
  let o = 0;
  for (const f of initrds) {
    o = alignUp(o, 4);
    out.set(f.data, o);
    o += f.data.length;
  }
  return out;
}

/** Plans a Linux boot; BzImage*Error, CmdlineTooLongError or LayoutError when it cannot. */
export function planLinuxBoot(input: LinuxBootInput): LinuxBootPlan {
  const { kernel } = input;
  const h = readSetupHeader(kernel.data, kernel.name);
  const cmdline = utf8Bytes(input.cmdline ?? "");
  if (cmdline.length > h.cmdlineSize) throw new CmdlineTooLongError(kernel.name, cmdline.length, h.cmdlineSize);

  const planner = new MemoryPlanner(input.e820, input.reserved ?? [], { limit: LIMIT_4G });
  // The kernel decompresses and relocates itself within init_size bytes of its
  // load address; before 2.10 there is no init_size and three times the
  // compressed size is kept free, as GRUB does.
  const initSize = h.version >= PROTOCOL_2_10 ? h.initSize : 0;
  const kernelReserve = alignUp(Math.max(h.kernelSize, initSize, h.version >= PROTOCOL_2_10 ? 0 : h.kernelSize * 3), PAGE);
  const kernelBase = placeKernel(planner, h, kernel.name, kernelReserve);

  const bootParams = planner.place("boot_params", BOOT_PARAMS_SIZE, PAGE);
  const cmdlinePtr = planner.place("cmdline", cmdline.length + 1, 16);
  const initrd = concatInitrds(input.initrds ?? []);
  let initrdBase = 0;
  if (initrd.length > 0) {
    const names = (input.initrds ?? []).map((f) => f.name).join(" + ");
    initrdBase = placeBelow(planner, `initrd ${names}`, initrd.length, PAGE, h.initrdAddrMax, "initrd_addr_max");
  }

  const zeroPage = encodeBootParams({
    kernel: kernel.data, headerEnd: h.headerEnd, code32Start: kernelBase, cmdLinePtr: cmdlinePtr,
    ramdiskImage: initrdBase, ramdiskSize: initrd.length, e820: input.e820, altMemK: upperMemoryKiB(input.e820),
  });
  const cmdlineZ = new Uint8Array(cmdline.length + 1);
  cmdlineZ.set(cmdline);
  const pieces: BootPiece[] = [
    { name: "kernel", dest: kernelBase, data: kernel.data.subarray(h.kernelOffset) },
    { name: "boot_params", dest: bootParams, data: zeroPage },
    { name: "cmdline", dest: cmdlinePtr, data: cmdlineZ },
  ];
  if (initrd.length > 0) pieces.push({ name: "initrd", dest: initrdBase, data: initrd });
  pieces.sort((a, b) => a.dest - b.dest);
  return {
    image: {
      pieces,
      // boot.rst's 32-bit protocol: flat 32-bit segments, paging and interrupts
      // off, ESI = boot_params, EBP = EDI = EBX = 0. The kernel makes its first
      // stack in boot_params' scratch field; the same spot serves until then.
      entry: { kind: "protected32", eip: kernelBase, esp: bootParams + BP_SCRATCH + 4, regs: { esi: bootParams } },
    },
    header: h, kernelBase, kernelReserve, bootParams, cmdlinePtr, initrdBase, initrdSize: initrd.length,
  };
}

/**
 * A relocatable kernel goes to pref_address when that memory is free, else
 * to the lowest kernel_alignment-aligned usable address; any other kernel
 * must sit at code32_start.
 */
function placeKernel(planner: MemoryPlanner, h: SetupHeader, file: string, size: number): number {
  if (!h.relocatable) {
    planner.fixed("kernel", h.code32Start, size);
    return h.code32Start;
  }
  if (h.prefAddress !== undefined && h.prefAddress % h.kernelAlignment === 0) {
    try {
      planner.fixed("kernel", h.prefAddress, size);
      return h.prefAddress;
    } catch (e) {
      if (!(e instanceof LayoutError)) throw e;
    }
  }
  try {
    return planner.place("kernel", size, h.kernelAlignment);
  } catch (e) {
    if (e instanceof LayoutError) throw new LayoutError(`kernel ${file}`, size, e.message);
    throw e;
  }
}
