import { seededPlatform } from "@pxe/core";
import type { TcpConfig } from "../machine/config.js";
import { TcpConnection } from "../machine/connection.js";
import { CLIENT_ADDR, SERVER_ADDR } from "./harness.js";
import { Netsim, type ChannelOptions } from "./netsim.js";
import { RefPeer, type RefPeerOptions } from "./peer.js";

/** Settings of a simulated transfer. */
export interface TransferOptions {
  /** Bytes to move. */
  data: Uint8Array;
  /** Seed of the channel and the client's randomness. */
  seed: number;
  /** Channel impairments (both directions). */
  channel?: ChannelOptions;
  /** Client settings. */
  config?: Partial<TcpConfig>;
  /** Reference-peer settings. */
  peer?: RefPeerOptions;
  /** Client ISN (e.g. near 2^32). */
  iss?: number;
  /** Largest read the client application makes per call (default: all). */
  readChunk?: number;
  /** Most bytes the client application reads per simulation step (default: all available) — a slow reader fills the window. */
  readPerTick?: number;
  /** Virtual-time limit, ms (default 10 minutes). */
  maxTime?: number;
}

/** Outcome of a simulated transfer. */
export interface TransferResult {
  /** True when the transfer completed (and both sides saw the FINs). */
  done: boolean;
  /** Bytes that arrived (download: at the client; upload: at the peer). */
  received: Uint8Array;
  /** Virtual time from connect to the last byte, ms. */
  elapsedMs: number;
  /** The client connection (for state and stats). */
  conn: TcpConnection;
  /** The peer. */
  peer: RefPeer;
  /** The network. */
  sim: Netsim;
}

function setup(o: TransferOptions): { conn: TcpConnection; peer: RefPeer; sim: Netsim } {
  const conn = new TcpConnection({ platform: seededPlatform(o.seed ^ 0x5eed), localAddr: CLIENT_ADDR, localPort: 49152, remoteAddr: SERVER_ADDR, remotePort: 80, config: o.config });
  const peer = new RefPeer({ ...o.peer, port: 80, remotePort: 49152 });
  const sim = new Netsim({ a: conn, b: peer, aAddr: CLIENT_ADDR, bAddr: SERVER_ADDR, seed: o.seed, channel: o.channel });
  conn.connect(0, o.iss);
  return { conn, peer, sim };
}

/** TEST-ONLY: the peer sends `data` then FIN; the client reads until EOF, then closes. */
export function download(o: TransferOptions): TransferResult {
  const { conn, peer, sim } = setup(o);
  peer.write(o.data);
  peer.close();
  const got = new Uint8Array(o.data.length + 1);
  let n = 0;
  let doneAt = -1;
  const chunk = new Uint8Array(Math.min(o.readChunk ?? got.length, got.length) || 1);
  sim.tick = (now) => {
    let budget = o.readPerTick ?? Infinity;
    while (conn.recvAvailable > 0 && n < got.length && budget > 0) {
      const k = conn.recv(budget < chunk.length ? chunk.subarray(0, budget) : chunk);
      budget -= k;
      got.set(chunk.subarray(0, Math.min(k, got.length - n)), n);
      n += k;
    }
    if (conn.eof && doneAt < 0) {
      doneAt = now;
      conn.close();
    }
  };
  if (o.readPerTick !== undefined) sim.appDeadline = () => (conn.recvAvailable > 0 ? sim.now + 1 : undefined); // the paced reader wakes every 1 ms
  const ok = sim.run(() => doneAt >= 0 && conn.state === "CLOSED" && (peer.state === "TIME-WAIT" || peer.state === "CLOSED"), o.maxTime ?? 600_000);
  return { done: ok && !conn.error, received: got.slice(0, n), elapsedMs: doneAt, conn, peer, sim };
}

/** TEST-ONLY: the client sends `data` then closes; the peer reads, then closes. */
export function upload(o: TransferOptions): TransferResult {
  const { conn, peer, sim } = setup(o);
  let off = 0;
  let closed = false;
  let doneAt = -1;
  sim.tick = (now) => {
    if (off < o.data.length && conn.sendSpace > 0) off += conn.send(o.data.subarray(off));
    if (off === o.data.length && !closed && conn.state !== "SYN-SENT") {
      conn.close();
      closed = true;
    }
    conn.recvBytes();
    if (doneAt < 0 && peer.gotFin) doneAt = now;
  };
  const ok = sim.run(() => doneAt >= 0 && (conn.state === "TIME-WAIT" || conn.state === "CLOSED") && peer.state === "CLOSED", o.maxTime ?? 600_000);
  return { done: ok && !conn.error, received: peer.received(), elapsedMs: doneAt, conn, peer, sim };
}
