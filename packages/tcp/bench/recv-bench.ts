// Receive-path micro-benchmark (a measurement, not a test):
//   npx tsx --tsconfig tsconfig.node.json packages/tcp/bench/recv-bench.ts [MiB]
// Feeds in-order 1448-byte segments (timestamps on, like Linux sends) into an
// established connection, reads them out in 64 KiB chunks, polls for ACKs.
import { TcpFlags } from "@pxe/tcp";
import { established } from "@pxe/tcp/testing";

const mib = Number(process.argv[2] ?? 64);
const h = established({ peerTimestamps: true, now: 1 });
const seg = new Uint8Array(1448).map((_, i) => i & 0xff);
const out = new Uint8Array(64 << 10);
const total = mib << 20;
let seq = h.peerSeq;
let got = 0;
let acks = 0;
const t0 = performance.now();
let now = 2;
while (got < total) {
  for (let i = 0; i < 16; i++) {
    h.conn.onSegment(now, { srcPort: 80, dstPort: 49152, seq, ack: h.sentUpTo, flags: TcpFlags.ACK, window: 65535, checksum: 0, urgent: 0, options: [{ kind: "nop" }, { kind: "nop" }, { kind: "timestamps", tsVal: now, tsEcr: 0 }] }, seg);
    seq = (seq + seg.length) >>> 0;
  }
  acks += h.conn.poll(now).length;
  while (h.conn.recvAvailable > 0) got += h.conn.recv(out);
  acks += h.conn.poll(now).length;
  now += 0.1;
}
const ms = performance.now() - t0;
console.log(`${mib} MiB through the receive path in ${ms.toFixed(0)} ms: ${(total / 1e6 / (ms / 1000)).toFixed(0)} MB/s, ${acks} ACKs`);
