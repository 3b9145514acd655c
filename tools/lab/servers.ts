/**
 * Real servers for the lab, each started inside the lab's namespace with a
 * config file in the lab's temp dir. Each returns once its port listens
 * (dnsmasq: once its pid file is written). They take a {@link LabNetns}, so
 * they also serve a lab whose TAP a process inside the namespace made.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { LabNetns, Server } from "./lab-netns.js";
import { until } from "./wait.js";

/** Options of {@link startNginx}. */
export interface NginxOptions {
  /** Port to listen on. */
  port: number;
  /** Address (default every address of the namespace). */
  address?: string;
  /** Keep-alive (default true; false sets keepalive_timeout 0). */
  keepAlive?: boolean;
  /** Directory listings (default true). */
  autoindex?: boolean;
  /** Extra parameters of the listen directive (e.g. "sndbuf=64k"). */
  listenParams?: string;
  /** Extra directives inside the server block (e.g. a `location` with `return 302 ...`). */
  extra?: string;
}

/**
 * nginx (Debian nginx-light) with one server block per option set; the
 * access log format records the connection serial number and how many
 * requests it has served (`$connection $connection_requests`), so tests see
 * reuse. `opts.logFormat` replaces that format (e.g. with `$request_time`).
 */
export async function startNginx(lab: LabNetns, name: string, servers: NginxOptions[], opts: { logFormat?: string } = {}): Promise<Server> {
  const d = lab.dir;
  const access = join(d, `${name}-access.log`);
  const blocks = servers
    .map((s) => `server { listen ${s.address ? `${s.address}:` : ""}${s.port}${s.listenParams ? ` ${s.listenParams}` : ""}; root ${lab.www}; autoindex ${s.autoindex === false ? "off" : "on"}; keepalive_timeout ${s.keepAlive === false ? 0 : 30}; ${s.extra ?? ""} }`)
    .join("\n");
  const conf = lab.writeConfig(`${name}.conf`, `daemon off; master_process off; pid ${d}/${name}.pid; error_log ${d}/${name}-error.log; worker_processes 1; events {}
http { log_format conn '${opts.logFormat ?? '$connection $connection_requests $server_port "$request" $status $body_bytes_sent'}';
access_log ${access} conn; sendfile on; tcp_nopush on; client_body_temp_path ${d}; proxy_temp_path ${d}; fastcgi_temp_path ${d}; uwsgi_temp_path ${d}; scgi_temp_path ${d};
${blocks} }`);
  const srv = lab.spawn(name, "nginx", ["-c", conf], { accessLog: access });
  for (const s of servers) await lab.waitListening(s.port, srv);
  return srv;
}

/** lighttpd with directory listings, access log. */
export async function startLighttpd(lab: LabNetns, port: number): Promise<Server> {
  const access = join(lab.dir, "lighttpd-access.log");
  const conf = lab.writeConfig("lighttpd.conf", `server.document-root = "${lab.www}"\nserver.port = ${port}\nserver.modules += ("mod_dirlisting", "mod_accesslog")\ndir-listing.activate = "enable"\naccesslog.filename = "${access}"\nserver.errorlog = "${lab.dir}/lighttpd-error.log"\n`);
  const srv = lab.spawn("lighttpd", "lighttpd", ["-D", "-f", conf], { accessLog: access });
  await lab.waitListening(port, srv);
  return srv;
}

/** Where a server listens: one address of the namespace (default every address). */
export interface ListenOptions {
  /** Listen on this address only. */
  address?: string;
}

/** python3 -m http.server (HTTP/1.0: one request per connection) serving `lab.www`; it logs requests to its output log. */
export async function startPythonHttp(lab: LabNetns, port: number, opts: ListenOptions = {}): Promise<Server> {
  const bind = opts.address ? ["--bind", opts.address] : [];
  const srv = lab.spawn("python-http", "python3", ["-u", "-m", "http.server", String(port), ...bind], { cwd: lab.www });
  await lab.waitListening(port, srv);
  return { ...srv, accessLog: srv.log };
}

