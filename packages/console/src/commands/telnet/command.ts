import { latin1, parsePort } from "@pxe/core";
import { bypassesProxy, openTunnel, parseUrl, proxySettings, TransportError, type ByteStream } from "@pxe/http";
import { TelnetSession, type CommandName } from "@pxe/telnet";
import { UsageError } from "../../errors.js";
import type { Command, CommandContext } from "../types.js";
import { parseArgs } from "../net/args.js";
import { NetCommandError, messageOf } from "../net/errors.js";
import { ipText } from "../net/format.js";
import { NET_DEFAULTS, NET_SETTINGS } from "../net/settings.js";
import type { NetState } from "../net/state.js";
import { TelnetKeys } from "./keys.js";

const USAGE = "telnet [--direct] HOST [PORT]";
const HELP_LINES = [
  "close           close the connection (back to the console)",
  "quit            the same",
  "status          where we are connected, mode and options",
  "send brk|ayt|ip send Break, Are-You-There or Interrupt-Process",
  "(empty line)    back to the session",
];

/**
 * `telnet [--direct] HOST [PORT]`: a terminal session to HOST (a name goes
 * through DNS; port 23 by default), through `http.proxy` with CONNECT unless
 * `--direct` or `http.no_proxy` says otherwise. Keys pass through; Ctrl-]
 * opens a `telnet>` prompt (close, quit, status, send brk|ayt|ip). Ends
 * back at the console prompt when the server closes.
 */
export function telnetCommand(state: NetState): Command {
  state.settings.define({ key: "telnet.user", summary: "user name sent to telnet servers that ask (NEW-ENVIRON USER); empty: none", parse: (v) => v.trim() });
  state.settings.define({
    key: "telnet.rows",
    summary: "screen rows told to telnet servers (NAWS; columns come from the console)",
    default: "24",
    parse: (v) => {
      const n = Number(v);
      if (!(n >= 1 && n <= 65535 && Math.floor(n) === n)) throw new Error(`telnet.rows wants a whole number from 1 to 65535, not '${v}'`);
      return String(n);
    },
  });
  return {
    name: "telnet",
    summary: "open a telnet session (Ctrl-] for the telnet> prompt)",
    usage: USAGE,
    details: ["Uses http.proxy (CONNECT) unless --direct or http.no_proxy matches the host.", "At the telnet> prompt:", ...HELP_LINES.map((l) => "  " + l)].join("\n"),
    async run(args, ctx) {
      const { options, positional } = parseArgs("telnet", USAGE, args, [{ names: ["--direct", "-d"], value: false }]);
      if (positional.length < 1 || positional.length > 2) throw new UsageError("telnet", positional.length ? "too many arguments" : "which host?", USAGE);
      const host = positional[0];
      const port = positional.length > 1 ? parsePort(positional[1]) : 23;
      if (port === undefined) throw new UsageError("telnet", `bad port '${positional[1]}'`, USAGE);
      const { stream, via } = await connect(state, ctx, host, port, options["--direct"] !== undefined);
      await runSession(ctx, stream, `${host}:${port}`, via);
    },
  };
}

