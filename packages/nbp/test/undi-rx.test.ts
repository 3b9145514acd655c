// platform/undi_rx.c (the native UNDI receive loop with TCP receive
// coalescing) built for the host with gcc -m32 and driven by a scripted
// PXENV_UNDI_ISR (fixtures/undi-rx-driver.c): any mix of TCP flows, gaps,
// PSH, bad checksums and other frames comes out with every flow's bytes in
// order, valid checksums, and the frames it must not merge untouched.
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { onesSumTs, fold } from "@pxe/core";
import { writeEthernetHeader, writeIpv4Header, parseIpv4Datagram, ETHERTYPE_IPV4, ETHERTYPE_ARP } from "@pxe/ip";
import { encodeSegment, decodeSegment, verifyTcpChecksum, TcpFlags } from "@pxe/tcp";
import { IsrLoopFlag, IsrLoopState, ISR_LOOP_STATE_WORDS } from "@pxe/undi";
import { hostProgram } from "./host-c.js";

const driver = hostProgram("undi-rx-driver.c", "undi_rx.c", ["-O1"]);

const MAC_A = Uint8Array.of(2, 0, 0, 0, 0, 1);
const MAC_B = Uint8Array.of(2, 0, 0, 0, 0, 2);
const CLIENT = 0x0a00020f;
const SERVER = 0x0a000202;

interface Seg { flow: number; seq: number; payload: Uint8Array; flags: number; ts?: number; corrupt?: boolean }

/** An Ethernet/IPv4/TCP frame from the server (port 80 + flow) to the client. */
function tcpFrame(s: Seg): Uint8Array {
  const options = s.ts === undefined ? [] : [{ kind: "nop" as const }, { kind: "nop" as const }, { kind: "timestamps" as const, tsVal: s.ts, tsEcr: 7 }];
  const tcp = encodeSegment({ srcPort: 80 + s.flow, dstPort: 40000, seq: s.seq >>> 0, ack: 1000, flags: s.flags, window: 500, checksum: 0, urgent: 0, options }, s.payload, SERVER, CLIENT);
  const f = new Uint8Array(14 + 20 + tcp.length);
  writeEthernetHeader(f, 0, MAC_A, MAC_B, ETHERTYPE_IPV4);
  writeIpv4Header(f, 14, { tos: 0, totalLength: 20 + tcp.length, id: 1, dontFragment: true, moreFragments: false, fragmentOffset: 0, ttl: 64, protocol: 6, src: SERVER, dst: CLIENT, options: new Uint8Array(0) });
  f.set(tcp, 34);
  if (s.corrupt) f[f.length - 1] ^= 0x55;
  return f;
}

function arpFrame(): Uint8Array {
  const f = new Uint8Array(60);
  writeEthernetHeader(f, 0, MAC_A, MAC_B, ETHERTYPE_ARP);
  f[20] = 1;
  return f;
}

type Ev = { kind: "frame"; frame: Uint8Array; seg?: Seg } | { kind: "tx" } | { kind: "done" } | { kind: "piece"; bytes: Uint8Array; total: number } | { kind: "reopen" };

function run(events: Ev[], budget: number, flags: number): { records: Uint8Array[]; state: Int32Array } {
  const parts: number[] = [];
  const u32 = (v: number) => parts.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24);
  u32(budget);
  u32(flags);
  for (const e of events) {
    if (e.kind === "piece") {
      parts.push(3, e.bytes.length & 255, e.bytes.length >>> 8, e.total & 255, e.total >>> 8, ...e.bytes);
      continue;
    }
    const bytes = e.kind === "frame" ? e.frame : new Uint8Array(0);
    parts.push({ frame: 0, tx: 1, done: 2, reopen: 4 }[e.kind], bytes.length & 255, bytes.length >>> 8, ...bytes);
  }
  const out = new Uint8Array(execFileSync(driver, { input: Uint8Array.from(parts) }));
  const records: Uint8Array[] = [];
  let at = 0;
  for (;;) {
    const len = out[at] | (out[at + 1] << 8);
    at += 2;
    if (len === 0xffff) break;
    records.push(out.slice(at, at + len));
    at += len;
  }
  const state = new Int32Array(out.slice(at, at + 4 * ISR_LOOP_STATE_WORDS).buffer);
  return { records, state };
}

const arbSegments = fc
  .array(
    fc.record({
      flow: fc.integer({ min: 0, max: 1 }),
      len: fc.integer({ min: 0, max: 1448 }), // 1448 + 32 + 20 = the 1500-byte MTU
      gap: fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0), fc.integer({ min: -3000, max: 3000 })),
      psh: fc.boolean(),
      ts: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
      corrupt: fc.integer({ min: 0, max: 7 }).map((x) => x === 0),
      other: fc.integer({ min: 0, max: 12 }),
    }),
    { maxLength: 60 },
  )
  .map((xs) => {
    const next = [0xfffff000, 5];
    let fill = 1;
    return xs.map((x): Ev => {
      if (x.other === 0) return { kind: "frame", frame: arpFrame() };
      if (x.other === 1) return { kind: "tx" };
      if (x.other === 2) return { kind: "done" };
      const seq = (next[x.flow] + x.gap) >>> 0;
      const payload = new Uint8Array(x.len).map(() => fill++ & 255);
      next[x.flow] = (seq + x.len) >>> 0;
      const seg: Seg = { flow: x.flow, seq, payload, flags: TcpFlags.ACK | (x.psh ? TcpFlags.PSH : 0), ts: x.ts, corrupt: x.corrupt };
      return { kind: "frame", frame: tcpFrame(seg), seg };
    });
  });

