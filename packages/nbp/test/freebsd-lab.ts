// The FreeBSD boot lab: a dnsmasq PXE LAN in a network namespace (DHCP +
// TFTP serving pxehttp.0, pxehttp.ldr and optional pxehttp.cfg/ files),
// nginx in the same namespace serving a directory that holds a FreeBSD
// boot/ tree (optionally squid, and tools/lab/hostile-server.mjs serving the
// same directory for truncated downloads), and QEMU (TCG) on the LAN's TAP. Reusable: the probe tests and
// the opt-in real-kernel tests run the same function with another tree.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canRunDnsmasqLab, startDnsmasqLab } from "../../../tools/qemu/dnsmasq-lab.js";
import { withQemu, type NicModel, type QemuInstance } from "../../../tools/qemu/harness.js";
import { fileURLToPath } from "node:url";
import { squidConfig } from "../../../tools/lab/servers.js";
import { until } from "../../../tools/lab/wait.js";
import { buildNbp } from "../src/cli/build.js";
import { BOOT_TIMEOUT, CMD_TIMEOUT } from "./boot-checks.js";
import { nginxConfig } from "./host-servers.js";

/** True when the lab can run here (root, ip, dnsmasq, nginx). */
export function canRunFreeBsdLab(): boolean {
  return canRunDnsmasqLab() && existsSync("/usr/sbin/nginx");
}

let nbpFiles: Promise<{ image: Uint8Array; loader: Uint8Array }> | undefined;

