// Test harness for the network commands: two Stacks on an in-memory link
// with one virtual clock (the console's stack A = 10.0.0.1, the peer B =
// 10.0.0.2), tiny DHCP and DNS responders on B, and a console whose
// registry carries networkCommands over A.
import { encode, ManualClock, seededPlatform } from "@pxe/core";
import { BOOTP_MIN_LEN, BootOp, dhcpMessage, DhcpMessageType as T, DhcpOptionCode as O, ipv4Option, messageTypeOf, stringOption, u32Option, u8Option, type DhcpMessage } from "@pxe/dhcp";
import { dnsMessage, Rcode, RecordType, type DnsRecord } from "@pxe/dns";
import { StackTransport, type HttpTransport } from "@pxe/http";
import { installTcp, type TcpConnection, type TcpLayer } from "@pxe/tcp";
import { MemoryLink } from "@pxe/ip/testing";
import { Stack, virtualHost } from "@pxe/sockets";
import { createRegistry, networkCommands, type ConsolePlugin, type NetworkCommandsOptions, type NetworkPlugin } from "@pxe/console";
import { testConsole, type TestConsole } from "@pxe/console/testing";

/** The network under test. */
export interface NetLab {
  clock: ManualClock;
  a: Stack;
  b: Stack;
  /** Work done whenever B is polled (servers). */
  hooks: Array<() => void>;
  console: TestConsole;
  plugin: NetworkPlugin;
  /** TCP on A when `stackHttp` was asked for. */
  tcpA?: TcpLayer;
  /** Types a line and runs the console until the prompt is back; returns what the command printed. */
  run(line: string, maxSteps?: number): Promise<string>;
}

/** Builds a lab; `configure: false` leaves A unconfigured (for dhcp); `plugins` are applied after the network commands. */
export function netLab(o: { configure?: boolean; http?: HttpTransport | NetworkCommandsOptions["http"]; tcpConfig?: { recvBufferSize?: number }; ansi?: boolean; env?: Record<string, string>; stackHttp?: boolean; freeMemory?: () => number | undefined; plugins?: (network: NetworkPlugin) => ConsolePlugin[] } = {}): NetLab {
  const clock = new ManualClock(1000);
  const [la, lb] = MemoryLink.pair(Uint8Array.of(2, 0, 0, 0, 0, 1), Uint8Array.of(2, 0, 0, 0, 0, 2));
  const hooks: Array<() => void> = [];
  let a: Stack | undefined;
  let b: Stack | undefined;
  const pollB = (n: number) => {
    b?.poll(n);
    for (const h of hooks) h();
  };
  a = new Stack({ link: la, platform: seededPlatform(1, clock), config: o.configure === false ? undefined : { address: "10.0.0.1", prefix: 24, dns: ["10.0.0.2"], domain: "lab.example" }, driver: virtualHost(clock, { beforeIdle: pollB }) });
  b = new Stack({ link: lb, platform: seededPlatform(2, clock), config: { address: "10.0.0.2", prefix: 24 }, driver: virtualHost(clock, { beforeIdle: (n) => void a?.poll(n) }) });
  let http = o.http;
  let tcpA: TcpLayer | undefined;
  const tcpConfig = o.tcpConfig ?? (o.stackHttp ? {} : undefined);
  if (o.stackHttp) {
    tcpA = installTcp(a, { config: tcpConfig });
    const transport = new StackTransport(a, { tcp: tcpA, config: tcpConfig });
    http = { transport, timers: transport.timers };
  }
  const plugin = networkCommands({ stack: a, http, tcpConfig, env: o.env, freeMemory: o.freeMemory, dhcp: { backoff: { initialMs: 500, maxMs: 2000, jitterMs: 0 } } });
  const registry = createRegistry().use(plugin);
  for (const p of o.plugins?.(plugin) ?? []) registry.use(p);
  const tc = testConsole({ registry, ansi: o.ansi, poll: () => {
    a!.poll(clock.time);
    pollB(clock.time);
  } });
  tc.session.start();
  const lab: NetLab = {
    clock, a, b, hooks, console: tc, plugin, tcpA,
    async run(line, maxSteps = 200_000) {
      tc.clearOutput();
      tc.input.push(line + "\n");
      await tc.steps(1);
      const ok = await tc.until(() => !tc.session.busy && tc.output().endsWith("pxehttp> "), { max: maxSteps });
      if (!ok) throw new Error(`'${line}' did not finish; output so far:\n${tc.output()}`);
      const out = tc.output();
      const start = out.indexOf("\n") + 1;
      return out.slice(start, out.length - "pxehttp> ".length);
    },
  };
  return lab;
}

/** DNS zone of the lab (served by B on port 53). */
const ZONE: Record<string, DnsRecord[]> = {
  "host.lab.example": [
    { name: "host.lab.example", type: RecordType.A, class: 1, ttl: 300, data: "10.0.0.2" },
    { name: "host.lab.example", type: RecordType.AAAA, class: 1, ttl: 300, data: "fd00::2" },
  ],
  "www.lab.example": [{ name: "www.lab.example", type: RecordType.CNAME, class: 1, ttl: 60, data: "alias.lab.example" }],
  "alias.lab.example": [{ name: "alias.lab.example", type: RecordType.CNAME, class: 1, ttl: 60, data: "host.lab.example" }],
  "ghost.lab.example": [{ name: "ghost.lab.example", type: RecordType.A, class: 1, ttl: 60, data: "10.0.0.77" }],
};

