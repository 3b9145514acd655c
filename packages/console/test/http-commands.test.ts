import { describe, expect, it } from "vitest";
import { sha256Hex } from "@pxe/http";
import { MemoryTransport, responseHead, type ScriptedConnection } from "@pxe/http/testing";
import { netLab, serveHttp } from "./net-harness.js";

/** 100 KiB of a repeating pattern, and its digest. */
const FILE = Uint8Array.from({ length: 100 * 1024 }, (_, i) => (i * 7 + (i >> 8)) & 255);
const DIGEST = sha256Hex(FILE);
const INDEX = `<html>
<head><title>Index of /boot/</title></head>
<body>
<h1>Index of /boot/</h1><hr><pre><a href="../">../</a>
<a href="kernel/">kernel/</a>                                            05-Mar-2024 06:07                   -
<a href="loader.conf">loader.conf</a>                                       05-Mar-2024 06:08                  51
<a href="mfsroot.gz">mfsroot.gz</a>                                        06-Mar-2024 10:00             4194304
</pre><hr></body>
</html>
`;
const CONF = 'autoboot_delay="2"\r\nvfs.root.mountfrom="ufs:/dev/md0"\r\n\tx=1\x1b[2J\n';

/** A keep-alive server on 10.0.0.2:80 with a few files; the body of /file.bin comes in 10 pieces. */
function server(t: MemoryTransport): MemoryTransport {
  return t.listen("10.0.0.2", 80, async (c: ScriptedConnection) => {
    for (let req = await c.readRequest(); req; req = await c.readRequest()) {
      const head = req.method === "HEAD";
      if (req.target === "/file.bin") {
        c.send(responseHead(200, "OK", [["Content-Length", String(FILE.length)], ["Accept-Ranges", "bytes"], ["Last-Modified", "Tue, 05 Mar 2024 06:07:00 GMT"], ["Content-Type", "application/octet-stream"]]));
        if (!head) for (let i = 0; i < 10; i++) c.send(FILE.subarray(i * 10240, (i + 1) * 10240));
      } else if (req.target === "/huge") {
        // More than any engine can allocate: fetch must say so, not crash.
        c.send(responseHead(200, "OK", [["Content-Length", String(2 ** 42)]]));
      } else if (req.target === "/boot/") {
        c.send(responseHead(200, "OK", [["Content-Length", String(INDEX.length)], ["Content-Type", "text/html"]]));
        if (!head) c.send(INDEX);
      } else if (req.target === "/boot/loader.conf") {
        c.send(responseHead(200, "OK", [["Content-Length", String(CONF.length)], ["Content-Type", "text/plain"]]));
        if (!head) c.send(CONF);
      } else {
        c.send(responseHead(404, "Not Found", [["Content-Length", "0"]]));
      }
    }
    c.end();
  });
}

