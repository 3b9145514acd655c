import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesEqual } from "@pxe/core";
import { stackPair } from "@pxe/sockets/testing";

describe("UDP echo between two Stacks over an in-memory link", () => {
  it("any payload (fragmented above the MTU) comes back byte-exact", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 9000 }), fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 576, max: 1500 }), async (payload, port, mtu) => {
        const { a, b } = stackPair({ mtu });
        const server = b.udpSocket({ port });
        const client = a.socket("dgram");
        await client.connect({ address: "10.0.0.2", port });
        await client.send(payload);
        const req = await server.recvFrom({ timeoutMs: 500 });
        server.sendTo(req.data, req.from);
        const back = await client.recv({ timeoutMs: 500 });
        expect(bytesEqual(back, payload)).toBe(true);
        expect(a.stats().link.dropped).toEqual({});
        expect(b.stats().reassembly.reassembled).toBe(payload.length + 28 > mtu ? 1 : 0);
        expect(b.stats().link.dropped).toEqual({});
      }),
      { numRuns: 40 },
    );
  });
});
