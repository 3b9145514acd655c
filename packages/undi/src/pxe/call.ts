import { encode, type Codec } from "@pxe/core";
import type { PxeCallPort } from "../pxe-port.js";
import { PxeCallError } from "../errors.js";
import { opcodeName, PXENV_EXIT_SUCCESS } from "./opcodes.js";
import { PxeStatus, statusName } from "./status.js";
import type { SegOff } from "./segoff.js";

/** Result of a PXE call that did not throw: the block as the firmware left it. */
export interface CallResult<T> {
  /** Decoded parameter block after the call. */
  block: T;
  /** AX returned by the call. */
  exit: number;
}

/** The PxeCallError for a failed call of `opcode`: its name, the status word and its name, AX. */
export function pxeCallError(opcode: number, status: number, exit: number): PxeCallError {
  return new PxeCallError(opcode, opcodeName(opcode), status, statusName(status), exit);
}

/**
 * Calls PXE `opcode` with `value` encoded by `codec`, decodes the block the
 * firmware wrote back, and returns it. Throws PxeCallError (naming opcode and
 * status) when AX is not PXENV_EXIT_SUCCESS or the status word is not
 * PXENV_STATUS_SUCCESS.
 */
export function pxeCall<T extends { status: number }>(port: PxeCallPort, opcode: number, codec: Codec<T>, value: T): T {
  const r = pxeCallRaw(port, opcode, codec, value);
  if (r.exit !== PXENV_EXIT_SUCCESS || r.block.status !== PxeStatus.SUCCESS) {
    throw pxeCallError(opcode, r.block.status, r.exit);
  }
  return r.block;
}

/** Like pxeCall, but returns failures instead of throwing. */
export function pxeCallRaw<T extends { status: number }>(port: PxeCallPort, opcode: number, codec: Codec<T>, value: T): CallResult<T> {
  const block = encode(codec, value);
  const exit = port.call(opcode, block);
  return { block: codec.decode(block, 0, block.length).value, exit };
}

/**
 * Reads a structure at a real-mode pointer: `maxLength` bytes of memory are
 * read (less near the 1 MiB top) and decoded by `codec` (WireError if invalid).
 */
export function readStructure<T>(port: PxeCallPort, at: SegOff, codec: Codec<T>, maxLength: number): T {
  const addr = at.linear();
  const n = Math.max(0, Math.min(maxLength, 0x100000 - addr));
  const data = port.read(addr, n);
  return codec.decode(data, 0, data.length).value;
}
