// Network test (root): `pxe --tap` inside a network namespace this test
// makes (tools/lab). Linux, on the other end of the TAP, sends ARP requests (a UDP send to
// an address nobody has); the console, waiting for keys, keeps the link
// polled and `stats link` counts the frames. Needs socat and iproute2.
import { afterAll, describe, expect, it } from "vitest";
import { LabNetns } from "../../../tools/lab/lab.js";
import { startConsole } from "../../../tools/lab/console.js";

let lab: LabNetns | undefined;

afterAll(async () => {
  await lab?.close();
});

describe("pxe --tap in a network namespace", () => {
  it("opens the TAP, counts frames Linux sends while the console waits, quits cleanly", async () => {
    lab = await LabNetns.create({ name: "con", subnet: "10.214.7" });
    const cli = await startConsole(lab);
    lab.addressTap();
    // Nobody has 10.214.7.2: a UDP send makes Linux broadcast ARP requests into the TAP.
    await lab.run(["bash", "-c", "echo x > /dev/udp/10.214.7.2/9; sleep 1.2; echo x > /dev/udp/10.214.7.2/9"]);
    cli.proc.stdin!.write("show link\nstats link\n");
    await cli.waitFor(/dropped +\d+\n/, 10_000);
    cli.proc.stdin!.end("quit\n");
    expect(await cli.exited).toBe(0);
    const out = cli.out;
    expect(out).toContain(`  driver: tap:${lab.ifname}\n`);
    const rx = Number(/rcvGoodFrames +(\d+)/.exec(out)?.[1]);
    expect(rx, out).toBeGreaterThanOrEqual(1);
    expect(out.endsWith("pxehttp> quit\n")).toBe(true);
  });
});
