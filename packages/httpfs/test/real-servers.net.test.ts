// System test: @pxe/http's HttpClient (over Node's net, until @pxe/tcp plugs in)
// and HttpFs against real servers on 127.0.0.1 — nginx (keep-alive on and
// off, autoindex), lighttpd, python http.server (HTTP/1.0) and busybox
// httpd. Every download is checked by SHA-256. Each server is started in
// a temp dir and stopped afterwards. Skips a server whose binary is absent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { connect } from "node:net";
import { HttpClient, Sha256 } from "@pxe/http";
import { NodeNetTransport, nodeTimers } from "@pxe/http/node";
import { HttpFs } from "@pxe/httpfs";

const has = (bin: string) => spawnSync("sh", ["-c", `command -v ${bin}`]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "pxe-http-real-"));
const root = join(dir, "www");
const big = randomBytes(3 * 1024 * 1024 + 17);
const bigSha = createHash("sha256").update(big).digest("hex");
const procs: ChildProcess[] = [];

async function waitPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((res) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), res(true)));
      s.once("error", () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} did not open`);
}

function start(cmd: string, args: string[], cwd = dir): void {
  procs.push(spawn(cmd, args, { cwd, stdio: "ignore" }));
}

beforeAll(async () => {
  mkdirSync(join(root, "pub", "sub"), { recursive: true });
  writeFileSync(join(root, "pub", "big.bin"), big);
  writeFileSync(join(root, "pub", "small.txt"), "hello\n");
  spawnSync("chmod", ["-R", "a+rX", dir]);
  if (has("nginx")) {
    const conf = (port: number, ka: number) => `server { listen 127.0.0.1:${port}; root ${root}; autoindex on; keepalive_timeout ${ka}; }`;
    writeFileSync(join(dir, "nginx.conf"), `daemon off; pid ${dir}/nginx.pid; error_log ${dir}/nginx.err; worker_processes 1; events {}
http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir}; ${conf(18181, 30)} ${conf(18182, 0)} }`);
    start("nginx", ["-c", join(dir, "nginx.conf")]);
  }
  if (has("lighttpd")) {
    writeFileSync(join(dir, "lighttpd.conf"), `server.document-root = "${root}"\nserver.bind = "127.0.0.1"\nserver.port = 18183\nserver.modules += ("mod_dirlisting")\ndir-listing.activate = "enable"\n`);
    start("lighttpd", ["-D", "-f", join(dir, "lighttpd.conf")]);
  }
  if (has("python3")) start("python3", ["-m", "http.server", "18184", "--bind", "127.0.0.1"], root);
  if (has("busybox")) start("busybox", ["httpd", "-f", "-p", "127.0.0.1:18185", "-h", root]);
  for (const p of [18181, 18182, 18183, 18184, 18185]) await waitPort(p).catch(() => undefined);
}, 30_000);

afterAll(() => {
  for (const p of procs) p.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
});

function client() {
  return new HttpClient({ transport: new NodeNetTransport(), timers: nodeTimers, connectTimeoutMs: 5000, stallTimeoutMs: 10000 });
}

async function download(c: HttpClient, url: string): Promise<string> {
  const r = await c.get(url);
  const h = new Sha256();
  for await (const chunk of r.body) h.update(chunk);
  return h.hex();
}

const servers: [string, number, string][] = [
  ["nginx keep-alive", 18181, "nginx"],
  ["nginx keep-alive off", 18182, "nginx"],
  ["lighttpd", 18183, "lighttpd"],
  ["python http.server", 18184, "python3"],
  ["busybox httpd", 18185, "busybox"],
];

describe.each(servers)("%s", (_name, port, bin) => {
  it.skipIf(!has(bin))("downloads byte-exact twice, ranges, stat", async () => {
    const c = client();
    const base = `http://127.0.0.1:${port}/pub/`;
    expect(await download(c, base + "big.bin")).toBe(bigSha);
    expect(await download(c, base + "big.bin")).toBe(bigSha);
    // keep-alive: nginx keeps the connection unless keepalive_timeout is 0; python's HTTP/1.0 never does
    if (port === 18181) expect(c.idleConnections()).toBe(1);
    if (port === 18182 || port === 18184) expect(c.idleConnections()).toBe(0);
    const fs = new HttpFs({ client: c });
    const st = await fs.stat(base + "big.bin");
    expect(st.size).toBe(big.length);
    const f = await fs.open(base + "big.bin");
    f.seek(1_000_000);
    expect(Buffer.from(await f.read(5000)).equals(big.subarray(1_000_000, 1_005_000))).toBe(true);
    c.close();
  });
  it.skipIf(!has(bin) || bin === "busybox")("lists a directory", async () => {
    const c = client();
    const l = await new HttpFs({ client: c }).readdir(`http://127.0.0.1:${port}/pub`);
    expect(l.entries.map((e) => `${e.name}:${e.type}`).sort()).toEqual(["big.bin:file", "small.txt:file", "sub:directory"]);
    c.close();
  });
});
