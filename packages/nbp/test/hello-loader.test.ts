// The Hello PXE loader on a simulated PXE firmware (no QEMU): boot report
// values, the frame it sends, and console commands typed as serial bytes.
import { onesSumTs } from "@pxe/core";
import { SimPxeFirmware } from "@pxe/undi/testing";
import { describe, expect, test } from "vitest";
import type { NbpHost } from "@pxe/nbp";
import { runHelloPxe } from "../src/loader/hello-loader.js";

class Stop extends Error {}

function simHost(fw: SimPxeFirmware, input: string): { host: NbpHost; out: () => string; powered: () => boolean } {
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
    readKey: () => (i < input.length ? input.charCodeAt(i++) : -1),
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

describe("Hello PXE loader on a simulated firmware", () => {
  test("boot report, one ARP frame, console commands", async () => {
    const fw = new SimPxeFirmware();
    const sim = simHost(fw, "show network\rmem\rhelp\rstats\rfrobnicate\r");
    await expect(runHelloPxe(sim.host)).rejects.toThrow(Stop);
    const out = sim.out();
    expect(out).toMatch(/entry point:\s+!PXE \(found via stack\)/);
    expect(out).toMatch(/MAC:\s+52:54:00:12:34:56/);
    expect(out).toMatch(/client IP:\s+10\.0\.2\.15/);
    expect(out).toMatch(/PCI ids:\s+0x8086:0x100e/);
    expect(out).toMatch(/0x000000100000-0x000007ffffff usable/);
    // Exactly one frame: an ARP request for the gateway, from our MAC.
    expect(fw.transmitted.length).toBe(1);
    const f = fw.transmitted[0];
    expect(Array.from(f.subarray(12, 14))).toEqual([0x08, 0x06]);
    expect(Array.from(f.subarray(38, 42))).toEqual([10, 0, 2, 2]);
    expect(out).toMatch(/statistics:\s+tx 1 \(1 since open\)/);
    expect(out).toMatch(/pxehttp> show network\nnetwork:\n\s+mac:\s+52:54:00:12:34:56/);
    expect(out).toMatch(/usable: 12[78] MiB in 2 ranges/);
    expect(out).toMatch(/pxehttp> help\nCommands:/);
    expect(out).toMatch(/link\.tx\s+1\n/);
    expect(out).toMatch(/error: unknown command 'frobnicate'/);
  });

  test("poweroff from the console reaches the host", async () => {
    const fw = new SimPxeFirmware();
    const sim = simHost(fw, "poweroff\r");
    await expect(runHelloPxe(sim.host)).rejects.toThrow(Stop);
    expect(sim.powered()).toBe(true);
  });
});
