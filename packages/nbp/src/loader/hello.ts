/**
 * "Hello PXE": what the default loader prints at boot — the PXE API, the
 * cached DHCP reply, the UNDI NIC, the memory map — and the one test frame.
 */
import type { Platform } from "@pxe/core";
import { formatIpv4, parseIpv4, readIpv4, writeIpv4 } from "@pxe/ip";
import {
  findPxe, SegOff, UndiLink, type CachedDhcpInfo, type FoundPxe, type PxeCallPort, type UndiGetNicTypeBlock,
} from "@pxe/undi";
import type { NbpHost } from "../host-api.js";
import { parseE820 } from "../adapter.js";

/** Everything the boot report found, kept for the console's `show`/`mem`/`stats`. */
export interface BootFacts {
  found: FoundPxe;
  pxeVersion: string;
  dhcp?: CachedDhcpInfo;
  dhcpError?: string;
  link?: UndiLink;
  linkError?: string;
  /** True once the report opened the link (PXENV_UNDI_OPEN succeeded). */
  linkOpen?: boolean;
  nic?: UndiGetNicTypeBlock;
  sentFrames: number;
  receivedFrames: number;
}

/** aa:bb:cc:dd:ee:ff */
export function macString(mac: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < mac.length; i++) parts.push((mac[i] < 16 ? "0" : "") + mac[i].toString(16));
  return parts.join(":");
}

