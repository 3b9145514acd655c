import { ConsoleError } from "../errors.js";

/** The Node CLI's command line, parsed. */
export interface CliArgs {
  /** Which link to open. */
  readonly link: { readonly kind: "tap"; readonly ifname: string } | { readonly kind: "sim" } | { readonly kind: "none" };
  /** Write every frame to this pcap file. */
  readonly pcap?: string;
  /** Prompt text. */
  readonly prompt: string;
  /** `--help` was given. */
  readonly help: boolean;
  /** Network set-up of the stack (--ip/--gw/--dhcp/--dns/--proxy). */
  readonly net: CliNetArgs;
}

/** The stack's start-up configuration from the command line. */
export interface CliNetArgs {
  /** Static address `ADDR/PREFIX` (--ip). */
  readonly ip?: string;
  /** Default gateway (--gw). */
  readonly gw?: string;
  /** Ask DHCP at start-up (--dhcp). */
  readonly dhcp: boolean;
  /** DNS servers (--dns, repeatable or comma-separated). */
  readonly dns: readonly string[];
  /** HTTP proxy URL (--proxy; default: the http_proxy environment variable). */
  readonly proxy?: string;
  /** True when any of the options above was given. */
  readonly given: boolean;
}

/** Bad command-line arguments; the CLI prints the message and exits with status 2. */
export class CliUsageError extends ConsoleError {
  constructor(message: string) {
    super("CONSOLE_CLI_USAGE", message);
  }
}

/** `pxe --help` text. */
export const CLI_USAGE = `usage: pxe (--tap IFNAME [--pcap FILE] | --sim | --no-link) [--ip ADDR/PREFIX [--gw GW] | --dhcp]
           [--dns SERVER] [--proxy URL] [--prompt TEXT]

The pxehttp> console of pxehttp.0, on Node over a Linux TAP device, with
the full stack (IPv4, UDP, TCP, DHCP, DNS, HTTP) and its network commands.

  --tap IFNAME      use the TAP device IFNAME (root, or a TAP owned by you)
  --pcap FILE       also write every frame sent and received to FILE (pcap)
  --sim             use a simulated link (no device; frames are counted and dropped)
  --no-link         no link at all: the console alone
  --ip ADDR/PREFIX  configure the interface statically (e.g. 10.0.2.15/24)
  --gw GW           default gateway (with --ip)
  --dhcp            get the address by DHCP at start-up
  --dns SERVER      DNS server(s), comma-separated or repeated (sets dns.servers)
  --proxy URL       HTTP proxy (sets http.proxy; default: $http_proxy)
  --prompt TEXT     prompt (default "pxehttp> ")
  -h, --help        show this text

--tap wants a TAP device that reaches a network. A TAP that does not exist
is created, attached to nothing (pxe says so at once). Wire it first, as
root: a persistent TAP on a bridge with the LAN (or a DHCP server) on it,

    ip tuntap add dev tap0 mode tap
    ip link add br0 type bridge          # or use the bridge you have
    ip link set tap0 master br0 up
    ip link set br0 up                   # plus the LAN port: ip link set eth0 master br0

or give the Linux side an address and run a server on it:

    ip tuntap add dev tap0 mode tap && ip addr add 10.0.2.2/24 dev tap0 && ip link set tap0 up
    pxe --tap tap0 --ip 10.0.2.15/24 --gw 10.0.2.2

With --tap the network commands are there (ifconfig, route, arp, dhcp, ping,
nslookup, fetch, ls, cat, stat; 'help' lists them); with --sim only when
--ip or --dhcp is given.

Keys: line editing (arrows, Home/End, Ctrl-A/E/B/F/K/U/W), history (Up/Down),
Tab completes command names, Ctrl-C cancels, Ctrl-D or 'quit' leaves.
With stdin not a terminal, commands are read one per line (pipe them in).
`;

/** Parses the CLI's arguments (without node and script). Throws CliUsageError. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let tap: string | undefined;
  let sim = false;
  let none = false;
  let pcap: string | undefined;
  let prompt = "pxehttp> ";
  let help = false;
  let ipArg: string | undefined;
  let gw: string | undefined;
  let dhcp = false;
  const dns: string[] = [];
  let proxy: string | undefined;
  let netGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new CliUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--tap":
        tap = value();
        if (tap === "") throw new CliUsageError("--tap needs an interface name");
        break;
      case "--pcap":
        pcap = value();
        break;
      case "--sim":
        sim = true;
        break;
      case "--no-link":
        none = true;
        break;
      case "--prompt":
        prompt = value();
        break;
      case "--ip":
        ipArg = value();
        if (!/^\d+\.\d+\.\d+\.\d+\/\d{1,2}$/.test(ipArg)) throw new CliUsageError(`--ip wants ADDR/PREFIX, e.g. 10.0.2.15/24, not '${ipArg}'`);
        netGiven = true;
        break;
      case "--gw":
        gw = value();
        if (!/^\d+\.\d+\.\d+\.\d+$/.test(gw)) throw new CliUsageError(`--gw wants an IPv4 address, not '${gw}'`);
        netGiven = true;
        break;
      case "--dhcp":
        dhcp = true;
        netGiven = true;
        break;
      case "--dns":
        for (const d of value().split(",")) if (d.trim() !== "") dns.push(d.trim());
        netGiven = true;
        break;
      case "--proxy":
        proxy = value();
        netGiven = true;
        break;
      case "-h":
      case "--help":
        help = true;
        break;
      default:
        throw new CliUsageError(`unknown option '${a}' (try --help)`);
    }
  }
  const chosen = (tap !== undefined ? 1 : 0) + (sim ? 1 : 0) + (none ? 1 : 0);
  if (!help && chosen !== 1) {
    throw new CliUsageError(chosen === 0 ? "choose a link: --tap IFNAME, --sim or --no-link" : "--tap, --sim and --no-link exclude each other");
  }
  if (pcap !== undefined && none) throw new CliUsageError("--pcap needs a link (--tap or --sim)");
  if (netGiven && none) throw new CliUsageError("--ip, --gw, --dhcp, --dns and --proxy need a link (--tap or --sim)");
  if (dhcp && ipArg !== undefined) throw new CliUsageError("--dhcp and --ip exclude each other");
  if (gw !== undefined && ipArg === undefined) throw new CliUsageError("--gw needs --ip");
  const link = tap !== undefined ? { kind: "tap" as const, ifname: tap } : sim ? { kind: "sim" as const } : { kind: "none" as const };
  return { link, pcap, prompt, help, net: { ip: ipArg, gw, dhcp, dns, proxy, given: netGiven } };
}
