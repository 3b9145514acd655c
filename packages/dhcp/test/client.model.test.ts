import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededPlatform } from "@pxe/core";
import { DhcpClient, DhcpMessageType as T, dhcpMessage, messageTypeOf, type DhcpTransmit, type DhcpClientState } from "@pxe/dhcp";
import { FakeDhcpServer } from "./fake-server.js";

const MAC = Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, 0x56);

/** What the network does with each client message. */
type Reaction = "answer" | "drop" | "nak" | "garbage" | "foreign-xid" | "duplicate";
type Step = { reaction: Reaction; advanceMs: number };

const arbStep: fc.Arbitrary<Step> = fc.record({
  reaction: fc.constantFrom<Reaction>("answer", "answer", "drop", "nak", "garbage", "foreign-xid", "duplicate"),
  advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 4_000_000 })),
});

const legal: Record<DhcpClientState, DhcpClientState[]> = {
  idle: ["selecting"],
  selecting: ["selecting", "requesting", "failed"],
  requesting: ["requesting", "bound", "selecting", "failed"],
  bound: ["bound", "renewing", "rebinding", "selecting"],
  renewing: ["renewing", "bound", "rebinding", "selecting"],
  rebinding: ["rebinding", "bound", "selecting"],
  failed: ["failed"],
  released: ["released"],
};

describe("DhcpClient under any sequence of network behaviour", () => {
  it("keeps its invariants: legal transitions, lease iff bound-ish, right message per state, xid fixed per exchange", () => {
    fc.assert(
      fc.property(fc.array(arbStep, { minLength: 1, maxLength: 80 }), fc.integer(), (steps, seed) => {
        const c = new DhcpClient({ mac: MAC, random: seededPlatform(seed), totalTimeoutMs: 120_000 });
        const server = new FakeDhcpServer();
        let now = 0;
        c.start(now);
        let prev: DhcpClientState = c.state;
        const check = () => {
          expect(legal[prev]).toContain(c.state);
          const hasLease = c.state === "bound" || c.state === "renewing" || c.state === "rebinding";
          expect(c.lease !== undefined).toBe(hasLease);
          if (c.state === "failed") expect(c.error).toBeDefined();
          if (c.state !== "failed" && c.state !== "released") expect(c.pollAt()).toBeGreaterThanOrEqual(0);
          prev = c.state;
        };
        for (const step of steps) {
          const at = c.pollAt();
          now = at === Infinity ? now + step.advanceMs : Math.max(now, Math.min(at, now + step.advanceMs));
          const stateBefore = c.state;
          const xidBefore = c.transactionId;
          const sent: DhcpTransmit[] = c.poll(now);
          check();
          for (const t of sent) {
            const m = dhcpMessage.decode(t.payload, 0, t.payload.length).value;
            const type = messageTypeOf(m);
            if (c.state === "selecting") {
              expect(type).toBe(T.Discover);
              expect(t.src).toBe(0);
              if (stateBefore === "selecting") expect(m.xid).toBe(xidBefore);
            } else if (c.state === "requesting") {
              expect(type).toBe(T.Request);
              expect(m.xid).toBe(c.transactionId);
            } else if (c.state === "renewing") {
              expect(type).toBe(T.Request);
              expect(t.src).toBe(c.lease!.address);
              expect(m.ciaddr).toBe(c.lease!.address);
            }
            if (step.reaction === "drop") continue;
            if (step.reaction === "nak") server.nakNext = 1;
            const replies = server.handle(t);
            for (const r of replies) {
              if (step.reaction === "garbage") r[0] ^= 0xff;
              if (step.reaction === "foreign-xid") r[5] ^= 0x55;
              c.receive(now, r);
              check();
              if (step.reaction === "duplicate") {
                c.receive(now, r);
                check();
              }
            }
          }
        }
        c.takeEvents();
      }),
      { numRuns: 300 },
    );
  });
});
