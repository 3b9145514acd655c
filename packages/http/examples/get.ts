// Runnable: npx tsx packages/http/examples/get.ts URL   (from the repository root)
import { HttpClient, Sha256 } from "@pxe/http";
import { NodeNetTransport, nodeTimers } from "@pxe/http/node";

const client = new HttpClient({
  transport: new NodeNetTransport(),
  timers: nodeTimers,
  proxy: process.env.http_proxy ?? null,
  noProxy: process.env.no_proxy ?? "",
});
const res = await client.get(process.argv[2] ?? "http://127.0.0.1:8000/");
console.log(res.status, res.reason, "length", res.contentLength, "via", res.redirects.join(" -> "));
const hash = new Sha256();
let n = 0;
for await (const chunk of res.body) {
  hash.update(chunk);
  n += chunk.length;
}
console.log(n, "bytes, sha256", hash.hex());
client.close();
