// Network test (root): the Node CLI `pxe --tap IF` runs `telnet` against
// busybox telnetd in a lab namespace: the host name through DNS (dnsmasq),
// a command and its output, Ctrl-] `status` and `quit` back at the console
// prompt; then through squid's CONNECT (the session ends when the shell
// exits), squid refusing CONNECT to another port, `--direct` to a closed
// port (refused), an unknown name. Needs Debian socat, iproute2,
// dnsmasq-base, busybox-static, squid.
import { afterAll, describe, expect, it } from "vitest";
import { LabNetns } from "../../../tools/lab/lab.js";
import { startConsole, type ConsoleProcess } from "../../../tools/lab/console.js";
import { startDnsmasq, startSquid } from "../../../tools/lab/servers.js";
import { hasBusyboxTelnetd, startBusyboxTelnetd } from "../../../tools/lab/telnetd.js";

const LINUX = "10.213.48.1";
let lab: LabNetns | undefined;

afterAll(async () => {
  await lab?.close();
});

/** Types `text` into the CLI, then waits until its output (after what was there before) matches `re`. */
async function type(cli: ConsoleProcess, text: string, re: RegExp, ms = 20_000): Promise<string> {
  const before = cli.out.length;
  cli.proc.stdin!.write(text);
  // Only the output after `before` counts: a RegExp look-alike that says so in errors.
  await cli.waitFor({ test: (s: string) => re.test(s.slice(before)), toString: () => `${re} after typing ${JSON.stringify(text)}` } as RegExp, ms);
  return cli.out.slice(before);
}

describe("the console's telnet command (pxe --tap) against busybox telnetd in a netns", () => {
  it.skipIf(!hasBusyboxTelnetd())("by name, a command, Ctrl-] status and quit; through squid; refusals as clear errors", async () => {
    const l = (lab = await LabNetns.create({ name: "telcli", subnet: "10.213.48" }));
    const cli = await startConsole(l);
    l.addressTap();
    await startDnsmasq(l, ["--port=53", `--interface=${l.ifname}`, "--bind-interfaces", "--no-resolv", "--no-hosts",
      "--dhcp-range=10.213.48.50,10.213.48.60,255.255.255.0,1h", `--dhcp-option=6,${LINUX}`, "--domain=lab.example",
      `--host-record=console.lab.example,${LINUX}`, "--local=/lab.example/"]);
    await startBusyboxTelnetd(l, 2323);
    await startSquid(l, 3128, "acl telnet_ports port 2323\nhttp_access deny CONNECT !telnet_ports\n");

    await type(cli, "dhcp\n", /pxehttp> $/, 30_000);
    let out = await type(cli, "telnet console.lab.example 2323\n", /pxe\$ $/);
    expect(out).toContain("Trying 10.213.48.1...\n");
    expect(out).toContain("Connected to console.lab.example:2323.\r\nEscape character is '^]'.\r\n");
    out = await type(cli, "echo out-$((6*7)); stty size\r", /pxe\$ $/);
    expect(out).toMatch(/\r\nout-42\r\n24 80\r\n/);
    out = await type(cli, "\x1dstatus\r", /bytes out\.\r\n/);
    expect(out).toContain("telnet> status\r\n");
    expect(out).toContain("Mode: character at a time; we do: NAWS; server does: ECHO SGA.");
    out = await type(cli, "\x1dquit\r", /pxehttp> $/);
    expect(out).toContain("Connection closed.");

    // Through squid: the session ends when the remote shell exits.
    await type(cli, `set http.proxy=http://${LINUX}:3128\n`, /pxehttp> $/);
    out = await type(cli, `telnet ${LINUX} 2323\n`, /pxe\$ $/);
    expect(out).toContain(`Trying ${LINUX}:2323 via proxy ${LINUX}:3128...`);
    expect(out).toContain(`Connected to ${LINUX}:2323 via proxy ${LINUX}:3128.`);
    out = await type(cli, "echo via-$((40+2))\r", /via-42\r\n/);
    out = await type(cli, "exit\r", /pxehttp> $/);
    expect(out).toContain("Connection closed by foreign host.");
    out = await type(cli, `telnet ${LINUX} 2424\n`, /pxehttp> $/);
    expect(out).toContain(`error: telnet: proxy http://${LINUX}:3128/ refused CONNECT ${LINUX}:2424: HTTP 403 Forbidden\n`);
    out = await type(cli, `telnet --direct ${LINUX} 2424\n`, /pxehttp> $/);
    expect(out).toContain(`error: telnet: connecting to ${LINUX}:2424: connection refused\n`);
    await type(cli, "unset http.proxy\n", /pxehttp> $/);
    out = await type(cli, "telnet nope.lab.example\n", /pxehttp> $/);
    expect(out).toMatch(/error: telnet: cannot resolve nope\.lab\.example: .*NXDOMAIN/);
    if (process.env.PXE_SHOW_OUTPUT) process.stderr.write(cli.out);
    cli.proc.stdin!.end("quit\n");
    expect(await cli.exited).toBe(0);
  }, 120_000);
});
