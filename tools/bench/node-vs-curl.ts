/**
 * Benchmark (not a test): 64 MiB over HTTP from nginx, our stack on the
 * undi TAP backend vs curl over the same kind of link, same server, same file.
 *
 *   node tools/bench/node-vs-curl.mjs [--mib 64] [--runs 2]
 *   (or: npx tsx --tsconfig tsconfig.node.json tools/bench/node-vs-curl.ts)
 *
 * Needs root, iproute2, socat, nginx-light, curl.
 *
 * The link. Our stack reaches Linux through the TAP backend: a TAP in the
 * lab namespace <-> socat <-> one UDP datagram per frame on 127.0.0.1 <->
 * Node (TapLink) <-> @pxe/ip/tcp/http. curl cannot sit inside Node, so it
 * gets the same path with a kernel at the far end: a TAP in the lab
 * namespace <-> socat <-> UDP on 127.0.0.1 <-> socat <-> a TAP in a client
 * namespace <-> Linux TCP <-> curl (tools/lab/bridge.ts). Both cross a
 * Linux TAP, a socat process and the loopback UDP hop per frame, with the
 * same MTU (1500), to the same nginx worker serving the same file from the
 * page cache; only the client end differs (Node + our stack vs socat + TAP
 * + Linux's stack), which is what we compare. Runs alternate (ours, curl,
 * ours, curl...) so machine load affects both alike; each run is timed from
 * the request to the last byte (ours by performance.now(), curl by its own
 * %{time_total}), the body is discarded (curl -o /dev/null) — one more run
 * of ours also hashes with @pxe/http's Sha256 and checks the SHA-256.
 */
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { HttpClient, Sha256, StackTransport } from "@pxe/http";
import { Lab } from "../lab/lab.js";
import { createTapBridge, type TapBridge } from "../lab/bridge.js";
import { startNginx } from "../lab/servers.js";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const MIB = arg("mib", 64);
const RUNS = arg("runs", 2);
const SIZE = MIB * 1024 * 1024;
const mbps = (bytes: number, secs: number) => bytes / secs / 1e6;

async function ours(client: HttpClient, url: string, hash: boolean): Promise<{ secs: number; bytes: number; sha?: string }> {
  const t0 = performance.now();
  const res = await client.get(url);
  const h = hash ? new Sha256() : null;
  let n = 0;
  for await (const c of res.body) {
    n += c.length;
    h?.update(c);
  }
  return { secs: (performance.now() - t0) / 1000, bytes: n, sha: h?.hex() };
}

function curl(bridge: TapBridge, url: string): { secs: number; bytes: number } {
  const out = execFileSync("ip", ["netns", "exec", bridge.ns, "curl", "-sS", "-o", "/dev/null", "-w", "%{size_download} %{time_total}", url], { encoding: "utf8" });
  const [bytes, secs] = out.trim().split(" ").map(Number);
  return { secs, bytes };
}

const lab = await Lab.create({ name: "bench", subnet: "10.213.50" });
let bridge: TapBridge | undefined;
try {
  const data = randomBytes(SIZE);
  const sha = createHash("sha256").update(data).digest("hex");
  lab.writeFile("big.bin", data);
  await startNginx(lab, "nginx", [{ port: 80, autoindex: false }]);
  bridge = await createTapBridge(lab.ns, "10.213.51");
  const stack = lab.stack();
  const transport = new StackTransport(stack);
  const client = new HttpClient({ transport, timers: transport.timers });
  // warm-up: page cache, ARP on both paths
  await ours(client, `http://${lab.serverIp}/big.bin`, false);
  curl(bridge, `http://${bridge.serverIp}/big.bin`);
  const rows: { who: string; run: number; mbps: number; secs: number }[] = [];
  for (let r = 1; r <= RUNS; r++) {
    const a = await ours(client, `http://${lab.serverIp}/big.bin`, false);
    if (a.bytes !== SIZE) throw new Error(`ours got ${a.bytes} bytes`);
    rows.push({ who: "ours (TAP backend + @pxe stack)", run: r, mbps: mbps(a.bytes, a.secs), secs: a.secs });
    const b = curl(bridge, `http://${bridge.serverIp}/big.bin`);
    if (b.bytes !== SIZE) throw new Error(`curl got ${b.bytes} bytes`);
    rows.push({ who: "curl (socat/TAP + Linux TCP)", run: r, mbps: mbps(b.bytes, b.secs), secs: b.secs });
  }
  const hashed = await ours(client, `http://${lab.serverIp}/big.bin`, true);
  if (hashed.sha !== sha) throw new Error("SHA-256 mismatch");
  client.close();
  console.log(`${MIB} MiB from nginx, same link type (TAP + socat + UDP loopback), load ${execFileSync("cat", ["/proc/loadavg"], { encoding: "utf8" }).split(" ").slice(0, 3).join(" ")}`);
  for (const row of rows) console.log(`  ${row.who.padEnd(34)} run ${row.run}: ${row.mbps.toFixed(1).padStart(7)} MB/s  (${row.secs.toFixed(2)} s)`);
  console.log(`  ours with SHA-256 (checked)          ${mbps(hashed.bytes, hashed.secs).toFixed(1).padStart(7)} MB/s  (${hashed.secs.toFixed(2)} s)`);
  const best = (who: string) => Math.max(...rows.filter((x) => x.who.startsWith(who)).map((x) => x.mbps));
  const o = best("ours");
  const c = best("curl");
  console.log(`best: ours ${o.toFixed(1)} MB/s, curl ${c.toFixed(1)} MB/s, ratio ours/curl ${(o / c).toFixed(2)} (target >= 0.50)`);
} finally {
  bridge?.close();
  await lab.close();
}
