// Network test (root): @pxe/http over OUR stack (Stack + @pxe/tcp through
// StackTransport) on the undi TAP backend, in a network namespace made by
// tools/lab, static IP. Real servers inside the namespace: nginx (keep-alive
// on and off — reuse read off nginx's access log — and autoindex), lighttpd,
// python http.server (HTTP/1.0), busybox httpd; squid and tinyproxy as
// proxies (their access logs show each request); redirects across two
// addresses and ports; our hostile server (tools/lab/hostile-server.mjs);
// refused / timed-out connects; a name resolved by @pxe/dns from dnsmasq.
// Every download is checked by SHA-256 (@pxe/http's Sha256).
// Needs Debian socat, iproute2, nginx-light, lighttpd, python3, busybox, squid, tinyproxy, dnsmasq-base.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Stack } from "@pxe/sockets";
import { StackResolver } from "@pxe/dns";
import {
  BodyTruncatedError, ConnectionRefusedError, DnsError, HttpClient, HttpTimeoutError, Sha256, StackTransport, dnsResolver,
  type HttpClientOptions, type HttpResponse,
} from "@pxe/http";
import { Lab } from "../../../tools/lab/lab.js";
import { startBusybox, startDnsmasq, startLighttpd, startNginx, startNodeScript, startPythonHttp, startSquid, startTinyproxy } from "../../../tools/lab/servers.js";
import type { Server } from "../../../tools/lab/lab.js";

const HOSTILE = fileURLToPath(new URL("../../../tools/lab/hostile-server.mjs", import.meta.url));
const big = randomBytes(4 * 1024 * 1024 + 17);
const bigSha = createHash("sha256").update(big).digest("hex");
const small = randomBytes(300_001);
const smallSha = createHash("sha256").update(small).digest("hex");

let lab: Lab;
let stack: Stack;
let transport: StackTransport;
let A: string; // first server address (x.1)
let B: string; // second server address (x.3)
const srv: Record<string, Server> = {};

function client(extra: Partial<HttpClientOptions> = {}): HttpClient {
  return new HttpClient({ transport, timers: transport.timers, connectTimeoutMs: 5000, stallTimeoutMs: 15000, ...extra });
}

async function sha(res: HttpResponse): Promise<{ hex: string; n: number }> {
  const h = new Sha256();
  let n = 0;
  for await (const c of res.body) {
    h.update(c);
    n += c.length;
  }
  return { hex: h.hex(), n };
}

async function fetchSha(c: HttpClient, url: string): Promise<string> {
  return (await sha(await c.get(url))).hex;
}

function readLog(s: Server): string {
  return s.accessLog && existsSync(s.accessLog) ? readFileSync(s.accessLog, "utf8") : "";
}

/** `ip` with its dots escaped for a RegExp. */
function dots(ip: string): string {
  return ip.replace(/\./g, "\\.");
}

async function logShows(s: Server, re: RegExp): Promise<string> {
  let log = "";
  for (let i = 0; i < 50 && !re.test(log); i++) {
    log = readLog(s);
    if (!re.test(log)) await new Promise((r) => setTimeout(r, 100));
  }
  return log;
}

beforeAll(async () => {
  lab = await Lab.create({ name: "http", subnet: "10.213.41", extraHosts: [3] });
  A = lab.serverIp;
  B = lab.addr(3);
  lab.writeFile("pub/big.bin", big);
  lab.writeFile("pub/small.bin", small);
  lab.writeFile("pub/sub/x.txt", "x\n");
  srv.nginx = await startNginx(lab, "nginx", [
    { port: 80 },
    { port: 8081, keepAlive: false },
    { port: 8082, address: A, extra: `location = /r { return 302 http://${B}:8083/r2; }` },
    { port: 8083, address: B, extra: `location = /r2 { return 301 http://${A}/pub/big.bin; } location = /rel { return 307 /pub/small.bin; }` },
  ]);
  srv.lighttpd = await startLighttpd(lab, 8084);
  srv.python = await startPythonHttp(lab, 8085);
  srv.busybox = await startBusybox(lab, 8086);
  srv.hostile = await startNodeScript(lab, "hostile", HOSTILE, ["9000", lab.www], 9000);
  srv.tinyproxy = await startTinyproxy(lab, 8888);
  srv.squid = await startSquid(lab, 3128);
  stack = lab.stack();
  transport = new StackTransport(stack);
}, 120_000);

afterAll(async () => {
  await lab?.close();
});

