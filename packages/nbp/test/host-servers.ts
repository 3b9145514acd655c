// Servers on the host's loopback for the QEMU network tests: the guest
// reaches the host's 127.0.0.1 as 10.0.2.2 through QEMU user-mode
// networking (slirp), for TCP and UDP alike. Each server runs in the
// foreground as our child, with its config and logs in a temp directory.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A running server. */
export interface HostServer {
  /** Its TCP/UDP port on 127.0.0.1. */
  readonly port: number;
  /** The access/query log so far. */
  log(): string;
  /** Kills the process (SIGTERM, then SIGKILL) and removes the temp directory. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

function tempDir(tag: string): string {
  const d = mkdtempSync(join(tmpdir(), `pxe-${tag}-`));
  // Servers started as root drop to nobody/proxy for their workers.
  chmodSync(d, 0o777);
  return d;
}

function run(cmd: string, args: string[], dir: string, port: number, logFile: string): HostServer & { child: ChildProcess; out: () => string } {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (b: Buffer) => void (out += b.toString()));
  child.stderr?.on("data", (b: Buffer) => void (out += b.toString()));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return {
    port,
    child,
    out: () => out,
    log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : ""),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until a TCP connection to 127.0.0.1:`port` works, or throws with the server's output. */
async function waitTcp(port: number, what: { out: () => string; child: ChildProcess }, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once("error", () => resolve(true)); // in use: somebody listens
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(false)));
    });
    if (ok) return;
    if (what.child.exitCode !== null || Date.now() - t0 > timeoutMs) throw new Error(`server on port ${port} did not start:\n${what.out()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An nginx.conf (foreground, one worker, autoindex) keeping its pid and logs in `dir`. */
export function nginxConfig(dir: string, listen: string, root: string, accessLog: string, user?: string): string {
  return `${user ? `user ${user};\n` : ""}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 64; }
http {
  access_log ${accessLog};
  sendfile on;
  server { listen ${listen}; root ${root}; autoindex on; }
}
`;
}

/** nginx serving `files` (name -> content) from a temp directory with autoindex on. */
export async function startNginx(files: Record<string, Uint8Array>): Promise<HostServer> {
  const dir = tempDir("nginx");
  const www = join(dir, "www");
  mkdirSync(www, { mode: 0o755 });
  for (const [name, data] of Object.entries(files)) writeFileSync(join(www, name), data, { mode: 0o644 });
  const port = await freePort();
  const access = join(dir, "access.log");
  writeFileSync(join(dir, "nginx.conf"), nginxConfig(dir, `127.0.0.1:${port}`, www, access));
  const s = run("nginx", ["-c", join(dir, "nginx.conf"), "-p", dir], dir, port, access);
  await waitTcp(port, s);
  return s;
}

/** squid as a forward proxy for 127.0.0.1 clients (the guest arrives from there), no cache. */
export async function startSquid(): Promise<HostServer> {
  const dir = tempDir("squid");
  const port = await freePort();
  const access = join(dir, "access.log");
  writeFileSync(join(dir, "squid.conf"), `http_port 127.0.0.1:${port}
pid_filename ${dir}/squid.pid
access_log stdio:${access}
cache_log ${dir}/cache.log
cache deny all
cache_mem 8 MB
coredump_dir ${dir}
acl local src 127.0.0.1/32
http_access allow local
http_access deny all
shutdown_lifetime 0 seconds
`);
  const s = run("squid", ["-N", "-f", join(dir, "squid.conf")], dir, port, access);
  await waitTcp(port, s);
  return s;
}

/**
 * dnsmasq as the DNS server on 127.0.0.1:53 (@pxe/dns always asks port 53,
 * and slirp maps the guest's 10.0.2.2:53 to the host's 127.0.0.1:53):
 * authoritative for `domain`, with `hosts` (name -> address) and `cnames`
 * (alias -> target); other names in `domain` are NXDOMAIN. Queries are logged.
 */
export async function startDnsmasq(domain: string, hosts: Record<string, string>, cnames: Record<string, string>): Promise<HostServer> {
  const dir = tempDir("dnsmasq");
  const logFile = join(dir, "queries.log");
  const args = [
    "--no-daemon", "--no-resolv", "--no-hosts", "--listen-address=127.0.0.1", "--bind-interfaces", "--port=53",
    `--local=/${domain}/`, "--log-queries", `--log-facility=${logFile}`, `--pid-file=${dir}/dnsmasq.pid`,
    ...Object.entries(hosts).map(([n, a]) => `--host-record=${n},${a}`),
    ...Object.entries(cnames).map(([a, t]) => `--cname=${a},${t}`),
  ];
  const s = run("dnsmasq", args, dir, 53, logFile);
  const t0 = Date.now();
  while (!/started/.test(s.log() + s.out())) {
    if (s.child.exitCode !== null || Date.now() - t0 > 10_000) throw new Error(`dnsmasq did not start:\n${s.out()}${s.log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return s;
}
