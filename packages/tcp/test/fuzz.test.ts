import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WireError } from "@pxe/core";
import { TcpState, decodeSegment, encodeSegment, seq } from "@pxe/tcp";
import { arbHeader, closeWait, closing, established, finWait1, finWait2, lastAck, synSent, timeWait, type TcpHarness } from "@pxe/tcp/testing";

/** Runs `f`; undefined when it throws WireError, anything else propagates. */
function WireErrorGuard<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof WireError) return undefined;
    throw e;
  }
}

const HEAVY = typeof process !== "undefined" && !!process.env.PXE_TCP_HEAVY;
const states = [synSent, established, finWait1, finWait2, closing, timeWait, closeWait, lastAck];
const STATES = new Set(Object.values(TcpState));

/** Checks what a connection sends is always encodable and its state sane. */
function checkOutput(h: TcpHarness, now: number): void {
  for (const s of h.conn.poll(now)) encodeSegment(s.header, s.payload, 1, 2); // throws if options overflow 40 bytes
  expect(STATES.has(h.conn.state)).toBe(true);
  expect(h.conn.recvAvailable).toBeLessThanOrEqual(h.conn.config.recvBufferSize);
}

describe("fuzz: the TCP receive path", () => {
  it("arbitrary segments near the connection's sequence space never throw, in every state", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: states.length - 1 }),
        fc.array(fc.tuple(arbHeader, fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: -70_000, max: 70_000 }), fc.integer({ min: -70_000, max: 70_000 }), fc.boolean()), { maxLength: 30 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (si, segs, irs) => {
          const h = states[si]({ irs, peerTimestamps: irs % 2 === 0, config: { recvBufferSize: 8192 } });
          let now = 1;
          for (const [hdr, payload, dseq, dack, near] of segs) {
            const header = near ? { ...hdr, seq: seq.add(h.peerSeq, dseq), ack: seq.add(h.sentUpTo, dack) } : hdr;
            h.conn.onSegment(now, header, payload);
            checkOutput(h, now);
            now += 7;
            const d = h.conn.nextDeadline();
            if (d !== undefined && d < now + 5000) checkOutput(h, d > now ? (now = d) : now);
          }
          h.conn.recvBytes();
          checkOutput(h, now + 100_000);
        },
      ),
      { numRuns: HEAVY ? 5000 : 150, interruptAfterTimeLimit: HEAVY ? 600_000 : 8_000 },
    );
  });
  it("arbitrary bytes: decode (typed WireError only), then feed whatever decodes", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 200 }), { maxLength: 20 }), (blobs) => {
        const h = established();
        for (const b of blobs) {
          const seg = WireErrorGuard(() => decodeSegment(b, 0, b.length));
          if (seg) h.conn.onSegment(1, seg.header, seg.payload);
          checkOutput(h, 1);
        }
      }),
      { numRuns: HEAVY ? 5000 : 200, interruptAfterTimeLimit: HEAVY ? 600_000 : 5_000 },
    );
  });
});
