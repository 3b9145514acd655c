// Runnable: npx tsx packages/httpfs/examples/ls.ts URL   (from the repository root)
import { HttpClient } from "@pxe/http";
import { NodeNetTransport, nodeTimers } from "@pxe/http/node";
import { HttpFs } from "@pxe/httpfs";

const fs = new HttpFs({ client: new HttpClient({ transport: new NodeNetTransport(), timers: nodeTimers }) });
const dir = process.argv[2] ?? "http://127.0.0.1:8000/";
const listing = await fs.readdir(dir);
for (const e of listing.entries) console.log(e.type === "directory" ? "d" : "-", String(e.size ?? "").padStart(10), e.name);
const first = listing.entries.find((e) => e.type === "file");
if (first) {
  const f = await fs.open(HttpFs.join(listing.url, first.href));
  console.log(first.name, "size", f.size, "first bytes", await f.read(16));
  f.close();
}
