// The Hello PXE loader on a simulated PXE firmware (no QEMU): boot report
// values, the frame it sends, and console commands typed as serial bytes.
import { SimPxeFirmware } from "@pxe/undi/testing";
import { describe, expect, test } from "vitest";
import { runHelloPxe } from "../src/loader/hello-loader.js";
import { simHost, Stop } from "./sim-host.js";

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