/** Serves the lab zone from B:53: NXDOMAIN for unknown names, SERVFAIL for fail.*, silence for silent.*. Returns the query log. */
export function serveDns(lab: NetLab): string[] {
  const sock = lab.b.udpSocket({ port: 53 });
  const log: string[] = [];
  lab.hooks.push(() => {
    for (let d = sock.tryRecvFrom(); d; d = sock.tryRecvFrom()) {
      const q = dnsMessage.decode(d.data, 0, d.data.length).value;
      const qn = q.questions[0];
      const name = qn.name.toLowerCase();
      log.push(`${name} ${qn.type}`);
      if (name.startsWith("silent.")) continue;
      const answers: DnsRecord[] = [];
      let n = name;
      for (let i = 0; i < 8; i++) {
        const rrs = ZONE[n] ?? [];
        const cname = rrs.find((r) => r.type === RecordType.CNAME);
        if (cname) {
          answers.push(cname);
          n = String(cname.data);
          continue;
        }
        answers.push(...rrs.filter((r) => r.type === qn.type));
        break;
      }
      const known = ZONE[name] !== undefined;
      const rcode = name.startsWith("fail.") ? Rcode.ServFail : known ? Rcode.NoError : Rcode.NxDomain;
      const reply = encode(dnsMessage, { ...q, qr: true, ra: true, aa: true, rcode, answers: rcode === Rcode.NoError ? answers : [], authorities: [], additionals: [] });
      sock.sendTo(reply, d.from);
    }
  });
  return log;
}

/** Serves DHCP from B:67 (address 10.0.0.100, options of a PXE setup). */
export function serveDhcp(lab: NetLab): DhcpMessage[] {
  const sock = lab.b.udpSocket({ port: 67 });
  const seen: DhcpMessage[] = [];
  lab.hooks.push(() => {
    for (let d = sock.tryRecvFrom(); d; d = sock.tryRecvFrom()) {
      const m = dhcpMessage.decode(d.data, 0, d.data.length).value;
      seen.push(m);
      const type = messageTypeOf(m);
      const replyType = type === T.Discover ? T.Offer : type === T.Request ? T.Ack : undefined;
      if (replyType === undefined) continue;
      const r: DhcpMessage = {
        op: BootOp.Reply, htype: 1, hops: 0, xid: m.xid, secs: 0, flags: m.flags, ciaddr: 0, yiaddr: 0x0a000064, siaddr: 0x0a000002, giaddr: 0,
        chaddr: m.chaddr, sname: "", file: "pxehttp.0",
        options: [
          u8Option(O.MessageType, replyType), ipv4Option(O.ServerId, 0x0a000002), ipv4Option(O.SubnetMask, 0xffffff00), ipv4Option(O.Router, 0x0a000002),
          ipv4Option(O.DnsServers, 0x0a000002), stringOption(O.DomainName, "lab.example"), stringOption(O.HostName, "node7"), u32Option(O.LeaseTime, 3600),
          stringOption(O.RootPath, "http://10.0.0.2/freebsd/"), ipv4Option(O.WwwServers, 0x0a000002),
        ],
      };
      const out = new Uint8Array(Math.max(BOOTP_MIN_LEN, dhcpMessage.encodingLength(r)));
      dhcpMessage.encodeInto(r, out, 0);
      sock.sendTo(out, { address: 0xffffffff, port: 68 });
    }
  });
  return seen;
}

/**
 * A minimal HTTP/1.1 server on B's TCP (port 80): answers every GET with
 * `body` (Content-Length), closing after each response. Records the send
 * window each connection saw (the client's advertised receive window).
 */
export function serveHttp(lab: NetLab, body: Uint8Array): { windows: number[]; requests: string[] } {
  const tcpB = installTcp(lab.b);
  const seen = { windows: [] as number[], requests: [] as string[] };
  type Conn = { c: TcpConnection; head: string; sent: number; answering: boolean; closed?: boolean; i: number };
  const conns: Conn[] = [];
  tcpB.listen(80, (c) => {
    conns.push({ c, head: "", sent: 0, answering: false, i: seen.windows.length });
    seen.windows.push(0);
  });
  const enc = (t: string) => Uint8Array.from(t, (ch) => ch.charCodeAt(0));
  lab.hooks.push(() => {
    for (const k of conns) {
      const c = k.c;
      seen.windows[k.i] = Math.max(seen.windows[k.i], c.sendWindow);
      if (!k.answering) {
        const got = c.recvBytes();
        for (const b of got) k.head += String.fromCharCode(b);
        const end = k.head.indexOf("\r\n\r\n");
        if (end < 0) continue;
        seen.requests.push(k.head.slice(0, k.head.indexOf("\r\n")));
        k.answering = true;
        const method = k.head.slice(0, k.head.indexOf(" "));
        const head = enc(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
        c.send(head);
        if (method === "HEAD") k.sent = body.length;
      }
      while (k.sent < body.length && c.sendSpace > 0) {
        const n = c.send(body.subarray(k.sent, Math.min(body.length, k.sent + c.sendSpace)));
        if (n <= 0) break;
        k.sent += n;
      }
      if (k.sent >= body.length && k.answering && !k.closed) {
        c.close();
        k.closed = true;
      }
    }
    lab.b.poll(lab.clock.time);
  });
  return seen;
}