/** The default pxehttp.0 and pxehttp.ldr, built once per test process. */
export function defaultNbp(): Promise<{ image: Uint8Array; loader: Uint8Array }> {
  nbpFiles ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "pxe-fbsd-nbp-"));
    try {
      const { out, loaderOut } = await buildNbp({ out: join(dir, "pxehttp.0") });
      return { image: new Uint8Array(readFileSync(out)), loader: new Uint8Array(readFileSync(loaderOut!)) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  return nbpFiles;
}

/** Options of {@link runFreeBsdLab}. */
export interface FreeBsdLabOptions {
  /** Directory served at http://SERVER/ (holds boot/kernel/kernel, boot/loader.conf, ...). */
  treeDir: string;
  /** Console lines typed at the `pxehttp>` prompt, in order (each waits for the prompt; the last does not). */
  lines?: string[];
  /** Files beside pxehttp.0 on the TFTP server, e.g. { "pxehttp.cfg/default": "..." }. */
  tftpFiles?: Record<string, string | Uint8Array>;
  /**
   * Hand out DHCP option 17 root-path = http://SERVER/ (boot-conf at start-up).
   * QEMU's iPXE first hooks that URL as a SAN disk (HEAD, then ranged GETs of
   * 2048 and 512 bytes) and gives up before pxehttp.0 when an answer is longer
   * than asked: nginx's listing of `treeDir` must stay under 512 bytes (keep
   * only boot/ there). docs/dnsmasq.md has the details.
   */
  rootPath?: boolean;
  /** NIC model (default e1000). */
  nic?: NicModel;
  /** RAM (default 512 MiB). */
  memoryMiB?: number;
  /** Serial output that ends the run (default: QEMU exits). */
  until?: RegExp;
  /** Time for the whole run after the prompt (default 10 minutes). */
  timeoutMs?: number;
  /** Run squid on SERVER:3128 in the namespace (its log in the run's `squidLog`); the console lines set http.proxy. */
  squid?: boolean;
  /** Run tools/lab/hostile-server.mjs on SERVER:{@link FREEBSD_LAB_HOSTILE_PORT} serving `treeDir` (e.g. /short/boot/F?at=N: a truncated body). */
  hostile?: boolean;
  /** Called with the running VM after the lines were typed (extra checks, keys). */
  drive?: (vm: QemuInstance) => Promise<void>;
}

/** What a run left. */
export interface FreeBsdLabRun {
  /** Serial console output. */
  text: string;
  /** nginx's access log (the files pxehttp.0 fetched). */
  nginxLog: string;
  /** dnsmasq's log (DHCP, TFTP names asked for). */
  dnsmasqLog: string;
  /** http://SERVER/ as the guest reaches it. */
  baseUrl: string;
  /** squid's access log, when squid ran. */
  squidLog?: string;
}

/** The squid port of the lab (`squid: true`). */
export const FREEBSD_LAB_SQUID_PORT = 3128;
/** The port of the hostile server (`hostile: true`). */
export const FREEBSD_LAB_HOSTILE_PORT = 8081;
const HOSTILE_SERVER = fileURLToPath(new URL("../../../tools/lab/hostile-server.mjs", import.meta.url));

/** True once something listens on TCP `port` in namespace `ns`. */
function listening(ns: string, port: number): boolean {
  return spawnSync("ip", ["netns", "exec", ns, "ss", "-Hltn", `sport = :${port}`], { encoding: "utf8" }).stdout.trim() !== "";
}

/** Runs one boot in the lab; always tears everything down. */
export async function runFreeBsdLab(opts: FreeBsdLabOptions): Promise<FreeBsdLabRun> {
  const { image, loader } = await defaultNbp();
  const enc = (v: string | Uint8Array): Uint8Array => (typeof v === "string" ? new TextEncoder().encode(v) : v);
  const extra: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(opts.tftpFiles ?? {})) extra[k] = enc(v);
  const subnet = "192.168.78";
  const baseUrl = `http://${subnet}.1/`;
  const lab = await startDnsmasqLab({
    files: { "pxehttp.0": image, "pxehttp.ldr": loader, ...extra },
    bootfile: "pxehttp.0",
    subnet,
    extraArgs: opts.rootPath ? [`--dhcp-option=option:root-path,${baseUrl}`] : [],
  });
  const ngDir = mkdtempSync(join(tmpdir(), "pxe-fbsd-nginx-"));
  const access = join(ngDir, "access.log");
  writeFileSync(join(ngDir, "nginx.conf"), nginxConfig(ngDir, `${subnet}.1:80`, opts.treeDir, access, "root"));
  const nginx = spawn("ip", ["netns", "exec", lab.netns, "nginx", "-c", join(ngDir, "nginx.conf"), "-p", ngDir], { stdio: "ignore" });
  const nginxLog = (): string => (existsSync(access) ? readFileSync(access, "utf8") : "");
  let squid: ReturnType<typeof spawn> | undefined;
  let squidAccess: string | undefined;
  if (opts.squid) {
    chmodSync(ngDir, 0o777); // squid drops privileges and writes its logs here
    const sc = squidConfig(ngDir, FREEBSD_LAB_SQUID_PORT, subnet);
    squidAccess = sc.accessLog;
    writeFileSync(join(ngDir, "squid.conf"), sc.conf);
    squid = spawn("ip", ["netns", "exec", lab.netns, "squid", "-N", "-f", join(ngDir, "squid.conf")], { stdio: "ignore" });
    await until(() => listening(lab.netns, FREEBSD_LAB_SQUID_PORT), 30_000, () => `squid did not listen on ${FREEBSD_LAB_SQUID_PORT} in ${lab.netns}`, () => squid!.exitCode !== null);
  }
  let hostile: ReturnType<typeof spawn> | undefined;
  if (opts.hostile) {
    hostile = spawn("ip", ["netns", "exec", lab.netns, process.execPath, HOSTILE_SERVER, String(FREEBSD_LAB_HOSTILE_PORT), opts.treeDir], { stdio: "ignore" });
    await until(() => listening(lab.netns, FREEBSD_LAB_HOSTILE_PORT), 30_000, () => `the hostile server did not listen on ${FREEBSD_LAB_HOSTILE_PORT} in ${lab.netns}`, () => hostile!.exitCode !== null);
  }
  let text = "";
  try {
    await withQemu({ nic: opts.nic ?? "e1000", memoryMiB: opts.memoryMiB ?? 512, netns: lab.netns, net: { kind: "tap", ifname: lab.tap },
      ...(process.env.PXE_QEMU_ECHO ? { echo: (t: string) => void process.stderr.write(t) } : {}) }, async (vm) => {
      try {
        await vm.waitFor(/pxehttp> /, BOOT_TIMEOUT);
        const lines = opts.lines ?? [];
        for (let i = 0; i < lines.length; i++) {
          vm.mark();
          vm.send(lines[i]);
          if (i < lines.length - 1) await vm.waitFor(/pxehttp> /, CMD_TIMEOUT * 10);
        }
        await opts.drive?.(vm);
        if (opts.until) await vm.waitFor(opts.until, opts.timeoutMs ?? 600_000);
        else await vm.waitExit(opts.timeoutMs ?? 600_000);
      } finally {
        text = vm.text();
      }
    });
  } finally {
    for (const p of [nginx, squid, hostile]) {
      if (!p) continue;
      p.kill("SIGTERM");
      await new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r(undefined) : p.once("exit", r)));
    }
    const squidLog = squidAccess && existsSync(squidAccess) ? readFileSync(squidAccess, "utf8") : undefined;
    const dnsmasqLog = lab.log();
    const log = nginxLog();
    await lab.stop();
    rmSync(ngDir, { recursive: true, force: true });
    lastRun = { text, nginxLog: log, dnsmasqLog, baseUrl, ...(squidLog !== undefined ? { squidLog } : {}) };
  }
  return lastRun!;
}

let lastRun: FreeBsdLabRun | undefined;
