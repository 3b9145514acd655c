import { describe, expect, it } from "vitest";
import { asciiBytes, concat, utf8Bytes } from "@pxe/core";
import { HttpClient, sha256Hex } from "@pxe/http";
import { drive, ManualTimers, MemoryTransport, responseHead } from "@pxe/http/testing";
import type { ScriptedConnection } from "@pxe/http/testing";
import { FileClosedError, HttpFs, NotADirectoryError, SeekError } from "@pxe/httpfs";
import { nginxLikePage } from "@pxe/httpfs/testing";

function data(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 7;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}

/** A tiny web server: files by path, Range unless ignoreRange, index pages as HTML. */
function site(files: Record<string, Uint8Array | string>, o: { ignoreRange?: boolean; noHead?: boolean } = {}) {
  const log: string[] = [];
  const server = async (c: ScriptedConnection) => {
    for (;;) {
      const q = await c.readRequest();
      if (!q) return;
      log.push(`${q.method} ${q.target} ${q.headers.get("range") ?? ""}`.trim());
      if (q.target === "/dir") {
        c.send(responseHead(301, "Moved Permanently", [["Location", "/dir/"], ["Content-Length", "0"]]));
        continue;
      }
      const f = files[q.target];
      if (f === undefined) {
        c.send(responseHead(404, "Not Found", [["Content-Length", "0"]]));
        continue;
      }
      if (q.method === "HEAD" && o.noHead) {
        c.send(responseHead(405, "Method Not Allowed", [["Content-Length", "0"]]));
        continue;
      }
      const body = typeof f === "string" ? asciiBytes(f) : f;
      const ct = typeof f === "string" ? "text/html" : "application/octet-stream";
      const range = q.headers.get("range");
      const fields: [string, string][] = [["Content-Type", ct], ["Last-Modified", "Tue, 05 Mar 2024 06:07:08 GMT"], ["ETag", '"e1"']];
      if (!o.ignoreRange) fields.push(["Accept-Ranges", "bytes"]);
      if (range && !o.ignoreRange) {
        const m = /^bytes=(\d+)-(\d*)$/.exec(range)!;
        const s = Number(m[1]);
        if (s >= body.length) {
          c.send(responseHead(416, "Range Not Satisfiable", [["Content-Range", `bytes */${body.length}`], ["Content-Length", "0"]]));
          continue;
        }
        const e = m[2] ? Math.min(Number(m[2]), body.length - 1) : body.length - 1;
        const part = body.subarray(s, e + 1);
        c.send(concat([asciiBytes(responseHead(206, "Partial Content", [...fields, ["Content-Range", `bytes ${s}-${e}/${body.length}`], ["Content-Length", String(part.length)]])), q.method === "HEAD" ? new Uint8Array(0) : part]));
        continue;
      }
      c.send(concat([asciiBytes(responseHead(200, "OK", [...fields, ["Content-Length", String(body.length)]])), q.method === "HEAD" ? new Uint8Array(0) : body]));
    }
  };
  return { server, log };
}

function setup(files: Record<string, Uint8Array | string>, o: { ignoreRange?: boolean; noHead?: boolean } = {}) {
  const timers = new ManualTimers();
  const transport = new MemoryTransport();
  const s = site(files, o);
  transport.listen("10.0.0.1", 80, s.server);
  const client = new HttpClient({ transport, timers });
  const fs = new HttpFs({ client, readAhead: 1024, maxReadAhead: 8192 });
  const run = <T>(p: Promise<T>) => drive(timers, p);
  return { fs, run, log: s.log, transport };
}

