#!/usr/bin/env node
// A deliberately awkward HTTP/1.1 server for network tests, run inside a
// lab namespace: `node hostile-server.mjs PORT ROOT`. The first path
// segment picks the behaviour, the rest names a file under ROOT:
//   /chunked/F      Transfer-Encoding: chunked, odd chunk sizes, a trailer
//   /close/F        no Content-Length, body delimited by closing the connection
//   /reset/F?at=N   Content-Length, then RST after N bytes (first request per
//                   file only); Range honoured, so a client can resume
//   /short/F?at=N   announces the full Content-Length, sends N bytes, closes
//                   (every time, ranges too)
//   /drip/F?step=S&ms=T  S bytes every T ms
//   /stall/F?at=N   N bytes, then silence (connection kept open)
//   /norange/F?at=N Range ignored (always 200, whole file); RST after N bytes
//                   on the first request
//   /F              plain: Content-Length, Range honoured, keep-alive
// Every request is logged on stdout as one line: METHOD PATH RANGE.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join, normalize } from "node:path";

const [port, root] = [Number(process.argv[2]), process.argv[3]];
const firstSeen = new Set();

function parseRange(h, size) {
  const m = /^bytes=(\d*)-(\d*)$/.exec(h ?? "");
  if (!m) return null;
  let a, b;
  if (m[1] === "") {
    a = Math.max(0, size - Number(m[2]));
    b = size - 1;
  } else {
    a = Number(m[1]);
    b = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return a <= b && a < size ? [a, b] : null;
}

const server = createServer((req, res) => {
  const u = new URL(req.url, "http://x");
  const parts = u.pathname.split("/").filter(Boolean);
  const modes = ["chunked", "close", "reset", "short", "drip", "stall", "norange"];
  const mode = modes.includes(parts[0]) ? parts.shift() : "plain";
  const file = normalize(join(root, ...parts));
  console.log(`${req.method} ${u.pathname}${u.search} ${req.headers.range ?? "-"}`);
  let data;
  try {
    if (!file.startsWith(root)) throw new Error("outside");
    data = readFileSync(file);
  } catch {
    res.writeHead(404, { "Content-Length": "0" });
    return res.end();
  }
  const at = Number(u.searchParams.get("at") ?? Math.floor(data.length / 2));
  const sock = req.socket;
  const rangeOk = mode !== "norange" && mode !== "chunked" && mode !== "close";
  const range = rangeOk ? parseRange(req.headers.range, data.length) : null;
  const body = range ? data.subarray(range[0], range[1] + 1) : data;
  const head = range ? { "Content-Range": `bytes ${range[0]}-${range[1]}/${data.length}`, "Accept-Ranges": "bytes" } : { "Accept-Ranges": rangeOk ? "bytes" : "none" };
  const status = range ? 206 : 200;
  const first = !firstSeen.has(u.pathname);
  firstSeen.add(u.pathname);
  switch (mode) {
    case "chunked": {
      res.writeHead(200, { "Transfer-Encoding": "chunked", Trailer: "X-Check" });
      let off = 0;
      let n = 1;
      while (off < data.length) {
        const len = Math.min(data.length - off, (n * 7919) % 70000 + 1);
        res.write(data.subarray(off, off + len));
        off += len;
        n++;
      }
      res.addTrailers({ "X-Check": "done" });
      return res.end();
    }
    case "close": {
      // Raw bytes: Node would add framing to a plain res.
      sock.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/octet-stream\r\n\r\n");
      sock.end(data);
      return;
    }
    case "reset":
    case "norange": {
      res.writeHead(status, { ...head, "Content-Length": String(body.length) });
      if (first && at < body.length) {
        res.write(body.subarray(0, at), () => setTimeout(() => sock.resetAndDestroy(), 50));
        return;
      }
      return res.end(body);
    }
    case "short": {
      sock.write(`HTTP/1.1 ${status} ${status === 206 ? "Partial Content" : "OK"}\r\nContent-Length: ${body.length}\r\n${range ? `Content-Range: ${head["Content-Range"]}\r\n` : ""}Connection: close\r\n\r\n`);
      sock.end(body.subarray(0, Math.min(at, body.length)));
      return;
    }
    case "drip": {
      const step = Number(u.searchParams.get("step") ?? 100);
      const ms = Number(u.searchParams.get("ms") ?? 5);
      res.writeHead(status, { ...head, "Content-Length": String(body.length) });
      let off = 0;
      const tick = () => {
        if (off >= body.length) return res.end();
        res.write(body.subarray(off, off + step));
        off += step;
        setTimeout(tick, ms);
      };
      return tick();
    }
    case "stall": {
      res.writeHead(status, { ...head, "Content-Length": String(body.length) });
      res.write(body.subarray(0, at));
      return; // never ends
    }
    default:
      res.writeHead(status, { ...head, "Content-Length": String(body.length) });
      return res.end(req.method === "HEAD" ? undefined : body);
  }
});
server.keepAliveTimeout = 30000;
server.listen(port, () => console.log(`listening on ${port}`));
process.on("SIGTERM", () => process.exit(0));
