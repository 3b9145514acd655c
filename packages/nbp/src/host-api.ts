import { PxeError } from "@pxe/core";

/**
 * The host API that pxehttp.0's C platform gives the embedded JavaScript
 * engine, as the global object `nbp`. It stays close to the PXE API: call
 * opcode N with a parameter block, read and write physical memory, allocate
 * memory real mode can reach, a clock, a console. Everything above it (PXE
 * structures, UNDI, protocols, commands) is TypeScript.
 *
 * Addresses are 32-bit linear (= physical: no paging) numbers. The platform
 * is single-threaded and has no interrupts: code polls.
 *
 * Implemented in packages/nbp/platform/host.c.
 */

/** Where the PXE API was found and which entry point pxeCall uses. */
export interface NbpPxeInfo {
  /**
   * The entry point pxeCall uses: "!PXE" (EntryPointSP, far call with opcode,
   * offset and segment pushed) when the ROM gave a !PXE structure, else
   * "PXENV+" (RMEntry, ES:DI -> block, BX = opcode).
   */
  readonly entry: "!PXE" | "PXENV+"; // changes with selectEntry()
  /** Linear address of the !PXE structure (0 if absent). */
  readonly bangPxe: number;
  /** Linear address of the PXENV+ structure (0 if absent). */
  readonly pxenv: number;
  /**
   * How the stub found them: "stack" (!PXE pointer at SS:SP+4), "es:bx"
   * (PXENV+ in ES:BX at entry), "int1a" (INT 1Ah AX=5650h) or "none".
   */
  readonly foundBy?: "stack" | "es:bx" | "int1a" | "none";
}

/** Facts about the running image (not needed by portable code). */
export interface NbpImageInfo {
  /** Engine name and version, e.g. "QuickJS 2021-03-27". */
  readonly engine: string;
  /** Size of the NBP file as loaded at 0x7C00. */
  readonly imageBytes: number;
  /** Conventional memory handed out by allocLow: start. */
  readonly lowStart: number;
  /** Top of conventional memory (INT 12h). */
  readonly lowEnd: number;
  /** The engine's heap (JS objects): first byte. */
  readonly heapStart: number;
  /** End of the heap; allocHigh carves downward from here. */
  readonly heapEnd: number;
  /** The boot file's name as the firmware's cached DHCP/proxy reply gives it. */
  readonly bootFile?: string;
  /** The TFTP server the boot file came from (dotted quad). */
  readonly tftpServer?: string;
}