/** Per flow, the stream of [seq, byte] pairs the segments carry, in order of arrival. */
function streams(frames: Uint8Array[]): string[] {
  const per = ["", ""];
  for (const f of frames) {
    if (f[12] !== 8 || f[13] !== 0) continue;
    const ip = parseIpv4Datagram(f, 14, f.length);
    if (!verifyTcpChecksum(ip.header.src, ip.header.dst, f, ip.payloadStart, ip.payloadEnd)) continue;
    const s = decodeSegment(f, ip.payloadStart, ip.payloadEnd);
    const flow = s.header.srcPort - 80;
    for (let i = 0; i < s.payload.length; i++) per[flow] += `${(s.header.seq + i) >>> 0}:${s.payload[i]},`;
  }
  return per;
}

describe("native UNDI receive loop (undi_rx.c on the host)", () => {
  test("in-order data of one flow becomes one segment with valid checksums; PSH ends it", () => {
    const segs: Seg[] = [0, 1, 2, 3].map((i) => ({ flow: 0, seq: 100 + i * 1000, payload: new Uint8Array(1000).fill(i + 1), flags: TcpFlags.ACK | (i === 2 ? TcpFlags.PSH : 0) }));
    const { records, state } = run(segs.map((s) => ({ kind: "frame", frame: tcpFrame(s) })), 64, IsrLoopFlag.START | IsrLoopFlag.COALESCE);
    expect(records.length).toBe(2);
    expect(state[IsrLoopState.merged]).toBe(2);
    expect(state[IsrLoopState.frames]).toBe(4);
    const ip = parseIpv4Datagram(records[0], 14, records[0].length);
    expect(ip.header.totalLength).toBe(20 + 20 + 3000);
    expect(fold(onesSumTs(records[0], 14, 34, 0))).toBe(0xffff);
    expect(verifyTcpChecksum(SERVER, CLIENT, records[0], 34, records[0].length)).toBe(true);
    const s = decodeSegment(records[0], 34, records[0].length);
    expect(s.header.seq).toBe(100);
    expect(s.header.flags).toBe(TcpFlags.ACK | TcpFlags.PSH);
    expect(Array.from(s.payload.subarray(999, 1001))).toEqual([1, 2]);
    expect(records[1]).toEqual(tcpFrame(segs[3]));
  });

  test("a frame handed over in pieces is reassembled; after a re-open a half frame is dropped, not glued to the next", () => {
    const f = arpFrame();
    const whole = run([{ kind: "piece", bytes: f.subarray(0, 20), total: 60 }, { kind: "piece", bytes: f.subarray(20), total: 60 }, { kind: "done" }], 16, 0);
    expect(whole.records).toEqual([f]);
    const g = Uint8Array.from(arpFrame(), (b, i) => (i > 20 ? i & 255 : b));
    const r = run([{ kind: "piece", bytes: f.subarray(0, 20), total: 80 }, { kind: "reopen" }, { kind: "frame", frame: g }, { kind: "done" }], 16, 0);
    expect(r.records).toEqual([g]);
    expect(r.state[IsrLoopState.protocolErrors]).toBe(0);
  });

  test("a segment with a bad checksum is never merged (nor anything into it)", () => {
    const segs: Seg[] = [0, 1, 2].map((i) => ({ flow: 0, seq: i * 100, payload: new Uint8Array(100).fill(i + 1), flags: TcpFlags.ACK, corrupt: i === 1 }));
    const frames = segs.map(tcpFrame);
    const { records, state } = run(frames.map((frame) => ({ kind: "frame", frame })), 64, IsrLoopFlag.START | IsrLoopFlag.COALESCE);
    expect(records).toEqual(frames);
    expect(state[IsrLoopState.merged]).toBe(0);
  });

  test("without COALESCE every frame comes out as it went in", () => {
    const segs: Seg[] = [0, 1, 2].map((i) => ({ flow: 0, seq: i * 10, payload: new Uint8Array(10).fill(i), flags: TcpFlags.ACK }));
    const frames = segs.map(tcpFrame);
    const { records, state } = run(frames.map((frame) => ({ kind: "frame", frame })), 64, IsrLoopFlag.START);
    expect(records).toEqual(frames);
    expect(state[IsrLoopState.merged]).toBe(0);
  });

  test("property: bytes per flow in order, checksums valid, unmergeable frames untouched, nothing lost", () => {
    fc.assert(
      fc.property(arbSegments, fc.integer({ min: 1, max: 8 }), (events, budget) => {
        const { records, state } = run(events, budget, IsrLoopFlag.START | IsrLoopFlag.COALESCE);
        const input = events.flatMap((e) => (e.kind === "frame" ? [e.frame] : []));
        expect(state[IsrLoopState.frames]).toBe(input.length);
        expect(records.length + state[IsrLoopState.merged]).toBe(input.length);
        expect(state[IsrLoopState.txCompletions]).toBe(events.filter((e) => e.kind === "tx").length);
        expect(streams(records)).toEqual(streams(input));
        const inputSet = new Set(input.map((f) => Buffer.from(f).toString("hex")));
        for (const r of records) {
          if (inputSet.has(Buffer.from(r).toString("hex"))) continue;
          // A merged record: valid IPv4 and TCP checksums, no PSH before its last part.
          const ip = parseIpv4Datagram(r, 14, r.length);
          expect(verifyTcpChecksum(ip.header.src, ip.header.dst, r, ip.payloadStart, ip.payloadEnd)).toBe(true);
        }
        // Frames that may not be merged pass through byte for byte.
        const outSet = new Set(records.map((f) => Buffer.from(f).toString("hex")));
        for (const e of events) if (e.kind === "frame" && (!e.seg || e.seg.corrupt || e.seg.payload.length === 0)) expect(outSet.has(Buffer.from(e.frame).toString("hex"))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
