import { formatIpv4, tryParseIpv4 } from "@pxe/ip";
import { UsageError } from "../../errors.js";
import type { Command } from "../types.js";
import { numberOption, parseArgs } from "./args.js";
import { NetCommandError, unknownHost } from "./errors.js";
import { msText } from "./format.js";
import type { NetState } from "./state.js";

const USAGE = "ping HOST [-c COUNT] [-i INTERVAL_MS] [-t TIMEOUT_MS] [-s SIZE]";

/**
 * `ping HOST`: ICMP echo requests to an address or a name (resolved through
 * DNS). Prints a line per reply (seq, ttl, time) and per error (no ARP
 * reply, unreachable), then a summary: transmitted, received, loss and
 * min/avg/max RTT. Ctrl-C stops early and still prints the summary.
 */
export function pingCommand(state: NetState): Command {
  return {
    name: "ping",
    summary: "send ICMP echo requests to a host",
    usage: USAGE,
    details: "-c COUNT requests (default 4), -i ms between them (default 1000),\n-t ms to wait for the last reply (default 2000), -s payload bytes (default 56).",
    async run(args, ctx) {
      const { options, positional } = parseArgs("ping", USAGE, args, [
        { names: ["-c", "--count"], value: true },
        { names: ["-i", "--interval"], value: true },
        { names: ["-t", "--timeout", "-W"], value: true },
        { names: ["-s", "--size"], value: true },
      ]);
      if (positional.length !== 1) throw new UsageError("ping", positional.length === 0 ? "which host?" : "one host at a time", USAGE);
      const count = numberOption("ping", USAGE, options, "-c", 4, { min: 1, max: 65535, integer: true });
      const intervalMs = numberOption("ping", USAGE, options, "-i", 1000, { min: 1 });
      const timeoutMs = numberOption("ping", USAGE, options, "-t", 2000, { min: 1 });
      const size = numberOption("ping", USAGE, options, "-s", 56, { min: 0, max: 65507 - 8, integer: true });
      const host = positional[0];
      const stack = state.stack;
      if (stack.config.address === 0) throw new NetCommandError("ping", "the interface has no address (run 'dhcp' or 'ifconfig ADDR/PREFIX')");
      let addr: number;
      try {
        addr = await state.resolve(host);
      } catch (e) {
        throw unknownHost("ping", host, e);
      }
      const dotted = formatIpv4(addr);
      ctx.out.line(`PING ${host}${tryParseIpv4(host) === undefined ? ` (${dotted})` : ""}: ${size} data bytes`);
      const session = stack.ip.startPing(addr, { count, intervalMs, timeoutMs, size }, stack.now());
      let stop = false;
      const off = ctx.onInterrupt(() => {
        stop = true;
      });
      let shownReplies = 0;
      let shownErrors = 0;
      const show = (): boolean => {
        const st = session.stats();
        let news = false;
        for (; shownReplies < st.replies.length; shownReplies++, news = true) {
          const r = st.replies[shownReplies];
          ctx.out.line(`${size + 8} bytes from ${dotted}: seq=${r.seq} ttl=${r.ttl} time=${msText(r.rttMs)} ms`);
        }
        for (; shownErrors < st.errors.length; shownErrors++, news = true) ctx.out.line(`from ${dotted}: ${st.errors[shownErrors]}`);
        return news;
      };
      try {
        await stack.waitFor(() => {
          show();
          return stop || session.done(stack.now());
        });
      } finally {
        off();
        stack.ip.endPing(session);
      }
      show();
      const st = session.stats();
      ctx.out.line(`--- ${host} ping statistics ---`);
      const dup = st.duplicates ? `, +${st.duplicates} duplicates` : "";
      const errs = st.errors.length ? `, ${st.errors.length} errors` : "";
      ctx.out.line(`${st.transmitted} packets transmitted, ${st.received} received${dup}${errs}, ${formatLoss(st.lossPercent)} packet loss`);
      if (st.received > 0) ctx.out.line(`round-trip min/avg/max = ${msText(st.minMs!)}/${msText(st.avgMs!)}/${msText(st.maxMs!)} ms`);
      else ctx.out.line(`no reply from ${dotted}`);
    },
  };
}

function formatLoss(p: number): string {
  return `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
}
