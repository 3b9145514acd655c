// The hand-off contract between @pxe/kboot and the platform that starts a
// kernel (/work BOOT-INTERFACE.md): kboot decides every byte and address, the
// platform copies the pieces into place and enters.

/** One piece of the final memory image. */
export interface BootPiece {
  /** What it is: "kernel", "cd9660.ko", "mfsroot", "modulep", "kenv", "page tables", "stack" ... */
  readonly name: string;
  /** Physical address of its first byte (< 4 GiB). */
  readonly dest: number;
  /** Bytes placed at dest. */
  readonly data: Uint8Array;
  /** Zero bytes that follow data (BSS); default 0. */
  readonly zero?: number;
}

/** General registers at entry (unset = 0). */
export interface EntryRegs {
  eax?: number;
  ebx?: number;
  ecx?: number;
  edx?: number;
  esi?: number;
  edi?: number;
  ebp?: number;
}

/** How the platform enters the image. */
export type BootEntry =
  /** 32-bit flat protected mode, paging off, interrupts off, CS=0x10 DS=ES=SS=FS=GS=0x18 (Linux's __BOOT_CS/__BOOT_DS). */
  | { readonly kind: "protected32"; readonly eip: number; readonly esp: number; readonly regs: EntryRegs }
  /**
   * 64-bit long mode: PAE + EFER.LME + paging with CR3 = cr3 (page tables are
   * a piece of the image), 64-bit CS, interrupts off, RSP = esp
   * (zero-extended), jump to rip (a 64-bit virtual address).
   */
  | { readonly kind: "long64"; readonly rip: bigint; readonly esp: number; readonly cr3: number; readonly regs: EntryRegs };

/** A complete memory image and how to enter it. */
export interface BootImage {
  /** Pieces in ascending address order; they never overlap. */
  readonly pieces: readonly BootPiece[];
  /** The entry descriptor. */
  readonly entry: BootEntry;
}

/** Whatever can start a BootImage (pxehttp.0 provides one; on Node there is none). Never resolves on success. */
export type Booter = (image: BootImage) => Promise<never>;

/** One entry of the BIOS E820 memory map (type 1 = usable RAM). */
export interface E820Entry {
  /** Physical base address. */
  readonly base: number;
  /** Length in bytes. */
  readonly length: number;
  /** 1 usable, 2 reserved, 3 ACPI reclaimable, 4 ACPI NVS, 5 bad. */
  readonly type: number;
  /** ACPI 3.0 extended attributes, when the BIOS gave them. */
  readonly attributes?: number;
}

/** A physical address range [base, base + length). */
export interface MemRange {
  /** First byte. */
  readonly base: number;
  /** Length in bytes. */
  readonly length: number;
}
