// GET over OUR TCP/IP stack (@pxe/sockets Stack + @pxe/tcp) on the undi TAP
// backend, against python's http.server in a network namespace the
// example makes with tools/lab (and removes again). Run as root from the
// repository root:
//   npx tsx --tsconfig tsconfig.node.json packages/http/examples/stack-get.ts
import { HttpClient, Sha256, StackTransport } from "@pxe/http";
import { Lab } from "../../../tools/lab/lab.js";
import { startPythonHttp } from "../../../tools/lab/servers.js";

const lab = await Lab.create({ name: "example", subnet: "10.213.60" });
try {
  lab.writeFile("hello.txt", "hello from the lab\n".repeat(1000));
  await startPythonHttp(lab, 8000);
  const stack = lab.stack(); // Stack on the TAP, 10.213.60.2/24, Node driver
  const transport = new StackTransport(stack); // installs @pxe/tcp on the stack
  const client = new HttpClient({ transport, timers: transport.timers });
  const res = await client.get(`http://${lab.serverIp}:8000/hello.txt`);
  const hash = new Sha256();
  let n = 0;
  for await (const chunk of res.body) {
    hash.update(chunk);
    n += chunk.length;
  }
  console.log(res.status, n, "bytes, sha256", hash.hex());
  client.close();
} finally {
  await lab.close();
}
