// System test: the HttpClient (over Node's net) through real proxies on
// 127.0.0.1 — tinyproxy with BasicAuth and squid with basic auth required —
// to nginx. The proxy's access log must show each request, the download
// is checked by SHA-256, and a wrong password is refused (407).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { HttpClient, HttpStatusError } from "@pxe/http";
import { NodeNetTransport, nodeTimers } from "@pxe/http/node";

const has = (bin: string) => spawnSync("sh", ["-c", `command -v ${bin}`]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "pxe-http-proxy-"));
const root = join(dir, "www");
const body = randomBytes(1024 * 1024 + 3);
const sha = createHash("sha256").update(body).digest("hex");
const procs: ChildProcess[] = [];
const ORIGIN = 18281, TINY = 18282, SQUID = 18283;

async function waitPort(port: number): Promise<boolean> {
  for (let i = 0; i < 150; i++) {
    const ok = await new Promise<boolean>((res) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), res(true)));
      s.once("error", () => res(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

beforeAll(async () => {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, "file.bin"), body);
  spawnSync("chmod", ["-R", "a+rwX", dir]);
  writeFileSync(join(dir, "nginx.conf"), `daemon off; pid ${dir}/nginx.pid; error_log ${dir}/nginx.err; worker_processes 1; events {}
http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir}; server { listen 127.0.0.1:${ORIGIN}; root ${root}; } }`);
  procs.push(spawn("nginx", ["-c", join(dir, "nginx.conf")], { stdio: "ignore" }));
  if (has("tinyproxy")) {
    writeFileSync(join(dir, "tinyproxy.conf"), `Port ${TINY}\nListen 127.0.0.1\nTimeout 60\nLogFile "${dir}/tinyproxy.log"\nLogLevel Info\nMaxClients 20\nAllow 127.0.0.1\nBasicAuth pu pp\nUser nobody\nGroup nogroup\n`);
    procs.push(spawn("tinyproxy", ["-d", "-c", join(dir, "tinyproxy.conf")], { stdio: "ignore" }));
  }
  if (has("squid") && existsSync("/usr/lib/squid/basic_fake_auth")) {
    writeFileSync(join(dir, "squid.conf"), `http_port 127.0.0.1:${SQUID}
pid_filename ${dir}/squid.pid
access_log stdio:${dir}/squid-access.log
cache_log ${dir}/squid-cache.log
cache deny all
coredump_dir ${dir}
auth_param basic program /usr/lib/squid/basic_fake_auth
acl authed proxy_auth REQUIRED
http_access allow localhost authed
http_access deny all
shutdown_lifetime 0 seconds
`);
    procs.push(spawn("squid", ["-N", "-f", join(dir, "squid.conf")], { stdio: "ignore" }));
  }
  await waitPort(ORIGIN);
}, 30_000);

afterAll(() => {
  for (const p of procs) p.kill("SIGTERM");
  spawnSync("sleep", ["0.5"]);
  for (const p of procs) if (p.exitCode === null) p.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

async function fetchSha(proxy: string): Promise<string> {
  const c = new HttpClient({ transport: new NodeNetTransport(), timers: nodeTimers, proxy, connectTimeoutMs: 5000, stallTimeoutMs: 10000 });
  try {
    const r = await c.get(`http://127.0.0.1:${ORIGIN}/file.bin?n=${Math.random()}`);
    return createHash("sha256").update(await r.bytes()).digest("hex");
  } finally {
    c.close();
  }
}

describe("through real proxies", () => {
  it.skipIf(!has("tinyproxy"))("tinyproxy with Basic auth: byte-exact, logged; a wrong password is refused", async () => {
    expect(await waitPort(TINY)).toBe(true);
    expect(await fetchSha(`http://pu:pp@127.0.0.1:${TINY}`)).toBe(sha);
    const err = await fetchSha(`http://pu:wrong@127.0.0.1:${TINY}`).catch((e) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect([401, 407]).toContain(err.status); // tinyproxy 1.11 answers 401
    const log = readFileSync(join(dir, "tinyproxy.log"), "utf8");
    expect(log).toMatch(new RegExp(`GET http://127.0.0.1:${ORIGIN}/file.bin\\?n=`));
  });
  it.skipIf(!has("squid"))("squid with auth required: byte-exact, the access log shows the request and user", async () => {
    expect(await waitPort(SQUID)).toBe(true);
    expect(await fetchSha(`http://squser:x@127.0.0.1:${SQUID}`)).toBe(sha);
    const err = await fetchSha(`http://127.0.0.1:${SQUID}`).catch((e) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err.status).toBe(407);
    let log = "";
    for (let i = 0; i < 50 && !/squser/.test(log); i++) {
      await new Promise((r) => setTimeout(r, 100));
      log = existsSync(join(dir, "squid-access.log")) ? readFileSync(join(dir, "squid-access.log"), "utf8") : "";
    }
    expect(log).toMatch(new RegExp(`GET http://127.0.0.1:${ORIGIN}/file.bin\\?\\S* squser`));
  });
});
