import { randomBytes } from "node:crypto";
import { HttpClient, StackTransport } from "@pxe/http";
import { Lab } from "./lab.js";
import { Stack } from "@pxe/sockets";
import { nodeHost } from "@pxe/sockets/node";
import { nodePlatform } from "./platform.js";
import { startNginx } from "./servers.js";
const lab = await Lab.create({ name: "prof", subnet: "10.213.52" });
try {
  lab.writeFile("f.bin", randomBytes(64 << 20));
  await startNginx(lab, "nginx", [{ port: 80 }]);
  const tap = lab.link; const stack = process.env.IMM ? new Stack({ link: tap, platform: nodePlatform, config: { address: lab.clientIp, prefix: 24 }, driver: nodeHost({ wake: (l) => tap.onReadable(() => setImmediate(l)) }) }) : lab.stack();
  const tr = new StackTransport(stack, { config: process.env.WIN ? { recvBufferSize: Number(process.env.WIN) << 20 } : undefined });
  const c = new HttpClient({ transport: tr, timers: tr.timers });
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = await c.get(`http://${lab.serverIp}/f.bin`);
    let n = 0, k = 0;
    for await (const ch of r.body) { n += ch.length; k++; }
    const dt = (performance.now() - t0) / 1000;
    console.log(n, k, "chunks", (n / dt / 1e6).toFixed(1), "MB/s");
  }
  console.log(JSON.stringify(lab.link.statistics()));
  c.close();
} finally { await lab.close(); }
