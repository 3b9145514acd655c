import { describe, expect, it } from "vitest";
import { netLab, serveDhcp, serveDns } from "./net-harness.js";

describe("network commands over two stacks (virtual time)", () => {
  it("ifconfig shows the interface and sets it statically; route and arp tables", async () => {
    const lab = netLab();
    const out = await lab.run("ifconfig");
    expect(out).toContain("mem-a:\n");
    expect(out).toMatch(/ mac: +02:00:00:00:00:01\n/);
    expect(out).toMatch(/ mtu: +1500\n/);
    expect(out).toMatch(/ address: +10\.0\.0\.1\/24\n/);
    expect(out).toMatch(/ netmask: +255\.255\.255\.0\n/);
    expect(out).toMatch(/ dns: +10\.0\.0\.2\n/);

    const set = await lab.run("ifconfig 10.0.0.9/16 gw 10.0.0.2");
    expect(set).toMatch(/ address: +10\.0\.0\.9\/16\n/);
    expect(set).toMatch(/ gateway: +10\.0\.0\.2\n/);
    expect(lab.a.config.address).toBe(0x0a000009);

    const routes = await lab.run("route");
    expect(routes).toMatch(/10\.0\.0\.0\/16 +on-link +connected/);
    expect(routes).toMatch(/default +10\.0\.0\.2 +default/);
    await lab.run("route add 192.168.5.0/24 via 10.0.0.2");
    expect(await lab.run("route")).toMatch(/192\.168\.5\.0\/24 +10\.0\.0\.2 +static/);
    expect(await lab.run("route del 192.168.5.0/24")).not.toContain("192.168.5.0");
    expect(await lab.run("route del 192.168.6.0/24")).toBe("error: route: no static route 192.168.6.0/24\n");
    expect(await lab.run("route del default")).not.toContain("default");
    expect(await lab.run("ifconfig 10.0.0.300/24")).toMatch(/^error: ifconfig: '10\.0\.0\.300\/24' is not ADDRESS\/PREFIX/);

    expect(await lab.run("arp")).toBe("ARP cache is empty\n");
    await lab.run("ping -c 1 10.0.0.2");
    const arp = await lab.run("arp");
    expect(arp).toMatch(/address +mac +state +age +expires\n/);
    expect(arp).toMatch(/10\.0\.0\.2 +02:00:00:00:00:02 +reachable +0s +in 59s\n/);
  });

  it("ping prints a line per reply and a summary; names resolve through DNS", async () => {
    const lab = netLab();
    serveDns(lab);
    const out = await lab.run("ping -c 3 -i 100 10.0.0.2");
    expect(out).toMatch(/^PING 10\.0\.0\.2: 56 data bytes\n/);
    for (const seq of [0, 1, 2]) expect(out).toMatch(new RegExp(`64 bytes from 10\\.0\\.0\\.2: seq=${seq} ttl=64 time=\\d+\\.\\d+ ms\\n`));
    expect(out).toContain("--- 10.0.0.2 ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss\n");
    expect(out).toMatch(/round-trip min\/avg\/max = [\d.]+\/[\d.]+\/[\d.]+ ms\n$/);

    const byName = await lab.run("ping -c 1 host");
    expect(byName).toMatch(/^PING host \(10\.0\.0\.2\): 56 data bytes\n64 bytes from 10\.0\.0\.2: seq=0/);
  });

  it("ping errors: unknown host (NXDOMAIN), no reply, no address; the console keeps running", async () => {
    const lab = netLab();
    serveDns(lab);
    expect(await lab.run("ping nope")).toMatch(/^error: ping: unknown host 'nope': no such domain \(NXDOMAIN from 10\.0\.0\.2\)\n$/);
    // 10.0.0.77 is on the link but nobody answers ARP for it
    const silent = await lab.run("ping -c 2 -i 100 -t 5000 ghost");
    expect(silent).toContain("PING ghost (10.0.0.77)");
    expect(silent).toMatch(/from 10\.0\.0\.77: .*(ARP|arp).*\n/);
    expect(silent).toMatch(/2 packets transmitted, 0 received, .*100% packet loss\nno reply from 10\.0\.0\.77\n$/);
    expect(await lab.run("ping")).toMatch(/^error: ping: which host\? \(usage: ping HOST/);
    expect(await lab.run("ping -c x 10.0.0.2")).toMatch(/^error: ping: -c wants an integer/);
    await lab.run("ifconfig down");
    expect(await lab.run("ping 10.0.0.2")).toMatch(/^error: ping: the interface has no address/);
    expect(await lab.run("help ping")).toContain("usage: ping HOST");
  });

  it("nslookup: A, AAAA, the CNAME chain; NXDOMAIN, SERVFAIL and timeout as clear errors", async () => {
    const lab = netLab();
    const log = serveDns(lab);
    expect(await lab.run("nslookup host.lab.example")).toBe("server:  10.0.0.2\nhost.lab.example  A  10.0.0.2\nttl 300s\n");
    expect(await lab.run("nslookup host AAAA")).toContain("host.lab.example  AAAA  fd00::2\n");
    const chain = await lab.run("nslookup www.lab.example");
    expect(chain).toContain("www.lab.example  canonical name = alias.lab.example\nalias.lab.example  canonical name = host.lab.example\nhost.lab.example  A  10.0.0.2\n");
    expect(await lab.run("nslookup nope.lab.example")).toBe("error: nslookup: nope.lab.example: no such domain (NXDOMAIN from 10.0.0.2)\n");
    expect(await lab.run("nslookup fail.lab.example")).toBe("error: nslookup: fail.lab.example: server failure (SERVFAIL from 10.0.0.2)\n");
    expect(await lab.run("nslookup silent.lab.example")).toMatch(/^error: nslookup: DNS lookup of silent\.lab\.example .* timed out after \d+ ms\n$/);
    expect(await lab.run("nslookup host MX")).toMatch(/^error: nslookup: type 'MX' is not A or AAAA/);
    expect(log).toContain("www.lab.example 1");
    // cached the second time
    expect(await lab.run("nslookup host.lab.example")).toContain("(cached)");
  });

  it("dns.servers overrides the servers; a wrong one times out", async () => {
    const lab = netLab();
    serveDns(lab);
    await lab.run("set dns.servers=10.0.0.3");
    expect(lab.a.config.dns).toEqual([0x0a000003]);
    expect(await lab.run("nslookup ghost.lab.example")).toMatch(/timed out/);
    expect(await lab.run("set dns.servers=bogus")).toMatch(/^error: dns.servers: 'bogus' is not an IPv4 address/);
    await lab.run("set dns.servers=10.0.0.2");
    expect(await lab.run("nslookup ghost.lab.example")).toContain("ghost.lab.example  A  10.0.0.77");
  });

  it("dhcp asks afresh, configures the interface and prints the lease", async () => {
    const lab = netLab({ configure: false });
    serveDhcp(lab);
    const out = await lab.run("dhcp");
    expect(out).toMatch(/address: +10\.0\.0\.100\n/);
    expect(out).toMatch(/netmask: +255\.255\.255\.0\n/);
    expect(out).toMatch(/router: +10\.0\.0\.2\n/);
    expect(out).toMatch(/dns: +10\.0\.0\.2\n/);
    expect(out).toMatch(/domain: +lab\.example\n/);
    expect(out).toMatch(/hostname: +node7\n/);
    expect(out).toMatch(/next-server: +10\.0\.0\.2\n/);
    expect(out).toMatch(/boot file: +pxehttp\.0\n/);
    expect(out).toMatch(/root-path: +http:\/\/10\.0\.0\.2\/freebsd\/\n/);
    expect(out).toMatch(/www-server: +10\.0\.0\.2\n/);
    expect(out).toMatch(/lease: +1h00m\n/);
    expect(lab.a.config.address).toBe(0x0a000064);
    expect(await lab.run("ifconfig")).toMatch(/address: +10\.0\.0\.100\/24\n/);
    expect(lab.plugin.state()?.lease?.hostname).toBe("node7");
  });

  it("dhcp without a server ends with a timeout error and the console keeps running", async () => {
    const lab = netLab({ configure: false });
    const out = await lab.run("dhcp -t 5", 2_000_000);
    expect(out).toMatch(/^DHCP on mem-a \.\.\.\nerror: DHCP \(no DHCPOFFER received, \d+ messages sent, 0 NAKs\) timed out after 5000 ms\n$/);
    expect(await lab.run("help dhcp")).toContain("usage: dhcp");
  });

  it("stats shows per-layer counters with drops by reason", async () => {
    const lab = netLab();
    await lab.run("ping -c 2 -i 50 10.0.0.2");
    // a UDP datagram to a closed port on A: dropped with a reason
    const s = lab.b.udpSocket();
    s.sendTo(Uint8Array.of(1, 2, 3), { address: "10.0.0.1", port: 9 });
    const out = await lab.run("stats");
    expect(out).toMatch(/^ethernet:\n/m);
    expect(out).toMatch(/^icmp:\n(.*\n)*? +sent +3\n/m); // 2 echo requests + 1 port unreachable
    expect(out).toMatch(/^ipv4:\n(.*\n)*? +received +\d+\n/m);
    expect(out).toMatch(/^udp:\n(.*\n)*? +dropped\.\w+ +1\n/m);
    expect(out).toMatch(/^tcp:\n +\(none\)\n/m);
    expect(await lab.run("stats icmp")).toMatch(/^icmp:\n(.*\n)* +delivered +2\n/);
  });

  it("Ctrl-C stops a long ping early and still prints the summary", async () => {
    const lab = netLab();
    const tc = lab.console;
    tc.clearOutput();
    tc.input.push("ping -c 1000 -i 10 10.0.0.2\n");
    await tc.until(() => /seq=2 /.test(tc.output()), { max: 100_000 });
    tc.input.push("\x03");
    expect(await tc.until(() => !tc.session.busy && tc.output().endsWith("pxehttp> "), { max: 100_000 })).toBe(true);
    const out = tc.output();
    const sent = Number(/(\d+) packets transmitted, (\d+) received/.exec(out)?.[1]);
    expect(sent).toBeGreaterThanOrEqual(3);
    expect(sent).toBeLessThan(1000);
    expect(out).toMatch(/round-trip min\/avg\/max = /);
    expect(await lab.run("ifconfig")).toContain("10.0.0.1/24");
  });

  it("a host name works wherever an address does: route add ... via NAME, ifconfig ... gw NAME", async () => {
    const lab = netLab();
    serveDns(lab);
    expect(await lab.run("route add 172.16.0.0/12 via host")).toMatch(/172\.16\.0\.0\/12 +10\.0\.0\.2 +static/);
    expect(await lab.run("ifconfig 10.0.0.1/24 gw host")).toMatch(/ gateway: +10\.0\.0\.2\n/);
    expect(await lab.run("route add 172.16.0.0/12 via nope")).toBe("error: route: unknown host 'nope': no such domain (NXDOMAIN from 10.0.0.2)\n");
  });
});