describe("HTTP commands (MemoryTransport, and our own TCP between two stacks)", () => {
  it("fetch downloads with plain-mode progress, prints size/time/rate and the SHA-256, keeps the file", async () => {
    const t = server(new MemoryTransport());
    const lab = netLab({ http: t });
    const out = await lab.run(`fetch http://10.0.0.2/file.bin --sha256 ${DIGEST} -o kernel`);
    // plain mode: a line per 10 %, then the summary
    const lines = out.split("\n");
    expect(lines.filter((l) => /^kernel +\d+% \[/.test(l)).length).toBeGreaterThanOrEqual(5);
    expect(out).toMatch(/kernel +50% \[#+\.+\] 50\.0 KiB \/ 100 KiB/);
    expect(out).toMatch(/\nkernel  100 KiB in \d+:\d\d, .*B\/s\n/);
    expect(out).toContain(`\nsha256 ${DIGEST}\nchecksum OK, 102400 bytes in memory as 'kernel'\n`);
    const kept = lab.plugin.state()!.files.get("kernel")!;
    expect(sha256Hex(kept)).toBe(DIGEST);
    expect(t.scriptErrors).toEqual([]);
  });

  it("fetch refuses a SHA-256 mismatch: error, data discarded, console keeps running", async () => {
    const lab = netLab({ http: server(new MemoryTransport()) });
    const wrong = "0".repeat(64);
    const out = await lab.run(`fetch 10.0.0.2/file.bin --sha256 ${wrong}`);
    expect(out).toContain(`sha256 ${DIGEST}\nerror: fetch: SHA-256 mismatch for http://10.0.0.2/file.bin: expected ${wrong}, got ${DIGEST} (data discarded)\n`);
    expect(lab.plugin.state()!.files.has("file.bin")).toBe(false);
    expect(await lab.run("fetch 10.0.0.2/file.bin --sha256 xyz")).toMatch(/^error: fetch: --sha256 wants 64 hex digits/);
    expect(await lab.run("fetch http://10.0.0.2/missing")).toMatch(/^error: fetch: .*404 Not Found.*\n$/);
    expect(await lab.run("fetch http://10.0.0.9/x")).toMatch(/^error: fetch: .*refused.*\n$/);
    expect(await lab.run("fetch ftp://x/y")).toMatch(/^error: fetch: bad URL/);
  });

  it("files lists what fetch kept, rm frees it; a file fetched again under its name replaces the old one", async () => {
    const lab = netLab({ http: server(new MemoryTransport()), freeMemory: () => 5 * 2 ** 20 });
    expect(await lab.run("files")).toBe("no files in memory, 5.00 MiB free\n");
    await lab.run("fetch http://10.0.0.2/file.bin -o kernel");
    await lab.run("fetch http://10.0.0.2/boot/loader.conf");
    await lab.run("fetch http://10.0.0.2/file.bin -o kernel");
    const list = await lab.run("files");
    expect(list).toMatch(/^ +name +size +bytes\n/);
    expect(list).toMatch(/\n +kernel +100 KiB +102400\n/);
    expect(list).toMatch(new RegExp(`\\n +loader\\.conf +${CONF.length} B +${CONF.length}\\n`));
    expect(list).toMatch(/\n2 files, 100 KiB, 5\.00 MiB free; 'rm NAME' frees one\n$/);
    expect(await lab.run("rm nope")).toBe("error: rm: no file 'nope' in memory (there are: loader.conf, kernel)\n");
    expect(await lab.run("rm kernel")).toBe("freed 100 KiB (1 file)\n");
    expect(lab.plugin.state()!.files.has("kernel")).toBe(false);
    expect(await lab.run("rm")).toMatch(/^error: rm: which file\? \('files' lists them\)/);
    expect(await lab.run("rm --all")).toBe(`freed ${CONF.length} B (1 file)\n`);
    expect(await lab.run("files")).toBe("no files in memory, 5.00 MiB free\n");
  });

  it("fetch of more than memory holds: an out-of-memory error with the size asked, what is free and how to free it", async () => {
    const lab = netLab({ http: server(new MemoryTransport()), freeMemory: () => 5 * 2 ** 20 });
    await lab.run("fetch http://10.0.0.2/file.bin -o kernel");
    const out = await lab.run("fetch http://10.0.0.2/huge");
    expect(out).toBe(
      "error: fetch: out of memory for 'huge' from http://10.0.0.2/huge (4.00 TiB, 4398046511104 bytes); 5.00 MiB free; " +
        "1 file in memory hold 100 KiB: 'files' lists them, 'rm NAME' frees one\n",
    );
    expect(lab.plugin.state()!.files.has("huge")).toBe(false);
    // The console and the connection pool still work.
    expect(await lab.run("fetch http://10.0.0.2/file.bin -o again")).toContain("102400 bytes in memory as 'again'");
  });

  it("fetch on an ANSI console redraws the bar in place with CR", async () => {
    const lab = netLab({ http: server(new MemoryTransport()), ansi: true });
    lab.console.clock.advance(1);
    const out = await lab.run("fetch http://10.0.0.2/file.bin");
    expect(out).toMatch(/\rfile\.bin  100% \[#+\] 100 KiB \/ 100 KiB/);
    expect(out).toContain("\x1b[K");
    expect(out).toContain("102400 bytes in memory as 'file.bin'");
    expect(out).toContain(`sha256 ${DIGEST}`);
    await lab.run("set fetch.hash=none");
    const raw = await lab.run("fetch http://10.0.0.2/file.bin -o raw");
    expect(raw).not.toContain("sha256");
    expect(raw).toContain("102400 bytes in memory as 'raw'");
    expect(await lab.run(`fetch http://10.0.0.2/file.bin --sha256 ${DIGEST}`)).toContain("checksum OK");
  });

  it("ls lists name, size and date; stat shows size, type, date and Range support; cat prints text safely", async () => {
    const lab = netLab({ http: server(new MemoryTransport()) });
    const ls = await lab.run("ls http://10.0.0.2/boot/");
    expect(ls).toContain("http://10.0.0.2/boot/  (3 entries, nginx index)\n");
    expect(ls).toMatch(/kernel\/ +- +05-Mar-2024 06:07\n/);
    expect(ls).toMatch(/loader\.conf +51 +05-Mar-2024 06:08\n/);
    expect(ls).toMatch(/mfsroot\.gz +4194304 +06-Mar-2024 10:00\n/);

    const st = await lab.run("stat http://10.0.0.2/file.bin");
    expect(st).toMatch(/type: +file\n/);
    expect(st).toMatch(/size: +102400 \(100 KiB\)\n/);
    expect(st).toMatch(/last-modified: +Tue, 05 Mar 2024 06:07:00 GMT\n/);
    expect(st).toMatch(/ranges: +yes/);

    const cat = await lab.run("cat http://10.0.0.2/boot/loader.conf");
    expect(cat).toBe('autoboot_delay="2"\nvfs.root.mountfrom="ufs:/dev/md0"\n        x=1.[2J\n');

    await lab.run("set cat.max=10");
    expect(await lab.run("cat http://10.0.0.2/boot/loader.conf")).toBe('autoboot_d\n[cut at 10 bytes of 64; set cat.max=N for more]\n');
    expect(await lab.run("ls http://10.0.0.2/file.bin")).toBe("error: ls: http://10.0.0.2/file.bin/: HTTP 404 Not Found\n");
  });

  it("settings: http.proxy (from http_proxy at start-up) sends absolute-form requests to the proxy; tcp.window reaches the TCP config", async () => {
    const t = new MemoryTransport();
    const seen: string[] = [];
    t.listen("10.0.0.3", 3128, async (c) => {
      for (let req = await c.readRequest(); req; req = await c.readRequest()) {
        seen.push(req.target);
        c.send(responseHead(200, "OK", [["Content-Length", "2"]]) + "hi");
      }
      c.end();
    });
    const tcpConfig: { recvBufferSize?: number } = {};
    const lab = netLab({ http: t, tcpConfig, env: { http_proxy: "http://10.0.0.3:3128" } });
    expect(await lab.run("show")).toMatch(/http\.proxy += +http:\/\/10\.0\.0\.3:3128|http\.proxy.*10\.0\.0\.3:3128/);
    expect(await lab.run("cat http://example.test/a.txt")).toBe("hi\n");
    expect(seen).toEqual(["http://example.test/a.txt"]);
    expect(tcpConfig.recvBufferSize).toBe(1024 * 1024);
    await lab.run("set tcp.window=4M");
    expect(tcpConfig.recvBufferSize).toBe(4 * 1024 * 1024);
    expect(await lab.run("set tcp.window=12")).toMatch(/^error: tcp\.window: from 4K to 1G/);
    expect(await lab.run("set http.proxy=::bad")).toMatch(/^error: http\.proxy: /);
    await lab.run("set http.no_proxy=example.test");
    expect(await lab.run("cat http://example.test/a.txt")).toMatch(/^error: cat: .*refused/);
    expect(await lab.run("set http.connect_timeout=5s")).toBe("");
    expect(lab.console.registry.settings.get("http.connect_timeout")).toBe("5000");
  });

  it("tcp.window_clamp writes windowClamp; unset restores the platform's value", async () => {
    const tcpConfig: { recvBufferSize?: number; windowClamp?: number } = { windowClamp: 23360 };
    const lab = netLab({ tcpConfig });
    expect(tcpConfig.windowClamp).toBe(23360);
    expect(await lab.run("set tcp.window_clamp=64K")).toBe("");
    expect(tcpConfig.windowClamp).toBe(65536);
    expect(await lab.run("set tcp.window_clamp=0")).toBe("");
    expect(tcpConfig.windowClamp).toBe(0);
    expect(await lab.run("set tcp.window_clamp=100")).toMatch(/^error: tcp\.window_clamp: 0, or from 4K to 1G/);
    await lab.run("unset tcp.window_clamp");
    expect(tcpConfig.windowClamp).toBe(23360);
    const none: { recvBufferSize?: number; windowClamp?: number } = {};
    const lab2 = netLab({ tcpConfig: none });
    await lab2.run("set tcp.window_clamp=32K");
    expect(none.windowClamp).toBe(32768);
    await lab2.run("unset tcp.window_clamp");
    expect("windowClamp" in none).toBe(false);
  });

  it("without a transport the HTTP commands say so", async () => {
    const lab = netLab();
    expect(await lab.run("fetch http://10.0.0.2/x")).toBe("error: fetch: no HTTP transport on this console (TCP not set up)\n");
  });

  it("fetch over our own TCP (StackTransport) between two stacks; tcp.window applies to new connections", async () => {
    const lab = netLab({ stackHttp: true });
    const body = FILE.subarray(0, 200 * 1024);
    const seen = serveHttp(lab, body);
    await lab.run("set tcp.window=64K");
    const out = await lab.run(`fetch http://10.0.0.2/file.bin --sha256 ${sha256Hex(body)}`, 2_000_000);
    expect(out).toContain(`checksum OK, ${body.length} bytes in memory as 'file.bin'`);
    expect(seen.requests).toEqual(["GET /file.bin HTTP/1.1"]);
    expect(seen.windows[0]).toBeLessThanOrEqual(65536);
    await lab.run("set tcp.window=4M");
    expect(await lab.run("fetch http://host-by-ip.invalid/x", 2_000_000)).toMatch(/^error: fetch: /);
    expect(await lab.run(`fetch http://10.0.0.2/again.bin --sha256 ${sha256Hex(body)}`, 2_000_000)).toContain("checksum OK");
    expect(seen.windows[1]).toBeGreaterThan(1024 * 1024);
    const tcp = await lab.run("stats tcp");
    expect(Number(/received +(\d+)/.exec(tcp)?.[1])).toBeGreaterThan(100); // segments of two 200 KiB downloads
    expect(tcp).toMatch(/connections +0\n/); // both closed
  });
});
