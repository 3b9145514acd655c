/**
 * The abstract "PXE call" port the real-mode backend runs on: call a PXE API
 * opcode with a parameter block, and reach real-mode memory. Inside
 * pxehttp.0 the NBP platform implements it on the firmware's real entry
 * point; in tests a simulated firmware does.
 *
 * Addresses are 32-bit linear (physical) addresses; a real-mode seg:off
 * pointer p maps to linear p.segment * 16 + p.offset.
 */
export interface PxeCallPort {
  /**
   * Calls PXE API `opcode` with `block` as the parameter block. The block is
   * copied to real-mode memory, the call made (ES:DI -> block, BX = opcode),
   * and the block copied back into `block`. Returns AX: 0 (PXENV_EXIT_SUCCESS)
   * or 1 (PXENV_EXIT_FAILURE); the PXE status is the block's first word.
   */
  call(opcode: number, block: Uint8Array): number;
  /** Copies `length` bytes starting at linear `address`. */
  read(address: number, length: number): Uint8Array;
  /** Writes `data` at linear `address`. */
  write(address: number, data: Uint8Array): void;
  /**
   * Allocates `size` bytes below 640 KiB, reachable from real mode, 16-byte
   * aligned, for transmit buffers and descriptors. Never freed.
   */
  allocLow(size: number): number;
}
