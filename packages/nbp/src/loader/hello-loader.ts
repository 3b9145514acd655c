/**
 * The Hello PXE loader as a function: the boot report, then the `pxehttp>`
 * console (shared command registry of @pxe/console) until a command ends
 * it. Runs on any NbpHost: pxehttp.0's, or a simulated one in tests.
 */
import { ConsoleSession, createRegistry, kbootCommands, type CommandRegistry, type ConsoleResult, type Fact } from "@pxe/console";
import { Sha256 } from "@pxe/http";
import { formatIpv4 as formatIp } from "@pxe/ip";
import type { NbpHost } from "../host-api.js";
import { nbpPlatform, nbpPxeCallPort, parseE820 } from "../adapter.js";
import { hex, helloPxe, macString } from "./hello.js";
import { startNetwork, type NbpNetwork } from "./network.js";
import { cachedDhcp } from "@pxe/undi";
import { findBootConfig, rootPathUrl, scriptedKeys, startupLines, type BootConfig } from "./startup.js";
import { nbpBooter, reservedRanges } from "../boot.js";

/** How often the console polls the network while a command runs (ms). */
const BUSY_POLL_MS = 20;

/** A promise that settles once `done()` holds, checking it once per microtask hop (other promise jobs run in between). */
function yieldUntil(done: () => boolean): Promise<void> {
  const hop = (): Promise<void> | undefined => (done() ? undefined : Promise.resolve().then(hop));
  return Promise.resolve().then(hop);
}

/**
 * Runs Hello PXE on `host`; `extend` may add commands and providers to the
 * registry. The report is synchronous; the console loop then runs as
 * promise jobs (pxehttp.0's main drains them; the host's `halt()` idles
 * between keys) and the promise settles when the console ends.
 */
