import { describe, expect, it } from "vitest";
import { seededPlatform } from "@pxe/core";
import { DhcpClient, ipv4Text } from "@pxe/dhcp";

describe("README example", () => {
  it("the machine on its own", () => {
    const client = new DhcpClient({ mac: Uint8Array.of(0x52, 0x54, 0, 0x12, 0x34, 0x56), random: seededPlatform(1) });
    client.start(0);
    const lines: unknown[][] = [];
    for (const t of client.poll(0)) lines.push([t.type, ipv4Text(t.dst), t.dstPort, t.payload.length]);
    expect(lines).toEqual([[1, "255.255.255.255", 67, expect.any(Number)]]);
    expect(lines[0][3]).toBeGreaterThanOrEqual(300);
    expect(client.state).toBe("selecting");
    expect(Math.abs(client.pollAt() - 4000)).toBeLessThanOrEqual(1000);
  });
});
