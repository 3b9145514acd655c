/**
 * A PXE network as real users have one: a network namespace holding a
 * bridge, a TAP for QEMU on it, and dnsmasq serving DHCP and TFTP. Needs
 * root, iproute2 and dnsmasq (Debian dnsmasq-base). Start QEMU with
 * `{ netns: lab.netns, net: { kind: "tap", ifname: lab.tap } }`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Options of {@link startDnsmasqLab}. */
export interface DnsmasqLabOptions {
  /** Files to serve over TFTP: name (may contain "/") -> content. */
  files: Record<string, Uint8Array>;
  /** The boot file name handed out by DHCP. */
  bootfile: string;
  /** /24 prefix, e.g. "192.168.77" (default). The server is .1, clients get .100-.150. */
  subnet?: string;
  /** DHCP domain name (default "pxe.test"). */
  domain?: string;
  /** More dnsmasq arguments, e.g. `--dhcp-option=option:root-path,http://...`. */
  extraArgs?: string[];
}

/** A running lab; call stop() to remove everything. */
export interface DnsmasqLab {
  /** The network namespace (run QEMU in it: QemuOptions.netns). */
  readonly netns: string;
  /** The TAP interface on the bridge, for QEMU's `-netdev tap`. */
  readonly tap: string;
  /** dnsmasq's address: DHCP server, router, TFTP server. */
  readonly serverIp: string;
  /** The DHCP domain name handed out. */
  readonly domain: string;
  /** dnsmasq's log so far. */
  log(): string;
  /** Kills dnsmasq and deletes the namespace (with its bridge and TAP) and the TFTP directory. */
  stop(): Promise<void>;
}

function ip(args: string[]): void {
  const r = spawnSync("ip", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ip ${args.join(" ")}: ${r.stderr.trim()}`);
}

/** True when this process can build the lab (root, ip, dnsmasq present). */
export function canRunDnsmasqLab(): boolean {
  if (process.getuid?.() !== 0) return false;
  return ["ip", "dnsmasq"].every((c) => spawnSync("sh", ["-c", `command -v ${c}`]).status === 0);
}

/** Creates the namespace, bridge, TAP and dnsmasq. */
export async function startDnsmasqLab(opts: DnsmasqLabOptions): Promise<DnsmasqLab> {
  const subnet = opts.subnet ?? "192.168.77";
  const domain = opts.domain ?? "pxe.test";
  const netns = `pxenbp${process.pid}`;
  const tap = "tap0";
  const dir = mkdtempSync(join(tmpdir(), "pxe-tftp-"));
  for (const [name, data] of Object.entries(opts.files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  let dnsmasq: ChildProcess | undefined;
  let out = "";
  const stop = async (): Promise<void> => {
    if (dnsmasq && dnsmasq.exitCode === null) {
      const gone = new Promise((r) => dnsmasq!.once("exit", r));
      dnsmasq.kill("SIGKILL");
      await gone;
    }
    spawnSync("ip", ["netns", "del", netns]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    spawnSync("ip", ["netns", "del", netns]);
    ip(["netns", "add", netns]);
    const n = (args: string[]): void => ip(["-n", netns, ...args]);
    n(["link", "set", "lo", "up"]);
    n(["link", "add", "br0", "type", "bridge"]);
    n(["addr", "add", `${subnet}.1/24`, "dev", "br0"]);
    n(["link", "set", "br0", "up"]);
    n(["tuntap", "add", "dev", tap, "mode", "tap"]);
    n(["link", "set", tap, "master", "br0"]);
    n(["link", "set", tap, "up"]);
    dnsmasq = spawn("ip", [
      "netns", "exec", netns, "dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=0", "--user=root",
      "--interface=br0", "--bind-interfaces", `--dhcp-range=${subnet}.100,${subnet}.150,255.255.255.0,1h`,
      `--dhcp-option=option:router,${subnet}.1`, `--dhcp-option=option:dns-server,${subnet}.1`, `--domain=${domain}`,
      `--dhcp-boot=${opts.bootfile}`, "--enable-tftp", `--tftp-root=${dir}`, `--dhcp-leasefile=${join(dir, "leases")}`,
      "--log-dhcp", ...(opts.extraArgs ?? []),
    ], { stdio: ["ignore", "pipe", "pipe"] });
    dnsmasq.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    dnsmasq.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    // Wait until dnsmasq listens (or dies).
    const t0 = Date.now();
    while (!/started|DHCP, IP range/.test(out)) {
      if (dnsmasq.exitCode !== null) throw new Error(`dnsmasq exited: ${out}`);
      if (Date.now() - t0 > 10_000) throw new Error(`dnsmasq did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { netns, tap, serverIp: `${subnet}.1`, domain, log: () => out, stop };
}
