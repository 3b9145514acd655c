// A simulated NbpHost over SimPxeFirmware, for loader tests without QEMU.
import { onesSumTs } from "@pxe/core";
import type { SimPxeFirmware } from "@pxe/undi/testing";
import type { NbpHost } from "@pxe/nbp";

/** Thrown by the simulated host to end the loader (poweroff, reboot, input used up). */
export class Stop extends Error {}

/**
 * An NbpHost over a simulated PXE firmware: `input` typed as serial bytes,
 * `tick(now)` called on every key poll (e.g. to run a peer on the wire).
 */
export function simHost(fw: SimPxeFirmware, input: string, tick?: (now: number) => void): { host: NbpHost; out: () => string; powered: () => boolean } {
  let out = "";
  let t = 0;
  let i = 0;
  let off = false;
  let idle = 0;
  const e820 = new Uint8Array(48);
  const dv = new DataView(e820.buffer);
  dv.setUint32(8, 0x9fc00, true);
  dv.setUint32(16, 1, true);
  dv.setUint32(24, 0x100000, true);
  dv.setUint32(32, 127 << 20, true);
  dv.setUint32(40, 1, true);
  const host: NbpHost = {
    pxe: { entry: "!PXE", bangPxe: fw.bangPxeAt.linear(), pxenv: fw.pxenvAt.linear(), foundBy: "stack" },
    info: { engine: "simulated", imageBytes: 1, lowStart: 0x8000, lowEnd: 0x9fc00, heapStart: 0x200000, heapEnd: 0x8000000 },
    pxeCall: (op, block) => fw.call(op, block),
    memRead: (a, n) => fw.read(a, n),
    memReadInto: (a, d, o, n) => d.set(fw.read(a, n), o),
    memWrite: (a, d, o = 0, n = d.length - o) => fw.write(a, d.subarray(o, o + n)),
    allocLow: (n) => fw.allocLow(n),
    allocHigh: () => 0x7000000,
    now: () => (t += 0.5),
    write: (s) => void (out += s),
    readKey: () => {
      tick?.(t);
      return i < input.length ? input.charCodeAt(i++) : -1;
    },
    e820: () => e820,
    onesSum: onesSumTs,
    reboot: () => {
      throw new Stop("reboot");
    },
    poweroff: () => {
      off = true;
      throw new Stop("poweroff");
    },
    runJobs: () => 0,
    halt: () => {
      // Idle with all input read: let queued lines finish, then stop the loop.
      if (i >= input.length && ++idle > 100) throw new Stop("input used up");
    },
  };
  return { host, out: () => out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").replace(/\r\n/g, "\n"), powered: () => off };
}

