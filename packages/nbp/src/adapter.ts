import type { Platform } from "@pxe/core";
import type { PxeCallPort } from "@pxe/undi";
import type { NbpHost } from "./host-api.js";

/** Options of {@link nbpPlatform}. */
export interface NbpPlatformOptions {
  /** Seed of the random byte generator (default: the clock's fraction bits). */
  seed?: number;
}

/**
 * @pxe/undi's PxeCallPort on the NBP host: the real-mode backend
 * (UndiLink) and the PXE structure readers run on it unchanged; the
 * native receive loop (undiReceive) becomes its isrReceive accelerator.
 */
export function nbpPxeCallPort(host: NbpHost): PxeCallPort {
  return {
    call: (opcode, block) => host.pxeCall(opcode, block),
    read: (address, length) => host.memRead(address, length),
    write: (address, data) => host.memWrite(address, data),
    allocLow: (size) => host.allocLow(size),
    ...(host.undiReceive ? { isrReceive: host.undiReceive.bind(host) } : {}),
  };
}

/**
 * @pxe/core's Platform on the NBP host: the TSC clock, the console, and the
 * native accelerators (ones'-complement sum; SHA-256 blocks when the image has them). Random bytes come from a
 * xorshift generator seeded from the clock (not cryptographic; the machine
 * has no entropy source we can rely on before the network is up).
 */
export function nbpPlatform(host: NbpHost, options: NbpPlatformOptions = {}): Platform {
  let s = (options.seed ?? Math.floor((host.now() * 1e6) % 0xffffffff)) >>> 0 || 0x9e3779b9;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return {
    now: () => host.now(),
    write: (text) => host.write(text),
    randomBytes(out) {
      for (let i = 0; i < out.length; i += 4) {
        const v = next();
        for (let k = 0; k < 4 && i + k < out.length; k++) out[i + k] = (v >>> (8 * k)) & 0xff;
      }
    },
    accel: {
      onesSum: (data, start, end, initial) => host.onesSum(data, start, end, initial),
      ...(host.sha256Blocks ? { sha256Blocks: (state: Uint32Array, data: Uint8Array, start: number, end: number) => host.sha256Blocks!(state, data, start, end) } : {}),
    },
  };
}

/**
 * Decodes the E820 map from NbpHost.e820() into regions (base and length
 * as numbers: exact up to 2^53).
 */
export function parseE820(raw: Uint8Array): Array<{ base: number; length: number; type: number; attributes: number }> {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: Array<{ base: number; length: number; type: number; attributes: number }> = [];
  for (let o = 0; o + 24 <= raw.length; o += 24) {
    out.push({
      base: dv.getUint32(o, true) + dv.getUint32(o + 4, true) * 0x100000000,
      length: dv.getUint32(o + 8, true) + dv.getUint32(o + 12, true) * 0x100000000,
      type: dv.getUint32(o + 16, true),
      attributes: dv.getUint32(o + 20, true),
    });
  }
  return out;
}
