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
}

/** Bad command-line arguments; the CLI prints the message and exits with status 2. */
export class CliUsageError extends ConsoleError {
  constructor(message: string) {
    super("CONSOLE_CLI_USAGE", message);
  }
}

/** `pxe --help` text. */
export const CLI_USAGE = `usage: pxe (--tap IFNAME [--pcap FILE] | --sim | --no-link) [--prompt TEXT]

The pxehttp> console of pxehttp.0, on Node over a Linux TAP device.

  --tap IFNAME   use the TAP device IFNAME (root, or a TAP owned by you)
  --pcap FILE    also write every frame sent and received to FILE (pcap)
  --sim          use a simulated link (no device; frames are counted and dropped)
  --no-link      no link at all: the console alone
  --prompt TEXT  prompt (default "pxehttp> ")
  -h, --help     show this text

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
  const link = tap !== undefined ? { kind: "tap" as const, ifname: tap } : sim ? { kind: "sim" as const } : { kind: "none" as const };
  return { link, pcap, prompt, help };
}
