import type { PxeCallPort } from "../pxe-port.js";
import { pxeCallRaw } from "../pxe/call.js";
import * as op from "../pxe/opcodes.js";
import { PxeStatus, statusName } from "../pxe/status.js";
import { statusBlock } from "../pxe/blocks-undi.js";
import { unloadStackBlock } from "../pxe/blocks-base.js";

/** One step of unloading the PXE stack and what the firmware answered. */
export interface UnloadStep {
  /** Opcode called. */
  opcode: number;
  /** Its name. */
  opcodeName: string;
  /** Status word returned. */
  status: number;
  /** Its name. */
  statusName: string;
  /** True when AX and status were both success. */
  ok: boolean;
}

/**
 * Unloads the PXE stack before a kernel takes the machine, in the order
 * PXE 2.1 NBPs use: PXENV_UNDI_SHUTDOWN, PXENV_UNLOAD_STACK, PXENV_STOP_UNDI.
 * Never throws for a firmware refusal: every step runs and is reported, so
 * the caller can decide (e.g. keep base memory reserved when a step fails).
 */
export function unloadPxe(port: PxeCallPort): UnloadStep[] {
  const steps: UnloadStep[] = [];
  const record = (opcode: number, r: { exit: number; block: { status: number } }) =>
    steps.push({
      opcode, opcodeName: op.opcodeName(opcode), status: r.block.status, statusName: statusName(r.block.status),
      ok: r.exit === 0 && r.block.status === PxeStatus.SUCCESS,
    });
  record(op.PXENV_UNDI_SHUTDOWN, pxeCallRaw(port, op.PXENV_UNDI_SHUTDOWN, statusBlock, { status: 0 }));
  record(op.PXENV_UNLOAD_STACK, pxeCallRaw(port, op.PXENV_UNLOAD_STACK, unloadStackBlock, { status: 0, reserved: new Uint8Array(10) }));
  record(op.PXENV_STOP_UNDI, pxeCallRaw(port, op.PXENV_STOP_UNDI, statusBlock, { status: 0 }));
  return steps;
}