async function connect(state: NetState, ctx: CommandContext, host: string, port: number, direct: boolean): Promise<{ stream: ByteStream; via: string }> {
  const { transport, timers } = state.tcp("telnet");
  const timeoutMs = ctx.settings.getNumber(NET_SETTINGS.connectTimeout, NET_DEFAULTS.connectTimeoutMs);
  const proxySetting = ctx.settings.get(NET_SETTINGS.proxy) || null;
  let proxy = null;
  if (!direct && proxySetting) {
    const ps = proxySettings(proxySetting, ctx.settings.get(NET_SETTINGS.noProxy) ?? "");
    let bypass = false;
    try {
      bypass = bypassesProxy(ps.noProxy, parseUrl(`http://${host}:${port}/`));
    } catch {
      bypass = false; // not a URL host (odd name): the proxy decides
    }
    if (!bypass) proxy = ps.proxy;
  }
  if (proxy) {
    ctx.out.line(`Trying ${host}:${port} via proxy ${proxy.url.host}:${proxy.url.port}...`);
    try {
      const stream = await openTunnel({ transport, proxy, host, port, timers, timeoutMs });
      return { stream, via: ` via proxy ${proxy.url.host}:${proxy.url.port}` };
    } catch (e) {
      throw new NetCommandError("telnet", messageOf(e), { cause: e });
    }
  }
  let address: string;
  try {
    address = ipText(await state.resolve(host));
  } catch (e) {
    throw new NetCommandError("telnet", `cannot resolve ${host}: ${messageOf(e).replace(`${host}: `, "")}`, { cause: e });
  }
  ctx.out.line(`Trying ${address}...`);
  let timer: () => void = () => undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = timers.setTimer(timeoutMs, () => reject(new NetCommandError("telnet", `connecting to ${address}:${port}: timed out after ${timeoutMs} ms`)));
  });
  const attempt = transport.connect(address, port, { timeoutMs });
  try {
    return { stream: await Promise.race([attempt, timeout]), via: "" };
  } catch (e) {
    attempt.then((s) => s.close(), () => undefined);
    if (e instanceof NetCommandError) throw e;
    const kind = e instanceof TransportError ? e.kind : "other";
    const what = kind === "refused" ? "connection refused" : kind === "timeout" ? "timed out" : kind === "unreachable" ? "host unreachable" : messageOf(e);
    throw new NetCommandError("telnet", `connecting to ${address}:${port}: ${what}`, { cause: e });
  } finally {
    timer();
  }
}

async function runSession(ctx: CommandContext, stream: ByteStream, peer: string, via: string): Promise<void> {
  const write = (text: string) => ctx.terminal.write(text);
  const session = new TelnetSession(stream, {
    peer,
    terminalType: ctx.terminal.ansi ? "VT100" : "DUMB",
    windowSize: { columns: ctx.terminal.columns, rows: ctx.settings.getNumber("telnet.rows", 24) },
    user: ctx.settings.get("telnet.user") || undefined,
    onData: (d) => write(latin1(d)),
  });
  write(`Connected to ${peer}${via}.\r\nEscape character is '^]'.\r\n`);
  const keys = new TelnetKeys();
  let userClosed = false;
  const onEscape = (line: string) => {
    const [cmd, arg] = line.split(/\s+/);
    if (cmd === "") return;
    if (cmd === "close" || cmd === "quit" || cmd === "c" || cmd === "q") {
      userClosed = true;
      session.close();
    } else if (cmd === "status" || cmd === "st") {
      const p = session.protocol;
      write(`Connected to ${peer}${via}.\r\nMode: ${p.mode === "character" ? "character at a time" : "line by line"}; ${p.describeOptions()}.\r\n`);
      write(`${session.counters.bytesIn} bytes in, ${session.counters.bytesOut} bytes out.\r\n`);
    } else if (cmd === "send" && (arg === "brk" || arg === "ayt" || arg === "ip")) {
      session.command(arg as CommandName).catch(() => undefined);
    } else if (cmd === "send") {
      write("send what? brk, ayt or ip\r\n");
    } else {
      write(cmd === "help" || cmd === "?" ? HELP_LINES.join("\r\n") + "\r\n" : `?Invalid command '${cmd}' (help lists them)\r\n`);
    }
  };
  const release = ctx.takeKeys((bytes) => {
    keys.mode = session.protocol.mode;
    for (const a of keys.feed(bytes)) {
      if (a.kind === "send") session.send(a.data).catch(() => undefined);
      else if (a.kind === "echo") write(a.text);
      else onEscape(a.line);
    }
  });
  try {
    const how = await session.run();
    write(how === "server closed" ? "\r\nConnection closed by foreign host.\r\n" : userClosed ? "Connection closed.\r\n" : "\r\n");
  } catch (e) {
    throw new NetCommandError("telnet", messageOf(e), { cause: e });
  } finally {
    release();
    session.close();
  }
}
