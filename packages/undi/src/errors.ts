import { PxeError, WireError } from "@pxe/core";
import type { LinkInfo } from "./link.js";

/** Thrown by a LinkDriver when it is used wrongly (frame too long or too short, not open). */
export class LinkError extends PxeError {
  /** The driver's name, e.g. "undi" or "tap:pxt0". */
  readonly driver: string;
  constructor(driver: string, message: string) {
    super("LINK_ERROR", `${driver}: ${message}`);
    this.driver = driver;
  }
}

/**
 * The checks every driver's transmit makes, throwing LinkError: the link is
 * open, the frame fits MTU + 14 bytes of Ethernet header, and (with
 * `needHeader`) it is at least a header long.
 */
export function checkTransmit(info: LinkInfo, open: boolean, frame: Uint8Array, needHeader = false): void {
  if (!open) throw new LinkError(info.name, "transmit on a closed link");
  if (frame.length > info.mtu + 14) throw new LinkError(info.name, `frame of ${frame.length} bytes exceeds MTU ${info.mtu} + 14`);
  if (needHeader && frame.length < 14) throw new LinkError(info.name, `frame of ${frame.length} bytes is shorter than an Ethernet header`);
}

/**
 * Thrown when a PXE API call fails: AX was PXENV_EXIT_FAILURE or the block's
 * status word was not PXENV_STATUS_SUCCESS. Names the opcode and the status.
 */
export class PxeCallError extends PxeError {
  /** The PXE opcode called, e.g. 0x0008. */
  readonly opcode: number;
  /** Its name, e.g. "PXENV_UNDI_TRANSMIT". */
  readonly opcodeName: string;
  /** The PXE status word the firmware returned. */
  readonly status: number;
  /** Its name, e.g. "PXENV_STATUS_UNDI_TRANSMIT_ERROR". */
  readonly statusName: string;
  /** The AX value the call returned (0 success, 1 failure). */
  readonly exit: number;
  constructor(opcode: number, opcodeName: string, status: number, statusName: string, exit: number) {
    super("PXE_CALL_FAILED", `${opcodeName} (0x${hex4(opcode)}) failed: ${statusName} (0x${hex4(status)}), AX=${exit}`);
    this.opcode = opcode;
    this.opcodeName = opcodeName;
    this.status = status;
    this.statusName = statusName;
    this.exit = exit;
  }
}

/** Thrown when a pcap file is malformed (bad magic, truncated record, absurd length). */
export class PcapError extends WireError {
  constructor(offset: number, reason: string) {
    super("pcap file", offset, reason);
  }
}

function hex4(n: number): string {
  return (n >>> 0).toString(16).padStart(4, "0");
}
