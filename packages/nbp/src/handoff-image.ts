/**
 * The boot image bootImage starts: structurally @pxe/kboot's BootImage
 * (BOOT-INTERFACE.md), named here so @pxe/nbp builds before kboot lands.
 */

/** One piece of the final memory image. */
export interface HandoffPiece {
  /** What it is ("kernel", "modulep", "stack", ...): named in errors. */
  readonly name: string;
  /** Physical address of its first byte (at least 1 MiB, below 4 GiB). */
  readonly dest: number;
  /** Bytes placed at dest. */
  readonly data: Uint8Array;
  /** Zero bytes that follow data (BSS); default 0. */
  readonly zero?: number;
}

/** General registers at entry (unset = 0). */
export interface HandoffRegs { eax?: number; ebx?: number; ecx?: number; edx?: number; esi?: number; edi?: number; ebp?: number }

/** How the kernel is entered. */
export type HandoffEntry =
  | { readonly kind: "protected32"; readonly eip: number; readonly esp: number; readonly regs: HandoffRegs }
  | { readonly kind: "long64"; readonly rip: bigint; readonly esp: number; readonly cr3: number; readonly regs: HandoffRegs };

/** A complete memory image and its entry. */
export interface HandoffImage { readonly pieces: readonly HandoffPiece[]; readonly entry: HandoffEntry }
