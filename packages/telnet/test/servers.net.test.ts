// Network test (root): TelnetSession over OUR stack (Stack + @pxe/tcp via
// @pxe/http's StackTransport) on the undi TAP backend, into a lab namespace
// with busybox telnetd and inetutils-telnetd: the login script greets the
// user the client sent (NEW-ENVIRON USER), a command runs and its output
// comes back, `stty size` shows our NAWS size and (inetutils) $TERM our
// TERMINAL-TYPE;
// then the same through squid's CONNECT, and squid refusing CONNECT to a
// port it does not allow gives a ProxyTunnelError naming proxy and target.
// Needs Debian socat, iproute2, busybox-static, inetutils-telnetd, squid.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latin1, asciiBytes } from "@pxe/core";
import type { Stack } from "@pxe/sockets";
import { ProxyTunnelError, StackTransport, openTunnel, parseProxy, type ByteStream } from "@pxe/http";
import { TelnetSession, optionName } from "@pxe/telnet";
import { Lab } from "../../../tools/lab/lab.js";
import { startSquid } from "../../../tools/lab/servers.js";
import { hasBusyboxTelnetd, hasInetutilsTelnetd, startBusyboxTelnetd, startInetutilsTelnetd } from "../../../tools/lab/telnetd.js";

const BUSYBOX = 2323;
const INETUTILS = 23;
const SQUID = 3128;
const REFUSED_PORT = 2424;

const busyboxOk = hasBusyboxTelnetd();
const inetutilsOk = hasInetutilsTelnetd();
let lab: Lab;
let stack: Stack;
let transport: StackTransport;

beforeAll(async () => {
  lab = await Lab.create({ name: "telnet", subnet: "10.213.47" });
  if (busyboxOk) await startBusyboxTelnetd(lab, BUSYBOX);
  if (inetutilsOk) await startInetutilsTelnetd(lab, INETUTILS);
  // CONNECT allowed to the two telnet ports only.
  await startSquid(lab, SQUID, `acl telnet_ports port ${BUSYBOX} ${INETUTILS}\nhttp_access deny CONNECT !telnet_ports\n`);
  stack = lab.stack();
  transport = new StackTransport(stack);
}, 120_000);

afterAll(async () => {
  await lab?.close();
});

/** A session on `stream` with the text it received and a way to wait for some of it. */
function open(stream: ByteStream, peer: string) {
  let text = "";
  const notices: string[] = [];
  const session = new TelnetSession(stream, {
    peer,
    terminalType: "VT220",
    windowSize: { columns: 101, rows: 37 },
    user: "pxeuser",
    onData: (d) => (text += latin1(d)),
    onNotice: (n) => {
      if (n.kind === "option") notices.push(`${n.side} ${optionName(n.option)} ${n.enabled ? "on" : "off"}`);
    },
  });
  const ended = session.run();
  ended.catch(() => undefined);
  const waitFor = async (re: RegExp, ms = 20_000): Promise<RegExpExecArray> => {
    const until = Date.now() + ms;
    for (;;) {
      const m = re.exec(text);
      if (m) return m;
      if (Date.now() > until || session.closed) throw new Error(`${peer}: no ${re} in ${JSON.stringify(text.slice(-400))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { session, ended, waitFor, notices, get text() { return text; } };
}

/** `inetutils`: the server negotiates TERMINAL-TYPE and NEW-ENVIRON (busybox telnetd does neither; its $TERM is always xterm). */
async function loginAndCheck(stream: ByteStream, peer: string, inetutils: boolean): Promise<void> {
  const t = open(stream, peer);
  await t.waitFor(/pxe\$ $/);
  if (inetutils) expect(t.text).toContain("pxe-login user=[pxeuser]");
  await t.session.send(asciiBytes("echo out-$((6*7)); stty size; echo \"term=[$TERM]\"\r"));
  await t.waitFor(/out-42/);
  const size = await t.waitFor(/^(\d+) (\d+)\r?$/m);
  expect([size[1], size[2]]).toEqual(["37", "101"]);
  const term = await t.waitFor(/term=\[([^\]$]*)\]/);
  expect(term[1].toLowerCase()).toBe(inetutils ? "vt220" : "xterm");
  expect(t.notices).toContain("us NAWS on");
  if (inetutils) expect(t.notices).toEqual(expect.arrayContaining(["us TERMINAL-TYPE on", "us NEW-ENVIRON on"]));
  expect(t.session.protocol.mode).toBe("character"); // both servers echo
  await t.session.send(asciiBytes("exit\r"));
  expect(await t.ended).toBe("server closed");
}

describe("telnet over our stack into real telnet servers in a netns", () => {
  it.skipIf(!busyboxOk)("busybox telnetd: login, a command's output, NAWS seen by the server (stty size), exit ends the session", async () => {
    const s = await transport.connect(lab.serverIp, BUSYBOX, { timeoutMs: 5000 });
    await loginAndCheck(s, `${lab.serverIp}:${BUSYBOX}`, false);
  }, 60_000);

  it.skipIf(!inetutilsOk)("inetutils telnetd: the same, TERMINAL-TYPE seen by the server ($TERM), and the login program gets USER from NEW-ENVIRON", async () => {
    const s = await transport.connect(lab.serverIp, INETUTILS, { timeoutMs: 5000 });
    await loginAndCheck(s, `${lab.serverIp}:${INETUTILS}`, true);
  }, 60_000);

  it.skipIf(!busyboxOk || !inetutilsOk)("both through squid's CONNECT tunnel", async () => {
    const proxy = parseProxy(`http://${lab.serverIp}:${SQUID}`);
    for (const port of [BUSYBOX, INETUTILS]) {
      const s = await openTunnel({ transport, proxy, host: lab.serverIp, port, timers: transport.timers, timeoutMs: 10_000 });
      await loginAndCheck(s, `${lab.serverIp}:${port} via squid`, port === INETUTILS);
    }
  }, 90_000);

  it("squid refusing CONNECT to a port it does not allow: ProxyTunnelError naming proxy, target and status 403", async () => {
    const proxy = parseProxy(`http://${lab.serverIp}:${SQUID}`);
    const e = await openTunnel({ transport, proxy, host: lab.serverIp, port: REFUSED_PORT, timers: transport.timers, timeoutMs: 10_000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProxyTunnelError);
    expect((e as ProxyTunnelError).status).toBe(403);
    expect((e as Error).message).toBe(`proxy http://${lab.serverIp}:${SQUID}/ refused CONNECT ${lab.serverIp}:${REFUSED_PORT}: HTTP 403 Forbidden`);
  }, 30_000);
});
