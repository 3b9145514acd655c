// Network test (root): a 64 MiB download with @pxe/http over OUR stack through
// undi's ImpairedLink wrapped around the TAP backend — 5% loss, 2% reorder,
// 1% duplicate, 0.1% corrupt, both directions, fixed seed — from nginx in a
// network namespace made by tools/lab. The body must arrive byte-exact
// (SHA-256), and the impairments and TCP's recovery must really have
// happened (counters). Needs Debian socat, iproute2, nginx-light.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { ImpairedLink } from "@pxe/undi";
import { HttpClient, Sha256, StackTransport } from "@pxe/http";
import { Lab } from "../../../tools/lab/lab.js";
import { startNginx } from "../../../tools/lab/servers.js";

const SIZE = 64 * 1024 * 1024;
const body = randomBytes(SIZE);
const expected = createHash("sha256").update(body).digest("hex");
const IMPAIR = { loss: 0.05, reorder: 0.02, duplicate: 0.01, corrupt: 0.001 };
let lab: Lab;

beforeAll(async () => {
  lab = await Lab.create({ name: "imp", subnet: "10.213.42" });
  lab.writeFile("big.bin", body);
  await startNginx(lab, "nginx", [{ port: 80 }]);
}, 60_000);

afterAll(async () => {
  await lab?.close();
});

describe("64 MiB through the impairing link over the TAP backend", () => {
  it("arrives byte-exact at 5% loss, 2% reorder, 1% duplicate, 0.1% corrupt (each way)", async () => {
    const link = new ImpairedLink(lab.link, { seed: 5, tx: IMPAIR, rx: IMPAIR });
    const stack = lab.stack(link);
    const transport = new StackTransport(stack);
    const client = new HttpClient({ transport, timers: transport.timers, connectTimeoutMs: 10_000, stallTimeoutMs: 30_000 });
    const t0 = performance.now();
    const res = await client.get(`http://${lab.serverIp}/big.bin`);
    expect(res.contentLength).toBe(SIZE);
    const h = new Sha256();
    let n = 0;
    for await (const chunk of res.body) {
      h.update(chunk);
      n += chunk.length;
    }
    const secs = (performance.now() - t0) / 1000;
    expect(n).toBe(SIZE);
    expect(h.hex()).toBe(expected);
    const c = link.counters();
    // The impairments happened, in both directions.
    for (const d of [c.tx, c.rx]) {
      expect(d.lost).toBeGreaterThan(0);
      expect(d.reordered).toBeGreaterThan(0);
      expect(d.duplicated).toBeGreaterThan(0);
    }
    expect(c.rx.corrupted).toBeGreaterThan(0);
    // Corrupted frames were refused by a checksum somewhere (IP or TCP) and never reached the body.
    const s = stack.stats() as unknown as Record<"link" | "ipv4" | "tcp", { dropped: Record<string, number> }>;
    const refused = (s.link.dropped.badChecksum ?? 0) + (s.ipv4.dropped.badChecksum ?? 0) + (s.tcp.dropped.badChecksum ?? 0);
    expect(refused).toBeGreaterThan(0);
    console.log(`64 MiB impaired: ${(SIZE / secs / 1e6).toFixed(1)} MB/s in ${secs.toFixed(1)} s; ${refused} corrupted frames refused by checksums; link ${JSON.stringify(c)}`);
    client.close();
  }, 300_000);
});
