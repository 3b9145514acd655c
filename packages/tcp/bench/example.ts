import { seededPlatform } from "@pxe/core";
import { TcpConnection } from "@pxe/tcp";
import { Netsim, RefPeer } from "@pxe/tcp/testing";

// Our client 10.0.2.15:49152 -> a test-only reference server 10.0.2.2:80.
const conn = new TcpConnection({
  platform: seededPlatform(42), // randomness for the ISN; explicit time below
  localAddr: 0x0a00020f, localPort: 49152,
  remoteAddr: 0x0a000202, remotePort: 80,
  config: { recvBufferSize: 1 << 20, timeWaitMs: 1000 },
});
const server = new RefPeer({ port: 80, remotePort: 49152 });
server.write(new Uint8Array(100_000).fill(0x61));
server.close();

// A seeded network with 2% loss and reordering; every segment is encoded,
// checksummed and decoded on the way.
const net = new Netsim({ a: conn, b: server, aAddr: 0x0a00020f, bAddr: 0x0a000202, seed: 1, channel: { loss: 0.02, reorder: 0.02, latencyMs: 1 } });
let received = 0;
net.tick = () => {
  received += conn.recvBytes().length;
  if (conn.eof && conn.state === "CLOSE-WAIT") conn.close();
};
conn.connect(net.now);
net.run(() => conn.state === "CLOSED");
console.log(`${received} bytes, state ${conn.state}, ${net.now.toFixed(0)} ms virtual`);
