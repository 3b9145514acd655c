import type { ConsolePlugin } from "../registry.js";
import { arpCommand } from "./arp.js";
import { catCommand } from "./cat.js";
import { dhcpCommand } from "./dhcp.js";
import { fetchCommand } from "./fetch.js";
import { filesCommand, rmCommand } from "./files.js";
import { ifconfigCommand } from "./ifconfig.js";
import { lsCommand } from "./ls.js";
import { nslookupCommand } from "./nslookup.js";
import { pingCommand } from "./ping.js";
import { routeCommand } from "./route.js";
import { defineNetSettings } from "./settings.js";
import { NetState, type NetworkCommandsOptions } from "./state.js";
import { statCommand } from "./stat.js";
import { stackStatsProviders } from "./stats.js";
import { telnetCommand } from "../telnet/command.js";

/** What {@link networkCommands} hands back besides the plugin: the shared state (files kept by fetch, last lease). */
export interface NetworkPlugin extends ConsolePlugin {
  /** The state, available once the plugin was applied to a registry. */
  readonly state: () => NetState | undefined;
}

/**
 * The console's network commands as a plugin, shared by pxehttp.0 and the
 * Node CLI: ifconfig, route, arp, dhcp, ping, nslookup (issue 4) and
 * fetch, files, rm, ls, cat, stat (issue 5); per-layer `stats` sections; the settings
 * http.proxy, http.no_proxy, http.connect_timeout, http.stall_timeout,
 * http.user_agent, tcp.window, tcp.window_clamp, dns.servers, cat.max and fetch.hash. Host names work
 * wherever an address does (the resolver is installed on the stack).
 */
export function networkCommands(opts: NetworkCommandsOptions): NetworkPlugin {
  let state: NetState | undefined;
  const plugin = ((registry) => {
    defineNetSettings(registry.settings);
    const s = new NetState(opts, registry.settings);
    state = s;
    s.applyStartupProxy();
    s.applyDnsOverride();
    s.applyTcpWindow();
    s.watchSettings();
    for (const make of [ifconfigCommand, routeCommand, arpCommand, dhcpCommand, pingCommand, nslookupCommand, fetchCommand, filesCommand, rmCommand, lsCommand, catCommand, statCommand]) {
      registry.add(make(s));
    }
    registry.add(telnetCommand(s));
    for (const p of stackStatsProviders(s)) registry.addStats(p);
  }) as ConsolePlugin & { state?: () => NetState | undefined };
  plugin.state = () => state;
  return plugin as NetworkPlugin;
}
