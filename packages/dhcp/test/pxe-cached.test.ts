import { describe, expect, it } from "vitest";
import { defaultDhcpAck } from "@pxe/undi/testing";
import { leaseFromCachedReply, ipv4Text } from "@pxe/dhcp";

describe("PXE cached DHCP reply from @pxe/undi's simulated firmware", () => {
  it("gives the lease the simulated ROM was configured with", () => {
    const mac = Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, 0x56);
    const lease = leaseFromCachedReply(defaultDhcpAck(mac, "pxehttp.0"), 5);
    expect(ipv4Text(lease.address)).toBe("10.0.2.15");
    expect(ipv4Text(lease.nextServer)).toBe("10.0.2.2");
    expect(ipv4Text(lease.serverId!)).toBe("10.0.2.2");
    expect(lease.bootFile).toBe("pxehttp.0");
    expect(Array.from(lease.message.chaddr)).toEqual(Array.from(mac));
    expect(lease.obtainedAt).toBe(5);
  });
});
