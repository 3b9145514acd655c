/**
 * The Booter of pxehttp.0: stages a boot image's pieces where no piece's
 * destination lies, shuts the PXE firmware down as FreeBSD's pxeboot does,
 * and calls the platform's hand-off (nbp.boot). Knows nothing about which
 * kernel it starts: @pxe/kboot decides every byte and address.
 */
import { PxeError } from "@pxe/core";
import { PXENV_UNDI_CLOSE, statusBlock, pxeCallRaw, unloadPxe, type UnloadStep } from "@pxe/undi";
import type { NbpHost } from "./host-api.js";
import { nbpPxeCallPort } from "./adapter.js";
import { COPY_WORDS, CopyWord, ENTRY_WORDS, EntryKind, EntryWord } from "./handoff-layout.js";
import type { BootImage, BootPiece, Booter, MemRange } from "@pxe/kboot";

/** A range the planner may not use (@pxe/kboot's MemRange) and who needs it. */
export interface ReservedRange extends MemRange {
  /** Who needs it. */
  readonly why: string;
}

/**
 * Memory a boot image may not be planned into: everything below 1 MiB (the
 * stub and its trampoline, the real-mode stack, the PXE blocks, the BIOS).
 * The engine, its heap and the staged copies above 1 MiB are not reserved:
 * bootImage moves every piece out of the way of the destinations first.
 */
export function reservedRanges(): ReservedRange[] {
  return [{ base: 0, length: 0x100000, why: "pxehttp.0 stub, hand-off trampoline, real-mode stack and PXE blocks; BIOS" }];
}

/** The image cannot be started: a piece cannot be staged, or the platform refuses the copy list. Nothing was shut down. */
export class BootImageError extends PxeError {
  /** The piece concerned, when one is. */
  readonly piece?: string;
  constructor(message: string, piece?: string) {
    super("NBP_BOOT_IMAGE", message);
    this.piece = piece;
  }
}

/** Options of {@link bootImage}. */
export interface BootImageOptions {
  /** Progress lines ("staging", PXE shutdown steps). */
  log?: (line: string) => void;
}

function overlaps(a: number, al: number, b: number, bl: number): boolean {
  return al > 0 && bl > 0 && a < b + bl && b < a + al;
}

function span(p: BootPiece): number {
  return p.data.length + (p.zero ?? 0);
}

/** Where a piece's bytes sit until the hand-off: in place when they avoid every destination, else a copy from allocHigh. */
function stage(host: NbpHost, piece: BootPiece, pieces: readonly BootPiece[]): number {
  const len = piece.data.length;
  if (len === 0) return 0;
  const clear = (at: number): boolean => pieces.every((q) => !overlaps(at, len, q.dest, span(q)));
  const here = host.addressOf ? host.addressOf(piece.data) : -1;
  if (here >= 0 && clear(here)) return here;
  let at: number;
  try {
    at = host.allocHigh(len, 16);
  } catch (e) {
    throw new BootImageError(`cannot stage ${piece.name} (${len} bytes): ${e instanceof Error ? e.message : String(e)}`, piece.name);
  }
  if (!clear(at)) {
    throw new BootImageError(
      `cannot stage ${piece.name} (${len} bytes): the free memory at 0x${at.toString(16)} lies inside the image's destinations; plan the image lower or give the machine more memory`,
      piece.name,
    );
  }
  host.memWrite(at, piece.data);
  return at;
}

/** The u32 words of nbp.boot's arguments for `image`, its pieces' sources given. */
export function handoffWords(image: BootImage, sources: readonly number[]): { copies: Uint32Array; entry: Uint32Array } {
  const copies = new Uint32Array(image.pieces.length * COPY_WORDS);
  image.pieces.forEach((p, i) => {
    const o = i * COPY_WORDS;
    copies[o + CopyWord.dest] = p.dest;
    copies[o + CopyWord.src] = sources[i];
    copies[o + CopyWord.len] = p.data.length;
    copies[o + CopyWord.zero] = p.zero ?? 0;
  });
  const e = image.entry;
  const entry = new Uint32Array(ENTRY_WORDS);
  if (e.kind === "protected32") {
    entry[EntryWord.kind] = EntryKind.protected32;
    entry[EntryWord.ipLo] = e.eip;
  } else {
    entry[EntryWord.kind] = EntryKind.long64;
    entry[EntryWord.ipLo] = Number(e.rip & BigInt(0xffffffff));
    entry[EntryWord.ipHi] = Number((e.rip >> BigInt(32)) & BigInt(0xffffffff));
    entry[EntryWord.cr3] = e.cr3;
  }
  entry[EntryWord.esp] = e.esp;
  const r = e.regs;
  entry[EntryWord.eax] = r.eax ?? 0;
  entry[EntryWord.ebx] = r.ebx ?? 0;
  entry[EntryWord.ecx] = r.ecx ?? 0;
  entry[EntryWord.edx] = r.edx ?? 0;
  entry[EntryWord.esi] = r.esi ?? 0;
  entry[EntryWord.edi] = r.edi ?? 0;
  entry[EntryWord.ebp] = r.ebp ?? 0;
  return { copies, entry };
}

/**
 * Starts `image` on pxehttp.0. Throws BootImageError (the loader keeps
 * working: nothing was shut down, the staging memory is given back) when a
 * piece cannot be staged or the platform refuses the copy list; otherwise
 * shuts PXE down (UNDI_CLOSE,
 * then UNDI_SHUTDOWN, UNLOAD_STACK, STOP_UNDI) and never returns.
 */
export async function bootImage(host: NbpHost, image: BootImage, options: BootImageOptions = {}): Promise<never> {
  const log = options.log ?? (() => {});
  if (!host.boot || !host.bootCheck) throw new BootImageError("this pxehttp.0 has no kernel hand-off (nbp.boot); rebuild it");
  const pieces = image.pieces;
  for (const p of pieces) {
    if (!(p.dest >= 0x100000 && p.dest + span(p) <= 0x100000000)) {
      throw new BootImageError(`${p.name} at 0x${p.dest.toString(16)} (${span(p)} bytes) is outside 1 MiB .. 4 GiB`, p.name);
    }
  }
  // A refused image gives its staging copies back, so the next try has the same room.
  const mark = host.highMark?.();
  let words: { copies: Uint32Array; entry: Uint32Array };
  try {
    words = handoffWords(image, pieces.map((p) => stage(host, p, pieces)));
    const why = host.bootCheck(words.copies, words.entry);
    if (why !== null) throw new BootImageError(`the platform refuses the image: ${why}`);
  } catch (e) {
    if (mark !== undefined) host.releaseHigh?.(mark);
    throw e;
  }
  const { copies, entry } = words;
  const port = nbpPxeCallPort(host);
  log("shutting down PXE");
  pxeCallRaw(port, PXENV_UNDI_CLOSE, statusBlock, { status: 0 });
  const steps: UnloadStep[] = unloadPxe(port);
  for (const s of steps) log(`  ${s.opcodeName}: ${s.statusName}`);
  log(`starting the kernel (${pieces.length} pieces)`);
  return host.boot(copies, entry);
}

/** bootImage bound to `host`: @pxe/kboot's Booter for the console's `boot`. */
export function nbpBooter(host: NbpHost, options: BootImageOptions = {}): Booter {
  return (image) => bootImage(host, image, options);
}