/** 0x1234 */
export function hex(n: number, digits = 4): string {
  let s = n.toString(16);
  while (s.length < digits) s = "0" + s;
  return "0x" + s;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The PXE version as "2.1", from PXENV+ (BCD-ish word 0x0201) or the !PXE revision. */
function pxeVersion(found: FoundPxe): string {
  const v = found.pxenv?.value.version;
  if (v !== undefined) return `${v >> 8}.${v & 0xff}`;
  if (found.bangPxe) return "2.1";
  return "unknown";
}

/** An ARP request "who has `target`" from `mac`/`ip`: the one frame the loader sends. */
export function arpRequest(mac: Uint8Array, ip: string, target: string): Uint8Array {
  const f = new Uint8Array(60);
  f.fill(0xff, 0, 6);
  f.set(mac.subarray(0, 6), 6);
  f[12] = 0x08;
  f[13] = 0x06;
  const a = [0, 1, 8, 0, 6, 4, 0, 1];
  f.set(a, 14);
  f.set(mac.subarray(0, 6), 22);
  writeIpv4(f, 28, parseIpv4(ip));
  writeIpv4(f, 38, parseIpv4(target));
  return f;
}

/** Prints the boot report and returns what it found. Never throws: failures are reported and kept. */
export function helloPxe(host: NbpHost, port: PxeCallPort, platform: Platform): BootFacts {
  const say = (s: string): void => platform.write(s + "\n");
  const row = (k: string, v: string): void => say(`  ${(k + ":").padEnd(14)} ${v}`);
  const found = findPxe(port, {
    bangPxe: host.pxe.bangPxe ? SegOff.fromLinear(host.pxe.bangPxe) : undefined,
    pxenv: host.pxe.pxenv ? SegOff.fromLinear(host.pxe.pxenv) : undefined,
  });
  const facts: BootFacts = { found, pxeVersion: pxeVersion(found), sentFrames: 0, receivedFrames: 0 };

  say("");
  say(`pxehttp.0 — Hello PXE (${host.info?.engine ?? "engine"}, image ${host.info?.imageBytes ?? "?"} bytes, loader running ${host.now().toFixed(0)} ms after start)`);
  say("PXE:");
  row("version", facts.pxeVersion);
  row("entry point", `${host.pxe.entry}${host.pxe.foundBy ? ` (found via ${host.pxe.foundBy})` : ""}`);
  if (found.bangPxe) row("!PXE", `${found.bangPxe.at.toString()} entry ${found.bangPxe.value.entryPointSP.toString()}`);
  if (found.pxenv) row("PXENV+", `${found.pxenv.at.toString()} entry ${found.pxenv.value.rmEntry.toString()}`);

  let link: UndiLink | undefined;
  try {
    link = new UndiLink(port);
    facts.link = link;
  } catch (e) {
    facts.linkError = errText(e);
  }

  say("Network (cached DHCP reply):");
  try {
    if (!link) throw new Error(facts.linkError);
    const d = link.cachedDhcp();
    facts.dhcp = d;
    row("MAC", macString(d.clientMac));
    row("client IP", d.yourIp);
    row("netmask", d.subnetMask ?? "-");
    row("gateway", d.routers.join(", ") || "-");
    // Where pxehttp.0 came from: with proxyDHCP that is the boot server,
    // not the DHCP server whose ACK gave the address.
    row("TFTP server", host.info?.tftpServer ?? d.nextServer);
    row("boot file", d.bootFile ?? "-");
    row("DNS servers", d.dnsServers.join(", ") || "-");
    row("domain", d.domainName ?? "-");
  } catch (e) {
    facts.dhcpError = errText(e);
    say(`  unavailable: ${facts.dhcpError}`);
  }

  say("NIC (UNDI):");
  if (link) {
    const i = link.info;
    row("MAC", macString(i.mac));
    row("IRQ", String(i.irq));
    row("I/O base", hex(i.ioBase));
    row("MTU", String(i.mtu));
    try {
      const t = link.nicType();
      facts.nic = t;
      if ("pci" in t) {
        row("NIC type", t.nicType === 2 ? "PCI" : "CardBus");
        row("PCI ids", `${hex(t.pci.vendorId)}:${hex(t.pci.deviceId)} (subsystem ${hex(t.pci.subVendorId)}:${hex(t.pci.subDeviceId)})`);
        row("PCI class", `${hex(t.pci.baseClass, 2)}/${hex(t.pci.subClass, 2)}/${hex(t.pci.progIntf, 2)} rev ${t.pci.rev}`);
        row("PCI address", `${hex(t.pci.busDevFunc >> 8, 2)}:${hex((t.pci.busDevFunc >> 3) & 31, 2)}.${t.pci.busDevFunc & 7}`);
      } else if ("pnp" in t) {
        row("NIC type", "PnP");
        row("EISA id", hex(t.pnp.eisaDevId, 8));
      } else row("NIC type", String(t.nicType));
    } catch (e) {
      row("NIC type", `unavailable: ${errText(e)}`);
    }
  } else say(`  unavailable: ${facts.linkError}`);

  say("Memory map (E820):");
  let usable = 0;
  for (const r of parseE820(host.e820())) {
    const end = r.base + r.length - 1;
    const name = r.type === 1 ? "usable" : r.type === 2 ? "reserved" : r.type === 3 ? "ACPI" : r.type === 4 ? "ACPI NVS" : `type ${r.type}`;
    if (r.type === 1) usable += r.length;
    say(`  ${hex(r.base, 12)}-${hex(end, 12)} ${name}`);
  }
  say(`  usable:        ${Math.floor(usable / 1024)} KiB`);

  if (link && facts.dhcp) {
    say("UNDI:");
    try {
      link.open();
      facts.linkOpen = true;
      const before = link.firmwareStatistics().xmtGoodFrames;
      const gw = facts.dhcp.routers[0] ?? facts.dhcp.nextServer;
      const ok = link.transmit(arpRequest(link.info.mac, facts.dhcp.yourIp, gw));
      if (ok) facts.sentFrames++;
      row("sent", `ARP request for ${gw} (${ok ? "ok" : "dropped"})`);
      const until = platform.now() + 300;
      while (platform.now() < until) {
        link.poll(platform.now(), (frame) => {
          facts.receivedFrames++;
          if (frame[12] === 0x08 && frame[13] === 0x06 && frame[21] === 2) {
            row("received", `ARP reply: ${formatIpv4(readIpv4(frame, 28))} is at ${macString(frame.subarray(22, 28))}`);
          }
        });
      }
      const fw = link.firmwareStatistics();
      row("statistics", `tx ${fw.xmtGoodFrames} (${fw.xmtGoodFrames - before} since open) rx ${fw.rcvGoodFrames} crc-errors ${fw.rcvCrcErrors} no-buffer ${fw.rcvResourceErrors}`);
      const s = link.statistics();
      row("link counters", `tx ${s.xmitGoodFrames} rx ${s.rcvGoodFrames} dropped ${s.dropped}`);
    } catch (e) {
      say(`  failed: ${errText(e)}`);
    }
  }
  return facts;
}