/** The global `nbp` object inside pxehttp.0. */
export interface NbpHost {
  /** The PXE API entry point in use and the structures' addresses. */
  readonly pxe: NbpPxeInfo;
  /** Image and memory facts. */
  readonly info?: NbpImageInfo;
  /**
   * Calls PXE API `opcode`: `block` is copied to a 4 KiB real-mode buffer,
   * the entry point called with ES:DI (PXENV+) or the stacked seg:off
   * (!PXE) pointing at it, and the block copied back. Returns AX
   * (0 = PXENV_EXIT_SUCCESS, 1 = PXENV_EXIT_FAILURE); the PXE status is the
   * block's first word. Throws RangeError for a block over 4096 bytes.
   */
  pxeCall(opcode: number, block: Uint8Array): number;
  /** Copies `length` bytes from linear address `linear` into a new array. */
  memRead(linear: number, length: number): Uint8Array;
  /** Copies `length` bytes from `linear` into `dst` at `dstOffset`, allocating nothing (receive hot path). */
  memReadInto(linear: number, dst: Uint8Array, dstOffset: number, length: number): void;
  /** Writes `data[offset, offset + length)` (default: all of it) at linear address `linear`. */
  memWrite(linear: number, data: Uint8Array, offset?: number, length?: number): void;
  /**
   * Allocates `size` bytes of conventional memory (below 640 KiB, 16-byte
   * aligned, zeroed), reachable from real mode as (addr >> 4):(addr & 15).
   * Never freed. Throws RangeError when conventional memory is used up.
   */
  allocLow(size: number): number;
  /**
   * Allocates `size` bytes above 1 MiB aligned to `align` (a power of two,
   * at least 16), carved from the top of the heap region: for kernels and
   * modules. Freed only by releaseHigh. Throws RangeError when it does not fit.
   */
  allocHigh(size: number, align: number): number;
  /** The current bottom of the allocHigh area: a mark for releaseHigh. Optional: older images lack it. */
  highMark?(): number;
  /**
   * Gives back every allocHigh block carved since `mark` (a highMark()
   * value). RangeError when `mark` is not at or above the current bottom.
   * Optional: older images lack it.
   */
  releaseHigh?(mark: number): void;
  /**
   * Milliseconds since the platform started (fractional, monotonic; TSC
   * calibrated on the PIT). `Date.now()` is wall-clock time from the CMOS
   * RTC (read once at start-up, taken as UTC) advanced by the same clock.
   */
  now(): number;
  /**
   * Writes text to VGA and COM1 (UTF-8; "\n" becomes "\r\n" on serial). VGA
   * interprets ESC[K (erase to end of line), ESC[nC and ESC[nD (cursor
   * right/left) and drops other ANSI escapes.
   */
  write(text: string): void;
  /**
   * One input byte or -1 when none: bytes from COM1, or keys from the BIOS
   * keyboard (arrows, Home, End, Delete, PgUp/PgDn as the ANSI escape bytes
   * a serial terminal sends). Never blocks.
   */
  readKey(): number;
  /**
   * The E820 memory map as read at start-up: 24-byte entries (base u64,
   * length u64, type u32, extended attributes u32), little endian.
   */
  e820(): Uint8Array;
  /**
   * Unfolded RFC 1071 ones'-complement sum of `data[start, end)` added to
   * `initial`; the same arithmetic (and result) as @pxe/core's onesSumTs.
   */
  onesSum(data: Uint8Array, start: number, end: number, initial: number): number;
  /**
   * SHA-256 (FIPS 180-4) compression of the whole 64-byte blocks
   * `data[start, end)` into `state` (8 words H0..H7), in C: @pxe/core's
   * Accelerators.sha256Blocks. RangeError unless (end - start) is a
   * multiple of 64 inside `data`. Optional: older images lack it.
   */
  sha256Blocks?(state: Uint32Array, data: Uint8Array, start: number, end: number): void;
  /**
   * The PXENV_UNDI_ISR receive loop in C, with TCP receive coalescing:
   * @pxe/undi's PxeCallPort.isrReceive (same arguments and result). Optional:
   * older images lack it, and UndiLink then runs the loop in TypeScript.
   */
  undiReceive?(out: Uint8Array, maxFrames: number, maxCalls: number, flags: number, maxFrame: number, state: Int32Array): number;
  /** Resets the machine (port CF9h, keyboard controller, triple fault). Does not return. */
  reboot(): never;
  /** Powers off (ACPI PM1a on QEMU/Bochs/VirtualBox ports, then APM). Halts if that fails. Does not return. */
  poweroff(): never;
  /** Runs the engine's pending promise jobs now; returns how many ran. For loops that poll while promises are pending. */
  runJobs?(): number;
  /**
   * Switches the entry point pxeCall uses (and `pxe.entry`) to "!PXE" or
   * "PXENV+". Throws RangeError when the firmware did not provide that one.
   */
  selectEntry?(entry: "!PXE" | "PXENV+"): void;
  /**
   * Memory figures in bytes: `heapUsed` (malloc'd by the engine, JS objects
   * included), `heapFree` (never carved yet, between heap and allocHigh
   * areas), `lowFree` (conventional memory left for allocLow), `heapSize`
   * (the heap's extent; less `heapUsed` it is what malloc can still give,
   * freed blocks included).
   */
  memoryUsage?(): { heapUsed: number; heapFree: number; lowFree: number; heapSize?: number };
  /** Waits for the next interrupt (sti; hlt; cli) — at most one timer tick, about 55 ms. */
  halt?(): void;
  /**
   * Reads `name` from the boot server through the firmware's TFTP API
   * (relative to the boot file's directory; a leading "/" is from the TFTP
   * root). Returns the bytes, or the PXE status number when the transfer
   * failed (0x3B: file not found; negative: no PXE TFTP, name too long,
   * protocol error). Only while the UNDI is not opened by the loader.
   */
  tftpGet?(name: string): Uint8Array | number;
  /** Linear address of a typed array's bytes (QuickJS never moves them): for zero-copy staging. */
  addressOf?(data: Uint8Array): number;
  /**
   * Why nbp.boot would refuse these arguments (overlapping pieces, a piece
   * below 1 MiB, a bad entry block, ...), or null when it would go ahead.
   */
  bootCheck?(copies: Uint32Array, entry: Uint32Array): string | null;
  /**
   * The kernel hand-off: copies = groups of [dest, src, len, zero] u32
   * words, entry = the 12-word entry block (src/handoff-layout.ts). The
   * stub's resident trampoline (below 64 KiB, its own GDT: 0x08 code64,
   * 0x10 code32, 0x18 data32) copies every piece, zero-fills, and enters
   * the kernel in 32-bit protected mode or long mode. Interrupts off. Does
   * not return; throws RangeError for what bootCheck reports.
   */
  boot?(copies: Uint32Array, entry: Uint32Array): never;
}

/** True when running inside pxehttp.0 (a global `nbp` host object exists). */
export function hasNbpHost(): boolean {
  return typeof (globalThis as { nbp?: unknown }).nbp === "object";
}

/** The global `nbp` host object; throws NbpHostMissingError outside pxehttp.0. */
export function nbpHost(): NbpHost {
  const h = (globalThis as { nbp?: NbpHost }).nbp;
  if (!h) throw new NbpHostMissingError();
  return h;
}



/** Thrown by nbpHost() when the code is not running inside pxehttp.0. */
export class NbpHostMissingError extends PxeError {
  constructor() {
    super("NBP_NO_HOST", "no `nbp` host object: this code runs only inside pxehttp.0");
  }
}
