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
  /**
   * proxyDHCP (docs/dnsmasq.md): dnsmasq at .1 only adds the boot
   * information (`dhcp-range=...,proxy`, `pxe-service`) and serves TFTP;
   * a second dnsmasq at .2, in a namespace of its own joined to the bridge
   * by a veth pair, is the "existing" DHCP server (addresses, router .2,
   * DNS, domain; no boot file). The boot file must end in ".0".
   */
  proxyDhcp?: boolean;
}

/** A running lab; call stop() to remove everything. */
export interface DnsmasqLab {
  /** The network namespace (run QEMU in it: QemuOptions.netns). */
  readonly netns: string;
  /** The TAP interface on the bridge, for QEMU's `-netdev tap`. */
  readonly tap: string;
  /** dnsmasq's address: DHCP server, router, TFTP server (with proxyDhcp: proxyDHCP and TFTP server only). */
  readonly serverIp: string;
  /** The address of the server that hands out addresses: serverIp, or .2 with proxyDhcp. */
  readonly dhcpServerIp: string;
  /** The DHCP domain name handed out. */
  readonly domain: string;
  /** dnsmasq's log so far (with proxyDhcp: the proxyDHCP/TFTP one's, then the DHCP server's). */
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
  const dhcpNetns = `${netns}d`;
  const daemons: { proc: ChildProcess; out: string }[] = [];
  const stop = async (): Promise<void> => {
    for (const d of daemons) {
      if (d.proc.exitCode !== null) continue;
      const gone = new Promise((r) => d.proc.once("exit", r));
      d.proc.kill("SIGKILL");
      await gone;
    }
    spawnSync("ip", ["netns", "del", netns]);
    if (opts.proxyDhcp) spawnSync("ip", ["netns", "del", dhcpNetns]);
    rmSync(dir, { recursive: true, force: true });
  };
  /** Starts dnsmasq in `ns` and waits until it listens (or dies). */
  const startDnsmasq = async (ns: string, args: string[]): Promise<void> => {
    const d = { proc: spawn("ip", ["netns", "exec", ns, "dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=0", "--user=root", "--bind-interfaces", "--log-dhcp", ...args], { stdio: ["ignore", "pipe", "pipe"] }), out: "" };
    daemons.push(d);
    d.proc.stdout!.on("data", (b: Buffer) => (d.out += b.toString()));
    d.proc.stderr!.on("data", (b: Buffer) => (d.out += b.toString()));
    const t0 = Date.now();
    while (!/started|DHCP, IP range|DHCP, proxy/.test(d.out)) {
      if (d.proc.exitCode !== null) throw new Error(`dnsmasq exited: ${d.out}`);
      if (Date.now() - t0 > 10_000) throw new Error(`dnsmasq did not start: ${d.out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const addresses = [`--dhcp-range=${subnet}.100,${subnet}.150,255.255.255.0,1h`, `--domain=${domain}`];
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
    const tftp = ["--enable-tftp", `--tftp-root=${dir}`, `--dhcp-leasefile=${join(dir, "leases")}`];
    if (opts.proxyDhcp) {
      if (!opts.bootfile.endsWith(".0")) throw new Error(`proxyDhcp: boot file ${opts.bootfile} must end in .0 (pxe-service adds it)`);
      spawnSync("ip", ["netns", "del", dhcpNetns]);
      ip(["netns", "add", dhcpNetns]);
      ip(["-n", dhcpNetns, "link", "set", "lo", "up"]);
      n(["link", "add", "vd0", "type", "veth", "peer", "name", "eth0", "netns", dhcpNetns]);
      n(["link", "set", "vd0", "master", "br0"]);
      n(["link", "set", "vd0", "up"]);
      ip(["-n", dhcpNetns, "addr", "add", `${subnet}.2/24`, "dev", "eth0"]);
      ip(["-n", dhcpNetns, "link", "set", "eth0", "up"]);
      await startDnsmasq(dhcpNetns, [
        "--interface=eth0", ...addresses, `--dhcp-option=option:router,${subnet}.2`, `--dhcp-option=option:dns-server,${subnet}.2`,
        `--dhcp-leasefile=${join(dir, "leases-dhcp")}`,
      ]);
      await startDnsmasq(netns, [
        "--interface=br0", `--dhcp-range=${subnet}.0,proxy`, `--pxe-service=x86PC,pxehttp,${opts.bootfile.slice(0, -2)}`,
        "--pxe-prompt=pxehttp,0", ...tftp, ...(opts.extraArgs ?? []),
      ]);
    } else {
      await startDnsmasq(netns, [
        "--interface=br0", ...addresses, `--dhcp-option=option:router,${subnet}.1`, `--dhcp-option=option:dns-server,${subnet}.1`,
        `--dhcp-boot=${opts.bootfile}`, ...tftp, ...(opts.extraArgs ?? []),
      ]);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  const dhcpServerIp = opts.proxyDhcp ? `${subnet}.2` : `${subnet}.1`;
  return { netns, tap, serverIp: `${subnet}.1`, dhcpServerIp, domain, log: () => daemons.map((d) => d.out).join(""), stop };
}
