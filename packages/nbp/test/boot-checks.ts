// Shared checks of the Hello PXE boot report, read off the serial console.
import { expect } from "vitest";
import type { QemuInstance } from "../../../tools/qemu/harness.js";

/** What a boot is expected to report. */
export interface Expected {
  mac: string;
  ip: RegExp;
  server: string;
  bootfile: string;
  pciIds?: string;
  minUsableMiB: number;
  domain?: string;
  /** Entry point in use (default "!PXE"). */
  entry?: "!PXE" | "PXENV+";
  /** How the stub found the PXE API (default "stack"). */
  foundBy?: "stack" | "es:bx" | "int1a";
}

/** Time for iPXE's DHCP + TFTP + the engine start under TCG on a busy machine. */
export const BOOT_TIMEOUT = 240_000;
/** Time for one console command's answer. */
export const CMD_TIMEOUT = 30_000;

/** Parses the "Memory map (E820)" lines of the boot report. */
export function memoryMap(text: string): Array<{ start: number; end: number; type: string }> {
  const out: Array<{ start: number; end: number; type: string }> = [];
  for (const m of text.matchAll(/^\s+0x([0-9a-f]{12})-0x([0-9a-f]{12}) (\S+)/gm)) {
    out.push({ start: parseInt(m[1], 16), end: parseInt(m[2], 16), type: m[3] });
  }
  return out;
}

/** Waits for the prompt and checks the boot report. Returns the report text. */
export async function checkBootReport(vm: QemuInstance, want: Expected): Promise<string> {
  await vm.waitFor(/pxehttp> /, BOOT_TIMEOUT);
  const t = vm.text();
  const report = t.slice(t.indexOf("Hello PXE"));
  const entry = (want.entry ?? "!PXE").replace("+", "\\+");
  expect(report).toMatch(new RegExp(`entry point:\\s+${entry} \\(found via ${want.foundBy ?? "stack"}\\)`));
  expect(report).toMatch(/version:\s+2\.1/);
  expect(report).toMatch(new RegExp(`Network \\(cached DHCP reply\\):\\n  MAC:\\s+${want.mac}`));
  const ip = /client IP:\s+(\S+)/.exec(report);
  expect(ip?.[1]).toMatch(want.ip);
  expect(report).toMatch(/netmask:\s+255\.255\.255\.0/);
  expect(report).toMatch(new RegExp(`TFTP server:\\s+${want.server.replace(/\./g, "\\.")}\\n`));
  expect(report).toMatch(new RegExp(`boot file:\\s+${want.bootfile.replace(/\./g, "\\.")}\\n`));
  if (want.domain) expect(report).toMatch(new RegExp(`domain:\\s+${want.domain.replace(/\./g, "\\.")}`));
  expect(report).toMatch(new RegExp(`NIC \\(UNDI\\):\\n  MAC:\\s+${want.mac}`));
  expect(report).toMatch(/IRQ:\s+\d+/);
  expect(report).toMatch(/MTU:\s+1500/);
  if (want.pciIds) expect(report).toMatch(new RegExp(`PCI ids:\\s+${want.pciIds}`));
  // A usable memory map: conventional memory and one big range from 1 MiB.
  const map = memoryMap(report);
  expect(map.find((r) => r.start === 0 && r.type === "usable" && r.end >= 0x7ffff)).toBeTruthy();
  const high = map.find((r) => r.start === 0x100000 && r.type === "usable");
  expect(high).toBeTruthy();
  expect((high!.end + 1 - high!.start) / 2 ** 20).toBeGreaterThanOrEqual(want.minUsableMiB);
  // The one frame sent counts in the UNDI statistics.
  const st = /statistics:\s+tx (\d+) \((\d+) since open\) rx (\d+)/.exec(report);
  expect(st).toBeTruthy();
  expect(Number(st![2])).toBeGreaterThanOrEqual(1);
  expect(report).toMatch(/link counters:\s+tx 1 /);
  return report;
}

/** Types `line` and waits for `answer`, then for the next prompt. */
export async function command(vm: QemuInstance, line: string, answer: RegExp): Promise<string> {
  vm.mark();
  vm.send(line);
  const m = await vm.waitFor(answer, CMD_TIMEOUT);
  await vm.waitFor(/pxehttp> /, CMD_TIMEOUT);
  return m[0];
}

/** Types `line`, waits for `answer` and the next prompt; returns the command's output (text after the echo). */
export async function commandOutput(vm: QemuInstance, line: string, answer: RegExp, timeoutMs = CMD_TIMEOUT): Promise<string> {
  vm.mark();
  const from = vm.text().length;
  vm.send(line);
  await vm.waitFor(answer, timeoutMs);
  await vm.waitFor(/pxehttp> /, timeoutMs);
  return vm.text().slice(from);
}

/** `poweroff` ends QEMU. */
export async function powerOff(vm: QemuInstance): Promise<void> {
  vm.mark();
  vm.send("poweroff");
  await vm.waitFor(/powering off/, CMD_TIMEOUT);
  expect(await vm.waitExit(30_000)).toBe(0);
}