describe("HttpFs", () => {
  const big = data(100_000);
  it("stat gives size, type and validators", async () => {
    const { fs, run } = setup({ "/k": big, "/dir/": "<html></html>" });
    const st = await run(fs.stat("http://10.0.0.1/k"));
    expect(st).toMatchObject({ url: "http://10.0.0.1/k", type: "file", size: 100_000, etag: '"e1"', acceptRanges: true, lastModified: "Tue, 05 Mar 2024 06:07:08 GMT" });
    expect((await run(fs.stat("http://10.0.0.1/dir"))).type).toBe("directory");
  });
  it("stat falls back to a one-byte Range GET when HEAD is not allowed", async () => {
    const { fs, run, log } = setup({ "/k": big }, { noHead: true });
    expect((await run(fs.stat("http://10.0.0.1/k"))).size).toBe(100_000);
    expect(log).toEqual(["HEAD /k", "GET /k bytes=0-0"]);
  });
  it("small sequential reads are served from a growing read-ahead window", async () => {
    const { fs, run, log } = setup({ "/k": big });
    const f = await run(fs.open("http://10.0.0.1/k"));
    const parts: Uint8Array[] = [];
    for (let i = 0; i < 200; i++) parts.push(await run(f.read(100)));
    expect(concat(parts)).toEqual(big.subarray(0, 20_000));
    const gets = log.filter((l) => l.startsWith("GET"));
    expect(gets).toEqual(["GET /k bytes=0-1023", "GET /k bytes=1024-3071", "GET /k bytes=3072-7167", "GET /k bytes=7168-15359", "GET /k bytes=15360-23551"]);
    expect(f.requests).toBe(5);
  });
  it("seek moves by Range; reads at the end are short, then empty", async () => {
    const { fs, run, log } = setup({ "/k": big });
    const f = await run(fs.open("http://10.0.0.1/k"));
    expect(f.seek(50_000)).toBe(50_000);
    expect(await run(f.read(10))).toEqual(big.subarray(50_000, 50_010));
    expect(f.seek(-5, "end")).toBe(99_995);
    expect(await run(f.read(100))).toEqual(big.subarray(99_995));
    expect((await run(f.read(100))).length).toBe(0);
    expect(f.seek(-10, "cur")).toBe(99_990);
    expect(await run(f.pread(10, 5))).toEqual(big.subarray(10, 15));
    expect(f.tell()).toBe(99_990);
    expect(log.filter((l) => l.startsWith("GET"))).toEqual(["GET /k bytes=50000-51023", "GET /k bytes=99995-99999", "GET /k bytes=10-1033"]);
    expect(() => f.seek(-1)).toThrow(SeekError);
    f.close();
    await expect(f.read(1)).rejects.toThrow(FileClosedError);
  });
  it("a server that ignores Range still gives the right bytes", async () => {
    const { fs, run } = setup({ "/k": big }, { ignoreRange: true });
    const f = await run(fs.open("http://10.0.0.1/k"));
    f.seek(70_000);
    expect(await run(f.read(3000))).toEqual(big.subarray(70_000, 73_000));
    expect(f.rangeSupported).toBe(false);
    f.seek(0);
    expect(sha256Hex(await run(f.readAll()))).toBe(sha256Hex(big));
  });
  it("readFile reads everything", async () => {
    const { fs, run } = setup({ "/k": big });
    expect(await run(fs.readFile("http://10.0.0.1/k"))).toEqual(big);
  });
  it("readdir follows the slash redirect and parses an nginx page", async () => {
    const page = nginxLikePage("/dir/", [{ name: "empty", dir: true, size: 0 }, { name: "kernel", dir: false, size: 123456 }, { name: "\u00fcn\u00efc\u00f6d\u00e9.txt", dir: false, size: 1 }]);
    const { fs, run } = setup({ "/dir/": String.fromCharCode(...utf8Bytes(page)) });
    const l = await run(fs.readdir("http://10.0.0.1/dir"));
    expect(l.url).toBe("http://10.0.0.1/dir/");
    expect(l.format).toBe("nginx");
    expect(l.entries.find((e) => e.name === "kernel")!.size).toBe(123456);
    expect(l.entries.find((e) => e.name === "ünïcödé.txt")!.type).toBe("file");
    expect(HttpFs.join(l.url, l.entries[0].href).path).toBe("/dir/empty/");
  });
  it("readdir refuses a page that is not an index", async () => {
    const { fs, run } = setup({ "/x/": "<html><body>hello</body></html>", "/bin/": data(10) });
    await expect(run(fs.readdir("http://10.0.0.1/x/"))).rejects.toThrow(NotADirectoryError);
  });
});
