import type { Codec } from "@pxe/core";
import * as op from "../pxe/opcodes.js";
import { PxeStatus } from "../pxe/status.js";
import { tftpGetFsizeBlock, tftpOpenBlock, tftpReadBlock, tftpReadFileBlock } from "../pxe/blocks-base.js";
import type { RealModeMemory } from "./memory.js";

/**
 * Decodes a parameter block in place and returns the value and a function
 * writing an answer back. RangeError when the caller passed a block shorter
 * than the structure (a bug in the caller, which real firmware would not catch).
 */
export function blockIo<T>(codec: Codec<T>, block: Uint8Array): { v: T; put: (v: T) => void } {
  const size = codec.encodingLength(undefined as never);
  if (block.length < size) throw new RangeError(`parameter block of ${block.length} bytes, needs ${size}`);
  return { v: codec.decode(block, 0, block.length).value, put: (v: T) => void codec.encodeInto(v, block, 0) };
}

/** The simulated base code's TFTP: GET_FSIZE, READ_FILE, and OPEN/READ/CLOSE in blksize packets. */
export class SimTftp {
  private open: { data: Uint8Array; pos: number; block: number; blksize: number; done: boolean } | null = null;

  /** Serves `files` by name, writing into `memory`. */
  constructor(private readonly memory: RealModeMemory, private readonly files: Record<string, Uint8Array>) {}

  /** Forgets an open transfer (the base code stopped). */
  reset(): void {
    this.open = null;
  }

  /** Runs a TFTP opcode on `block`; returns the status word. */
  call(opcode: number, block: Uint8Array): number {
    const S = PxeStatus;
    const files = this.files;
    switch (opcode) {
      case op.PXENV_TFTP_GET_FSIZE: {
        const { v, put } = blockIo(tftpGetFsizeBlock, block);
        const f = files[v.fileName];
        if (!f) return S.TFTP_FILE_NOT_FOUND;
        put({ ...v, status: 0, fileSize: f.length });
        return S.SUCCESS;
      }
      case op.PXENV_TFTP_READ_FILE: {
        const { v, put } = blockIo(tftpReadFileBlock, block);
        const f = files[v.fileName];
        if (!f) return S.TFTP_FILE_NOT_FOUND;
        if (f.length > v.bufferSize) return S.OUT_OF_RESOURCES;
        if (v.buffer + f.length > 0x100000) return S.FAILURE;
        this.memory.write(v.buffer, f);
        put({ ...v, status: 0, bufferSize: f.length });
        return S.SUCCESS;
      }
      case op.PXENV_TFTP_OPEN: {
        if (this.open) return S.TFTP_OPEN;
        const { v, put } = blockIo(tftpOpenBlock, block);
        const f = files[v.fileName];
        if (!f) return S.TFTP_FILE_NOT_FOUND;
        if (v.packetSize < 512) return S.TFTP_INVALID_PACKET_SIZE;
        this.open = { data: f, pos: 0, block: 0, blksize: Math.min(v.packetSize, 1432), done: false };
        put({ ...v, status: 0, packetSize: this.open.blksize });
        return S.SUCCESS;
      }
      case op.PXENV_TFTP_READ: {
        const t = this.open;
        if (!t || t.done) return S.TFTP_CLOSED;
        const { v, put } = blockIo(tftpReadBlock, block);
        const n = Math.min(t.blksize, t.data.length - t.pos);
        this.memory.write(v.buffer.linear(), t.data.subarray(t.pos, t.pos + n));
        t.block++;
        t.pos += n;
        if (n < t.blksize) t.done = true;
        put({ ...v, status: 0, packetNumber: t.block & 0xffff, bufferSize: n });
        return S.SUCCESS;
      }
      case op.PXENV_TFTP_CLOSE:
        if (!this.open) return S.TFTP_CLOSED;
        this.open = null;
        return S.SUCCESS;
    }
    return S.UNSUPPORTED;
  }
}
