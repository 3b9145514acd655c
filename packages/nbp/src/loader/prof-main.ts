/**
 * Entry of the profiling loader (not the default): the default loader on a
 * host whose platform calls are timed, plus the `prof` command. Build with
 * `node packages/nbp/tools/build.mjs packages/nbp/src/loader/prof-main.ts -o OUT.0`.
 */
import { nbpHost } from "../host-api.js";
import { runHelloPxe } from "./hello-loader.js";
import { IpInterface } from "@pxe/ip";
import { Stack } from "@pxe/sockets";
import { TcpLayer, TcpConnection } from "@pxe/tcp";
import { addProfileCommand, profiledHost, profileEntry, profileMethod, profileUndiLink } from "./profile.js";

const raw = nbpHost();
const { host, profile } = profiledHost(raw);
profileUndiLink(raw, profile);
profileMethod(raw, profile, Stack.prototype, "poll", "stack.poll");
profileMethod(raw, profile, Stack.prototype, "nextDeadline", "stack.nextDeadline");
profileMethod(raw, profile, IpInterface.prototype, "runTimers", "ip.runTimers");
profileMethod(raw, profile, TcpLayer.prototype, "receive", "tcp.receive");
profileMethod(raw, profile, TcpConnection.prototype, "recvBytes", "tcp.recvBytes");
profileMethod(raw, profile, TcpConnection.prototype, "poll", "tcpconn.poll");
profileMethod(raw, profile, TcpConnection.prototype, "onSegment", "tcpconn.onSegment");
{
  const segs = profileEntry(profile, "tcpconn.segsOut");
  const proto = TcpConnection.prototype as unknown as { poll: (now: number) => unknown[] };
  const inner = proto.poll;
  proto.poll = function (this: unknown, now: number): unknown[] {
    const out = inner.call(this, now);
    segs.calls += out.length;
    return out;
  };
}
profileMethod(raw, profile, TcpLayer.prototype, "transmit", "tcp.transmit");
/** The connection that received last: `stats tcpconn` shows its own counters. */
let lastConn: TcpConnection | undefined;
{
  const proto = TcpConnection.prototype as unknown as { onSegment: (now: number, h: unknown, p: Uint8Array) => void };
  const inner = proto.onSegment;
  proto.onSegment = function (this: Record<string, unknown>, now: number, h: unknown, p: Uint8Array): void {
    const before = this.segsUnacked;
    inner.call(this, now, h, p);
    const k = `seg.${p.length}.${String(before)}->${String(this.segsUnacked)}.${this.ackNow ? "A" : "-"}`;
    const e = profile.byName[k] ?? profileEntry(profile, k);
    e.calls++;
    lastConn = this as unknown as TcpConnection;
  };
}
runHelloPxe(host, (registry) => {
  addProfileCommand(registry, raw, profile);
  registry.addStats({ name: "tcpconn", counters: () => ({ ...(lastConn?.stats ?? {}) }) });
}).then(
  () => raw.poweroff(),
  (e: unknown) => {
    raw.write(`\nloader failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    raw.poweroff();
  },
);