export async function runHelloPxe(host: NbpHost, extend?: (registry: CommandRegistry) => void): Promise<ConsoleResult> {
  const platform = nbpPlatform(host);
  // fetch's SHA-256 (and every other Sha256) uses the native block compression.
  Sha256.useAccelerators(platform.accel);
  const port = nbpPxeCallPort(host);
  // The boot config comes through the firmware's TFTP: before the report opens the UNDI.
  let config: BootConfig | undefined;
  if (host.tftpGet) {
    try {
      const d = cachedDhcp(port);
      config = findBootConfig(host, d.clientMac, d.yourIp);
    } catch (e) {
      config = { lines: [], error: e instanceof Error ? e.message : String(e) };
    }
  }
  const boot = helloPxe(host, port, platform);

  const registry = createRegistry();
  registry.addFacts({
    name: "pxe",
    facts: (): Fact[] => [
      ["version", boot.pxeVersion],
      ["entry", host.pxe.entry],
      ["found via", host.pxe.foundBy ?? "?"],
      ["!PXE", boot.found.bangPxe ? boot.found.bangPxe.at.toString() : "-"],
      ["PXENV+", boot.found.pxenv ? boot.found.pxenv.at.toString() : "-"],
    ],
  });
  registry.addFacts({
    name: "network",
    facts: (): Fact[] => {
      const d = boot.dhcp;
      if (!d) return [["error", boot.dhcpError ?? "no cached DHCP reply"]];
      return [
        ["mac", macString(d.clientMac)],
        ["ip", d.yourIp],
        ["netmask", d.subnetMask ?? "-"],
        ["gateway", d.routers.join(", ") || "-"],
        ["server", d.nextServer],
        ["bootfile", d.bootFile ?? "-"],
        ["dns", d.dnsServers.join(", ") || "-"],
        ["domain", d.domainName ?? "-"],
      ];
    },
  });
  registry.addFacts({
    name: "nic",
    facts: (): Fact[] => {
      const l = boot.link;
      if (!l) return [["error", boot.linkError ?? "no UNDI"]];
      const f: Fact[] = [["mac", macString(l.info.mac)], ["irq", l.info.irq], ["io", hex(l.info.ioBase)], ["mtu", l.info.mtu]];
      const t = boot.nic;
      if (t && "pci" in t) f.push(["pci", `${hex(t.pci.vendorId)}:${hex(t.pci.deviceId)}`]);
      return f;
    },
  });
  registry.addMemory({
    name: "e820",
    memory: () => ({
      regions: parseE820(host.e820()).map((r) => ({ base: r.base, length: r.length, type: r.type })),
      facts: [
        ...(host.info
          ? ([
              ["heap", `${hex(host.info.heapStart, 8)}-${hex(host.info.heapEnd, 8)}`],
              ["conventional", `${hex(host.info.lowStart, 5)}-${hex(host.info.lowEnd, 5)}`],
            ] as Fact[])
          : []),
        ...(host.memoryUsage
          ? (() => {
              const u = host.memoryUsage();
              return [["heap used", u.heapUsed], ["heap never used", u.heapFree], ["conventional free", u.lowFree]] as Fact[];
            })()
          : []),
      ],
    }),
  });
  registry.addStats({
    name: "undi",
    counters: (): Record<string, number> => {
      const l = boot.link;
      if (!l) return {};
      const fw = l.firmwareStatistics();
      const s = l.statistics();
      return {
        "firmware.tx": fw.xmtGoodFrames,
        "firmware.rx": fw.rcvGoodFrames,
        "firmware.crc": fw.rcvCrcErrors,
        "firmware.noBuffer": fw.rcvResourceErrors,
        "link.tx": s.xmitGoodFrames,
        "link.rx": s.rcvGoodFrames,
        "link.dropped": s.dropped,
        "isr.calls": l.counters.isrCalls,
        "isr.merged": l.counters.merged,
      };
    },
  });

  // The stack over the link the report opened, configured from the cached ACK.
  let net: NbpNetwork | undefined;
  if (boot.link && boot.linkOpen) {
    try {
      let ack: Uint8Array | undefined;
      try {
        ack = boot.link.cachedPacket();
      } catch {
        ack = undefined;
      }
      const usage = host.memoryUsage?.bind(host);
      net = startNetwork(boot.link, platform, ack, {
        freeMemory: usage ? () => { const u = usage(); return u.heapSize === undefined ? undefined : u.heapSize - u.heapUsed; } : undefined,
      });
      registry.use(net.plugin);
      // The FreeBSD loader's commands (load, lsmod, boot, boot-conf, ...) with pxehttp.0's hand-off.
      registry.use(kbootCommands({
        network: net.plugin,
        booter: nbpBooter(host, { log: (line) => platform.write(line + "\n") }),
        memory: () => ({ e820: parseE820(host.e820()), reserved: reservedRanges() }),
        base: rootPathUrl(boot.dhcp?.rootPath),
      }));
      const c = net.stack.config;
      platform.write(net.lease
        ? `Network stack: ${formatIp(c.address)}/${c.prefix} via ${c.gateway ? formatIp(c.gateway) : "-"} (from the cached DHCP ACK)\n`
        : `Network stack: not configured (${net.leaseError ?? "?"}); use 'dhcp' or 'ifconfig'\n`);
    } catch (e) {
      platform.write(`Network stack: failed: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }

  extend?.(registry);

  // Start-up: the boot config's lines, then FreeBSD's boot-conf from an http:// root-path.
  const startup = config ? startupLines(config, boot.dhcp?.rootPath) : [];
  if (config) {
    platform.write(config.name
      ? `Boot config: ${config.name} (${config.lines.length} command${config.lines.length === 1 ? "" : "s"})\n`
      : `Boot config: none found${config.error ? ` (${config.error})` : ""}\n`);
  }

  let lastPoll = 0;
  const session: ConsoleSession = new ConsoleSession({
    platform,
    registry,
    readKey: scriptedKeys(startup, () => host.readKey(), (): boolean => session.busy),
    system: { reboot: () => host.reboot(), poweroff: () => host.poweroff() },
    poll: (now) => {
      // While a command runs it polls the stack itself (every wait is a
      // stack.waitFor): polling here too would double the PXE ISR calls,
      // most of them finding nothing. Then only every BUSY_POLL_MS.
      if (session.busy && now - lastPoll < BUSY_POLL_MS) return;
      lastPoll = now;
      // The stack answers ARP/ping and runs timers while the console waits;
      // without it, just keep the UNDI receive queue drained.
      if (net) net.stack.poll(now);
      else if (boot.linkOpen) boot.link?.poll(now, () => {});
    },
    banner: "Type 'help' for commands.",
    // Between loop steps: wait for an interrupt (a key, a timer tick) when idle.
    // Idle: wait for an interrupt (a key, a timer tick). While a command
    // runs, never halt (it polls the network in its own loop), but step the
    // console only every BUSY_POLL_MS: a step costs far more than the
    // microtask hops that let the command's loop run in between.
    idle: (now, busy) => {
      if (session.busy) return yieldUntil(() => platform.now() >= now + BUSY_POLL_MS);
      if (!busy) host.halt?.();
      return undefined;
    },
  });
  const result = await session.run();
  platform.write(`console ended (${result.reason})\n`);
  return result;
}
