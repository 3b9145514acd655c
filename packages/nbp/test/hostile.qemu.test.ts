// System test (issue 15): pxehttp.0's `fetch` against hostile servers, in
// QEMU (TCG, e1000, user-mode net: the host's 127.0.0.1 is 10.0.2.2). A small
// HTTP server on the host's loopback, in this file, serves one random file
// three ways: /reset/ sends half the body and resets the connection on the
// first request (Range honoured afterwards), /drip/ sends one byte every
// 500 ms, and / plainly. On one console: the reset fetch resumes (the console
// prints "resuming at byte N") and ends byte-exact; with a low-speed limit of
// 1000 bytes/s over 5 s the drip fetch ends with the low-speed error; then a
// clean fetch works on the same console.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { withQemu } from "../../../tools/qemu/harness.js";
import { buildNbp } from "../src/cli/build.js";
import { BOOT_TIMEOUT, commandOutput as cmd } from "./boot-checks.js";

const SIZE = 256 * 1024;
const file = randomBytes(SIZE);
const sha = createHash("sha256").update(file).digest("hex");
let tftpDir = "";
let server: Server | undefined;
let port = 0;
const log: string[] = [];
const sockets = new Set<Socket>();

/** One request per connection is enough here: each answer closes or resets. */
function serve(sock: Socket): void {
  sockets.add(sock);
  sock.on("close", () => sockets.delete(sock));
  sock.on("error", () => undefined);
  let head = "";
  let resetDone = false;
  sock.on("data", (d) => {
    head += d.toString("latin1");
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    const [line, ...fields] = head.slice(0, end).split("\r\n");
    head = head.slice(end + 4);
    const path = line.split(" ")[1];
    const range = /^range:\s*bytes=(\d+)-$/im.exec(fields.join("\n"));
    log.push(`${path} ${range ? range[1] : "-"}`);
    const start = range ? Number(range[1]) : 0;
    const body = file.subarray(start);
    const status = range ? `206 Partial Content\r\nContent-Range: bytes ${start}-${SIZE - 1}/${SIZE}` : "200 OK";
    sock.write(`HTTP/1.1 ${status}\r\nContent-Length: ${body.length}\r\nETag: "hostile"\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n`);
    if (path === "/reset/f.bin" && !range && !resetDone) {
      resetDone = true;
      sock.write(body.subarray(0, SIZE / 2), () => setTimeout(() => sock.resetAndDestroy(), 200));
    } else if (path === "/drip/f.bin") {
      let off = 0;
      const tick = () => {
        if (sock.destroyed || off >= body.length) return;
        sock.write(body.subarray(off, off + 1));
        off++;
        setTimeout(tick, 500);
      };
      tick();
    } else sock.end(body);
  });
}

beforeAll(async () => {
  tftpDir = mkdtempSync(join(tmpdir(), "pxe-nbp-hostile-"));
  await buildNbp({ out: join(tftpDir, "pxehttp.0") });
  server = createServer(serve);
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  port = (server.address() as { port: number }).port;
}, 600_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  if (tftpDir) rmSync(tftpDir, { recursive: true, force: true });
});

describe("pxehttp.0 against hostile servers (issue 15)", () => {
  test("fetch resumes after a reset mid-body, aborts a drip at the low-speed limit, then fetches cleanly", async () => {
    await withQemu({ nic: "e1000", memoryMiB: 256, net: { kind: "user", tftpDir, bootfile: "pxehttp.0" } }, async (vm) => {
      await vm.waitFor(/pxehttp> /, BOOT_TIMEOUT);
      const base = `http://10.0.2.2:${port}`;

      const reset = await cmd(vm, `fetch ${base}/reset/f.bin --sha256 ${sha}`, /checksum OK, 262144 bytes|error:/, 300_000);
      expect(reset).toMatch(/resuming at byte \d+: /);
      expect(reset).toMatch(/checksum OK, 262144 bytes in memory/);
      expect(log.filter((l) => l.startsWith("/reset/"))).toEqual(["/reset/f.bin -", expect.stringMatching(/^\/reset\/f\.bin \d+$/)]);

      await cmd(vm, "set http.low_speed_limit=1000", /\n/);
      await cmd(vm, "set http.low_speed_time=5s", /\n/);
      const t0 = Date.now();
      const drip = await cmd(vm, `fetch ${base}/drip/f.bin`, /error:/, 300_000);
      expect(drip).toMatch(/too slow: \d+ bytes in 5 s, below the low-speed limit of 1000 bytes\/s/);
      expect(log.filter((l) => l.startsWith("/drip/")).length).toBe(1); // not resumed
      console.log(`hostile QEMU: drip aborted after ${((Date.now() - t0) / 1000).toFixed(1)} s (wall, TCG)`);

      const clean = await cmd(vm, `fetch ${base}/f.bin --sha256 ${sha}`, /checksum OK, 262144 bytes|error:/, 300_000);
      expect(clean).toMatch(/checksum OK, 262144 bytes in memory/);
      console.log(`hostile QEMU console:\n${reset}\n${drip}\n${clean}`);
    });
  }, 1_200_000);
});
