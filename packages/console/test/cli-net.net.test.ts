// Network test (root): the Node CLI `pxe --tap IF` with the full stack,
// spawned inside a network namespace this test makes (tools/lab).
// dnsmasq on the Linux side serves DHCP and DNS, python's http.server a
// file, tinyproxy is the HTTP proxy. Commands are piped in; the test asserts real values in the output:
// the leased address and options, ping replies from Linux, the DNS answer
// with its CNAME chain, the ARP entry of the Linux side, per-layer counters,
// and a fetch checked by SHA-256. Everything is torn down in afterAll.
// Needs Debian socat, iproute2, dnsmasq-base, python3, tinyproxy.
import { afterAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { LabNetns } from "../../../tools/lab/lab.js";
import { startConsole } from "../../../tools/lab/console.js";
import { startDnsmasq, startPythonHttp, startTinyproxy } from "../../../tools/lab/servers.js";

const LINUX = "10.215.9.1";
let lab: LabNetns | undefined;

afterAll(async () => {
  await lab?.close(); // kills the CLI, dnsmasq, http.server, tinyproxy, socat; deletes the namespace (and the TAP)
});

describe("pxe --tap with the full stack, against dnsmasq and python http.server in a netns", () => {
  it("dhcp, ifconfig, ping, nslookup, arp, fetch, ls, stat, cat, fetch through a proxy, stats, quit", async () => {
    const l = (lab = await LabNetns.create({ name: "cli", subnet: "10.215.9" }));
    const IF = l.ifname;
    const file = Uint8Array.from({ length: 3 * 1024 * 1024 + 17 }, (_, i) => (i * 31 + (i >>> 9)) & 255);
    l.writeFile("blob.bin", file);
    l.writeFile("hello.txt", "kernel=/boot/kernel\r\nboot_verbose=YES\r\n");
    const digest = createHash("sha256").update(file).digest("hex");

    const cli = await startConsole(l);
    const child = cli.proc;

    // The TAP exists now (socat made it inside the namespace): give Linux its side, then start the servers.
    l.addressTap();
    const linuxMac = l.linuxMac();
    await startDnsmasq(l, ["--port=53", `--interface=${IF}`, "--bind-interfaces", "--no-resolv", "--no-hosts",
      "--dhcp-range=10.215.9.50,10.215.9.60,255.255.255.0,1h", `--dhcp-option=3,${LINUX}`, `--dhcp-option=6,${LINUX}`, "--domain=lab.example",
      `--dhcp-boot=pxehttp.0,bootsrv,${LINUX}`, "--dhcp-option=17,/srv/freebsd", `--dhcp-option=72,${LINUX}`,
      `--host-record=host.lab.example,${LINUX}`, "--cname=www.lab.example,alias.lab.example", "--cname=alias.lab.example,host.lab.example", "--local=/lab.example/"]);
    await startPythonHttp(l, 8080, { address: LINUX });
    const proxy = await startTinyproxy(l, 3128, { address: LINUX });

    child.stdin!.end(
      ["dhcp", "ifconfig", `ping -c 3 -i 200 ${LINUX}`, "ping -c 1 www", "nslookup www.lab.example", "nslookup nope.lab.example", "arp",
        `fetch http://host.lab.example:8080/blob.bin --sha256 ${digest}`,
        `ls http://${LINUX}:8080/`, "stat http://host.lab.example:8080/blob.bin", "cat host.lab.example:8080/hello.txt",
        `set http.proxy=http://${LINUX}:3128`, `fetch http://${LINUX}:8080/blob.bin --sha256 ${digest} -o viaproxy`, "unset http.proxy", "stats", "quit", ""].join("\n"),
    );
    const code = await Promise.race([cli.exited, new Promise<string>((r) => setTimeout(() => r("timeout"), 90_000))]);
    const out = cli.out;
    expect(code, `stdout:\n${out}\nstderr:\n${cli.err}`).toBe(0);
    if (process.env.PXE_SHOW_OUTPUT) process.stderr.write(out);

    // dhcp: the leased address and options
    const leased = /\n +address: +(10\.215\.9\.(\d+))\n/.exec(out);
    expect(leased, out).not.toBeNull();
    expect(Number(leased![2])).toBeGreaterThanOrEqual(50);
    expect(Number(leased![2])).toBeLessThanOrEqual(60);
    expect(out).toMatch(/ router: +10\.215\.9\.1\n/);
    expect(out).toMatch(/ domain: +lab\.example\n/);
    expect(out).toMatch(/ boot file: +pxehttp\.0\n/);
    expect(out).toMatch(/ root-path: +\/srv\/freebsd\n/);
    // ifconfig shows it
    expect(out).toContain(`tap:${IF}:\n`);
    expect(out).toMatch(new RegExp(` address: +${leased![1].replace(/\./g, "\\.")}/24\\n`));
    // ping: three replies from Linux and a clean summary; by name through DNS (CNAME chain)
    for (const seq of [0, 1, 2]) expect(out).toMatch(new RegExp(`64 bytes from 10\\.215\\.9\\.1: seq=${seq} ttl=64 time=[\\d.]+ ms\\n`));
    expect(out).toContain("3 packets transmitted, 3 received, 0% packet loss\n");
    expect(out).toMatch(/PING www \(10\.215\.9\.1\): 56 data bytes\n64 bytes from 10\.215\.9\.1: seq=0/);
    // nslookup: the chain and the answer; NXDOMAIN as a clear error
    expect(out).toContain("server:  10.215.9.1\nwww.lab.example  canonical name = alias.lab.example\nalias.lab.example  canonical name = host.lab.example\nhost.lab.example  A  10.215.9.1\n");
    expect(out).toContain("error: nslookup: nope.lab.example: no such domain (NXDOMAIN from 10.215.9.1)\n");
    // arp: Linux's MAC learned
    expect(out).toMatch(new RegExp(`10\\.215\\.9\\.1 +${linuxMac} +reachable +\\d+s +in \\d+s\\n`));
    // fetch over our TCP, checked
    expect(out).toContain(`sha256 ${digest}\nchecksum OK, ${file.length} bytes in memory as 'blob.bin'\n`);
    // ls / stat / cat against python's http.server
    expect(out).toMatch(/pxehttp> ls http:\/\/10\.215\.9\.1:8080\/\nhttp:\/\/10\.215\.9\.1:8080\/  \(2 entries, python index\)\n/);
    expect(out).toMatch(/\n +blob\.bin +- +-\n +hello\.txt +- +-\n/);
    expect(out).toMatch(new RegExp(`pxehttp> stat http://host\\.lab\\.example:8080/blob\\.bin\\n(.*\\n)* +size: +${file.length} \\(3\\.00 MiB\\)\\n`));
    expect(out).toMatch(/ +last-modified: +\w{3}, \d\d \w{3} \d{4} /);
    expect(out).toContain("pxehttp> cat host.lab.example:8080/hello.txt\nkernel=/boot/kernel\nboot_verbose=YES\n");
    // through tinyproxy: checked, and the proxy's log shows the request
    expect(out).toContain(`sha256 ${digest}\nchecksum OK, ${file.length} bytes in memory as 'viaproxy'\n`);
    expect(readFileSync(proxy.accessLog!, "utf8")).toMatch(/GET http:\/\/10\.215\.9\.1:8080\/blob\.bin/);
    // stats: per-layer counters with real numbers
    const icmpIn = Number(/icmp:\n(?: +\S+ +\d+\n)*? +delivered +(\d+)\n/.exec(out)?.[1]);
    expect(icmpIn).toBeGreaterThanOrEqual(4);
    const tcpSection = /\ntcp:\n((?: +\S+ +\d+\n)+)/.exec(out)?.[1] ?? "";
    expect(tcpSection, out).toMatch(/\d/);
    expect(out.endsWith("pxehttp> quit\n")).toBe(true);
  }, 150_000);
});