/** busybox httpd in the foreground. */
export async function startBusybox(lab: LabNetns, port: number): Promise<Server> {
  const srv = lab.spawn("busybox", "busybox", ["httpd", "-f", "-vv", "-p", String(port), "-h", lab.www]);
  await lab.waitListening(port, srv);
  return { ...srv, accessLog: srv.log };
}

/**
 * squid.conf of a forward proxy on `port` open to `subnet`.0/24 (after
 * `rules`), no cache, pid, logs and core files in `dir`; the access log is
 * `dir`/squid-access.log.
 */
export function squidConfig(dir: string, port: number, subnet: string, rules = ""): { conf: string; accessLog: string } {
  const accessLog = join(dir, "squid-access.log");
  return {
    accessLog,
    conf: `http_port ${port}
pid_filename ${dir}/squid.pid
access_log stdio:${accessLog}
cache_log ${dir}/squid-cache.log
strip_query_terms off
cache deny all
cache_mem 8 MB
coredump_dir ${dir}
${rules}acl lab src ${subnet}.0/24
http_access allow lab
http_access deny all
shutdown_lifetime 0 seconds
`,
  };
}

/** squid as a forward proxy open to the lab's /24, no cache, access log in the temp dir; `rules`: squid.conf lines put before the allow (e.g. a CONNECT deny). */
export async function startSquid(lab: LabNetns, port: number, rules = ""): Promise<Server> {
  const { conf: text, accessLog: access } = squidConfig(lab.dir, port, lab.subnet, rules);
  const conf = lab.writeConfig("squid.conf", text);
  const srv = lab.spawn("squid", "squid", ["-N", "-f", conf], { accessLog: access });
  await lab.waitListening(port, srv, 30000);
  return srv;
}

/** tinyproxy open to the lab's /24, log at Info level (one CONNECT/GET line per request). */
export async function startTinyproxy(lab: LabNetns, port: number, opts: ListenOptions = {}): Promise<Server> {
  const access = join(lab.dir, "tinyproxy-access.log");
  const conf = lab.writeConfig("tinyproxy.conf", `Port ${port}\n${opts.address ? `Listen ${opts.address}\n` : ""}Timeout 60\nLogFile "${access}"\nLogLevel Info\nMaxClients 20\nAllow ${lab.subnet}.0/24\nUser nobody\nGroup nogroup\n`);
  const srv = lab.spawn("tinyproxy", "tinyproxy", ["-d", "-c", conf], { accessLog: access });
  await lab.waitListening(port, srv);
  return srv;
}

/** A Node script (e.g. a hostile test server) run inside the namespace with the same Node binary. */
export async function startNodeScript(lab: LabNetns, name: string, script: string, args: string[], port: number): Promise<Server> {
  const srv = lab.spawn(name, process.execPath, [script, ...args]);
  await lab.waitListening(port, srv);
  return srv;
}

/**
 * dnsmasq inside the namespace, in the foreground (`--keep-in-foreground`),
 * with no config file but `args` (DHCP and/or DNS options), as root, its
 * pid file, lease file and log (`--log-facility`, the server's `accessLog`)
 * in the lab's temp dir. Returns once the pid file is written (dnsmasq
 * writes it after binding its sockets); throws with dnsmasq's output when it
 * exits first or takes over `ms`. Killed by `lab.close()`.
 */
export async function startDnsmasq(lab: LabNetns, args: string[], opts: { name?: string; ms?: number } = {}): Promise<Server> {
  const name = opts.name ?? "dnsmasq";
  const pidFile = join(lab.dir, `${name}.pid`);
  const access = join(lab.dir, `${name}-facility.log`);
  const srv = lab.spawn(name, "dnsmasq", ["--keep-in-foreground", "--conf-file=/dev/null", "--user=root", `--pid-file=${pidFile}`,
    `--dhcp-leasefile=${join(lab.dir, `${name}.leases`)}`, `--log-facility=${access}`, ...args], { accessLog: access });
  const pidWritten = () => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "";
  await until(pidWritten, opts.ms ?? 10_000, () => `dnsmasq did not start in ${lab.ns}${lab.logTail(srv)}`, () => srv.proc.exitCode !== null);
  return srv;
}