describe("@pxe/http over our Stack + TCP, TAP backend, real servers in a netns", () => {
  it("nginx keep-alive on: two downloads byte-exact on ONE connection (nginx's access log: same $connection, requests 1 and 2)", async () => {
    const c = client();
    expect(await fetchSha(c, `http://${A}/pub/big.bin?ka=1`)).toBe(bigSha);
    expect(await fetchSha(c, `http://${A}/pub/small.bin?ka=2`)).toBe(smallSha);
    expect(c.idleConnections()).toBe(1);
    c.close();
    const log = await logShows(srv.nginx, /small\.bin\?ka=2/);
    const first = /^(\d+) (\d+) 80 "GET \/pub\/big\.bin\?ka=1 HTTP\/1\.1" 200 (\d+)$/m.exec(log);
    const second = /^(\d+) (\d+) 80 "GET \/pub\/small\.bin\?ka=2 HTTP\/1\.1" 200 (\d+)$/m.exec(log);
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(second![1]).toBe(first![1]);
    expect([first![2], second![2]]).toEqual(["1", "2"]);
    expect(Number(first![3])).toBe(big.length);
  });

  it("nginx keep-alive off: each request on its own connection (distinct $connection), both byte-exact", async () => {
    const c = client();
    expect(await fetchSha(c, `http://${A}:8081/pub/big.bin?ko=1`)).toBe(bigSha);
    expect(await fetchSha(c, `http://${A}:8081/pub/small.bin?ko=2`)).toBe(smallSha);
    expect(c.idleConnections()).toBe(0);
    const log = await logShows(srv.nginx, /ko=2/);
    const a = /^(\d+) 1 8081 "GET \/pub\/big\.bin\?ko=1/m.exec(log);
    const b = /^(\d+) 1 8081 "GET \/pub\/small\.bin\?ko=2/m.exec(log);
    expect(a && b && a[1] !== b[1]).toBe(true);
  });

  it("lighttpd: byte-exact, logged, and a Range read", async () => {
    const c = client();
    expect(await fetchSha(c, `http://${A}:8084/pub/big.bin?lt=1`)).toBe(bigSha);
    const r = await c.get(`http://${A}:8084/pub/big.bin`, { range: { start: 1_000_000, end: 1_004_999 } });
    expect(r.status).toBe(206);
    expect(Buffer.from(await r.bytes()).equals(big.subarray(1_000_000, 1_005_000))).toBe(true);
    expect(await logShows(srv.lighttpd, /big\.bin\?lt=1/)).toMatch(/GET \/pub\/big\.bin\?lt=1/);
    c.close();
  });

  it("python http.server (HTTP/1.0): byte-exact, the connection is not kept", async () => {
    const c = client();
    const r = await c.get(`http://${A}:8085/pub/big.bin`);
    expect(r.versionMinor).toBe(0);
    expect((await sha(r)).hex).toBe(bigSha);
    expect(c.idleConnections()).toBe(0);
    expect(await logShows(srv.python, /GET \/pub\/big\.bin HTTP\/1\.1" 200/)).toMatch(/GET \/pub\/big\.bin/);
  });

  it("busybox httpd: byte-exact", async () => {
    const c = client();
    expect(await fetchSha(c, `http://${A}:8086/pub/big.bin`)).toBe(bigSha);
    c.close();
  });

  /**
   * Fetches big.bin from B:80 and small.bin from B:`smallPort` through the
   * proxy on A:`proxyPort`, both byte-exact; returns the proxy's log once it
   * shows both requests (tagged `tag`=1 and `tag`=2) in absolute form.
   */
  async function throughProxy(proxyPort: number, proxy: Server, tag: string, smallPort: number): Promise<string> {
    const c = client({ proxy: `http://${A}:${proxyPort}` });
    expect(await fetchSha(c, `http://${B}/pub/big.bin?${tag}=1`)).toBe(bigSha);
    expect(await fetchSha(c, `http://${B}:${smallPort}/pub/small.bin?${tag}=2`)).toBe(smallSha);
    c.close();
    const log = await logShows(proxy, new RegExp(`${tag}=2`));
    expect(log).toMatch(new RegExp(`GET http://${dots(B)}/pub/big\\.bin\\?${tag}=1`));
    expect(log).toMatch(new RegExp(`GET http://${dots(B)}:${smallPort}/pub/small\\.bin\\?${tag}=2`));
    return log;
  }

  it("through squid: byte-exact, squid's access log shows each request", async () => {
    const log = await throughProxy(3128, srv.squid, "sq", 8084);
    expect(log).toMatch(new RegExp(`${dots(lab.clientIp)} `));
  });

  it("through tinyproxy: byte-exact, tinyproxy's log shows each request", async () => {
    await throughProxy(8888, srv.tinyproxy, "tp", 8086);
  });

  it("redirects across hosts and ports (A:8082 -302-> B:8083 -301-> A:80), and a relative Location", async () => {
    const c = client();
    const r = await c.get(`http://${A}:8082/r`);
    expect(r.redirects).toEqual([`http://${A}:8082/r`, `http://${B}:8083/r2`, `http://${A}/pub/big.bin`]);
    expect((await sha(r)).hex).toBe(bigSha);
    const rel = await c.get(`http://${B}:8083/rel`);
    expect(rel.url).toBe(`http://${B}:8083/pub/small.bin`);
    expect((await sha(rel)).hex).toBe(smallSha);
    c.close();
  });

  describe("hostile server", () => {
    const H = () => `http://${A}:9000`;
    it("chunked with odd chunk sizes and a trailer", async () => {
      const c = client();
      const r = await c.get(`${H()}/chunked/pub/big.bin`);
      expect(r.headers.get("transfer-encoding")).toBe("chunked");
      expect((await sha(r)).hex).toBe(bigSha);
      expect(r.trailers?.get("x-check")).toBe("done");
      c.close();
    });
    it("close-delimited body", async () => {
      const c = client();
      const r = await c.get(`${H()}/close/pub/big.bin`);
      expect(r.contentLength).toBeNull();
      expect((await sha(r)).hex).toBe(bigSha);
      expect(c.idleConnections()).toBe(0);
    });
    it("reset mid-body: resumed with Range from the next byte, byte-exact", async () => {
      const c = client();
      const r = await c.get(`${H()}/reset/pub/big.bin?at=1500000`);
      expect((await sha(r)).hex).toBe(bigSha);
      const log = readFileSync(srv.hostile.log, "utf8");
      expect(log).toMatch(/GET \/reset\/pub\/big\.bin\?at=1500000 -/);
      expect(log).toMatch(/GET \/reset\/pub\/big\.bin\?at=1500000 bytes=\d+-/);
      c.close();
    });
    it("Range ignored on resume: restarts from byte 0 (onRestart told), byte-exact", async () => {
      const c = client();
      const restarts: number[] = [];
      let h = new Sha256();
      const r = await c.get(`${H()}/norange/pub/big.bin?at=1000000`, {
        onRestart: (i) => {
          restarts.push(i.discarded);
          h = new Sha256(); // the body starts over: so does the hash
        },
      });
      for await (const chunk of r.body) h.update(chunk);
      expect(h.hex()).toBe(bigSha);
      expect(restarts.length).toBe(1);
      expect(restarts[0]).toBeGreaterThan(0);
      c.close();
    });
    it("body shorter than Content-Length: BodyTruncatedError naming the URL", async () => {
      const c = client({ maxResumes: 2 });
      const r = await c.get(`${H()}/short/pub/small.bin?at=1000`);
      const e = await sha(r).catch((x) => x);
      expect(e).toBeInstanceOf(BodyTruncatedError);
      expect(e.url).toContain("/short/pub/small.bin");
      expect(e.expected).toBe(small.length);
      expect(e.received).toBeLessThan(small.length);
    });
    it("slow drip: 300 kB in 3000-byte steps every 2 ms arrives byte-exact", async () => {
      const c = client();
      const r = await c.get(`${H()}/drip/pub/small.bin?step=3000&ms=2`);
      expect((await sha(r)).hex).toBe(smallSha);
      c.close();
    });
    it("stalled body: HttpTimeoutError('response') from the poll-driven timers", async () => {
      const c = client({ stallTimeoutMs: 800, maxResumes: 0 });
      const r = await c.get(`${H()}/stall/pub/small.bin?at=5000`);
      const t0 = performance.now();
      const e = await sha(r).catch((x) => x);
      expect(e).toBeInstanceOf(HttpTimeoutError);
      expect(e.phase).toBe("response");
      expect(performance.now() - t0).toBeGreaterThanOrEqual(700);
    });
  });

  it("connect refused (RST to the SYN): ConnectionRefusedError naming host and port", async () => {
    const e = await client().get(`http://${A}:9/x`).catch((x) => x);
    expect(e).toBeInstanceOf(ConnectionRefusedError);
    expect(e.port).toBe(9);
    expect((e.cause as { kind?: string }).kind).toBe("refused");
  });

  it("connect to an address nobody holds: HttpTimeoutError('connect') after the setting", async () => {
    const t0 = performance.now();
    const e = await client({ connectTimeoutMs: 1200 }).get(`http://${lab.addr(99)}/x`).catch((x) => x);
    expect(e).toBeInstanceOf(HttpTimeoutError);
    expect(e.phase).toBe("connect");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1100);
  });

  it("a host name resolved by @pxe/dns (dnsResolver over StackResolver) from dnsmasq in the netns; NXDOMAIN is a DnsError", async () => {
    const dns = await startDnsmasq(lab, ["--port=53", `--listen-address=${A}`, "--bind-interfaces", "--no-resolv", "--no-hosts", `--host-record=www.lab.test,${B}`, "--local=/lab.test/"]);
    await lab.waitListening(53, dns);
    const resolver = dnsResolver(new StackResolver(stack, { servers: [A] }));
    const c = client({ resolver });
    const r = await c.get("http://www.lab.test:8083/pub/small.bin");
    expect((await sha(r)).hex).toBe(smallSha);
    const e = await c.get("http://nope.lab.test/").catch((x) => x);
    expect(e).toBeInstanceOf(DnsError);
    expect(e.hostname).toBe("nope.lab.test");
    c.close();
  });
});
