// Network test (root): HttpFs over @pxe/http over OUR stack (StackTransport:
// Stack + @pxe/tcp on the undi TAP backend) in a network namespace made by
// tools/lab: readdir from nginx autoindex (and lighttpd, python http.server),
// stat, and open/seek/read checked byte-exact, a whole-file read by SHA-256.
// Needs Debian socat, iproute2, nginx-light, lighttpd, python3.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { HttpClient, Sha256, StackTransport } from "@pxe/http";
import { HttpFs } from "@pxe/httpfs";
import { Lab } from "../../../tools/lab/lab.js";
import { startLighttpd, startNginx, startPythonHttp } from "../../../tools/lab/servers.js";

const data = randomBytes(2 * 1024 * 1024 + 5);
const dataSha = createHash("sha256").update(data).digest("hex");
let lab: Lab;
let client: HttpClient;

beforeAll(async () => {
  lab = await Lab.create({ name: "fs", subnet: "10.213.43" });
  lab.writeFile("pub/disk.img", data);
  lab.writeFile("pub/loader.conf", 'kernel="kernel"\n');
  lab.writeFile("pub/boot/kernel/kernel", "k");
  await startNginx(lab, "nginx", [{ port: 80 }]);
  await startLighttpd(lab, 8084);
  await startPythonHttp(lab, 8085);
  const transport = new StackTransport(lab.stack());
  client = new HttpClient({ transport, timers: transport.timers, connectTimeoutMs: 5000, stallTimeoutMs: 15000 });
}, 60_000);

afterAll(async () => {
  client?.close();
  await lab?.close();
});

describe("HttpFs over our stack on the TAP backend", () => {
  it.each([
    ["nginx autoindex", 80],
    ["lighttpd dir-listing", 8084],
    ["python http.server", 8085],
  ])("readdir from %s", async (_n, port) => {
    const l = await new HttpFs({ client }).readdir(`http://${lab.serverIp}:${port}/pub/`);
    expect(l.entries.map((e) => `${e.name}:${e.type}`).sort()).toEqual(["boot:directory", "disk.img:file", "loader.conf:file"]);
  });

  it("stat, seek + read byte-exact, and a sequential read of the whole file by SHA-256 (nginx)", async () => {
    const fs = new HttpFs({ client });
    const url = `http://${lab.serverIp}/pub/disk.img`;
    expect((await fs.stat(url)).size).toBe(data.length);
    const f = await fs.open(url);
    f.seek(1_234_567);
    expect(Buffer.from(await f.read(70_000)).equals(data.subarray(1_234_567, 1_304_567))).toBe(true);
    f.seek(0);
    const h = new Sha256();
    let n = 0;
    for (;;) {
      const part = await f.read(100_000);
      if (part.length === 0) break;
      h.update(part);
      n += part.length;
    }
    expect(n).toBe(data.length);
    expect(h.hex()).toBe(dataSha);
    f.close();
  });
});
