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
  /**
   * Optional accelerator: the PXENV_UNDI_ISR receive loop run natively, as
   * UndiLink.poll runs it (START when `flags` has IsrLoopFlag.START, then
   * PROCESS, GET_NEXT until DONE; pieces reassembled; frames over
   * `maxFrame` skipped), at most `maxFrames` frames and `maxCalls` calls.
   * Frames go into `out` as records [u16 length, little endian][bytes]
   * while at least 2 + maxFrame bytes are left; with IsrLoopFlag.COALESCE,
   * in-order TCP data segments of one flow are merged into one frame
   * (IPv4 without options or fragments, flags ACK with PSH only on the
   * last, same addresses, ports, ACK and option bytes, checksums verified
   * before and recomputed after); with IsrLoopFlag.RESET, a frame left
   * half reassembled by an earlier call is dropped first. `state`
   * (ISR_LOOP_STATE_WORDS words, see IsrLoopState) carries the cycle state
   * between calls and cumulative counters. Returns the number of records,
   * or -1 when a call failed (state holds its exit code and status).
   */
  isrReceive?(out: Uint8Array, maxFrames: number, maxCalls: number, flags: number, maxFrame: number, state: Int32Array): number;
}

/** Flags of PxeCallPort.isrReceive. */
export const IsrLoopFlag = {
  /** Begin each interrupt cycle with ISR START. */
  START: 1,
  /** Merge in-order TCP data segments (see PxeCallPort.isrReceive). */
  COALESCE: 2,
  /** Forget a frame half reassembled from pieces before anything else (set on the first call after UNDI_OPEN). */
  RESET: 4,
} as const;

/** Word indexes of PxeCallPort.isrReceive's state array. */
export const IsrLoopState = {
  /** In/out: 1 while an interrupt cycle is open (GET_NEXT comes next). */
  processing: 0,
  isrCalls: 1,
  busy: 2,
  txCompletions: 3,
  oversize: 4,
  protocolErrors: 5,
  callLimitHits: 6,
  /** Frames taken from the UNDI (before merging). */
  frames: 7,
  /** Segments merged into an earlier one. */
  merged: 8,
  /** PXE status of the failed call (when -1 was returned). */
  status: 9,
  /** AX of the failed call (when -1 was returned). */
  exit: 10,
} as const;

/** Length of PxeCallPort.isrReceive's state array. */
export const ISR_LOOP_STATE_WORDS = 11;
