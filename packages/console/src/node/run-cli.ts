import type { Writable } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Platform } from "@pxe/core";
import type { LinkLike } from "../providers/link-like.js";
import { createRegistry } from "../builtins/index.js";
import type { CommandRegistry, ConsolePlugin } from "../commands/registry.js";
import { ConsoleError } from "../errors.js";
import { ConsoleSession } from "../loop/session.js";
import { linkProviders } from "../providers/link.js";
import { CLI_USAGE, CliUsageError, parseCliArgs, type CliArgs } from "./args.js";
import type { CliSetup, CliWired } from "./setup-types.js";

export type { CliSetup, CliSetupContext, CliWired } from "./setup-types.js";
import { networkSetup } from "./network-setup.js";
import { NullLink } from "./null-link.js";
import { nodePlatform } from "./platform.js";
import { exitCommand, nodeFacts, nodeMemory } from "./providers.js";
import { StdinKeys, type InputStream } from "./stdin-keys.js";

/** What the CLI asks a link factory to open. */
export type LinkSpec = { readonly kind: "tap"; readonly ifname: string; readonly pcap?: string } | { readonly kind: "sim"; readonly pcap?: string };

/** Opens the link the command line asked for. */
export type LinkFactory = (spec: LinkSpec, platform: Platform) => LinkLike | Promise<LinkLike>;

/** Streams and hooks of {@link runCli} (defaults: the process's). */
export interface CliOptions {
  /** Key input (default process.stdin). */
  stdin?: InputStream;
  /** Output (default process.stdout). */
  stdout?: Writable & { isTTY?: boolean; columns?: number };
  /** Errors before the console starts (default process.stderr). */
  stderr?: Writable;
  /** Opens TAP/sim links (default {@link defaultLinkFactory}). */
  openLink?: LinkFactory;
  /** Plugins added to the registry (commands of later packages). */
  plugins?: readonly ConsolePlugin[];
  /**
   * Wires a stack over the link; see {@link CliSetup}. Default: with --tap
   * (or --sim plus --ip/--dhcp) the full network stack and its commands
   * ({@link networkSetup}); null: none (the console alone, link drained).
   */
  setup?: CliSetup | null;
  /** Environment for the default set-up's http_proxy/no_proxy (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The link could not be opened (no TAP backend, no permission, no device). */
export class LinkOpenError extends ConsoleError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("CONSOLE_LINK_OPEN", message, options);
  }
}

/** The part of "@pxe/undi/node" the CLI uses (loaded at run time). */
interface UndiNodeModule {
  TapLink?: { create(options: { ifname: string; pcapFile?: string }): Promise<LinkLike> };
}

/**
 * The default link factory: `--tap` opens @pxe/undi's TapLink (a socat
 * child bridging the TAP device; root and Debian's socat needed), loaded at
 * run time from "@pxe/undi/node" (an optional peer dependency); `--sim`
 * gives a NullLink. Pass `openLink` to use another driver.
 */
export const defaultLinkFactory: LinkFactory = async (spec) => {
  if (spec.kind === "sim") {
    if (spec.pcap) throw new LinkOpenError("--pcap needs --tap (the simulated link writes no capture)");
    return new NullLink();
  }
  const name = "@pxe/undi/node";
  let mod: UndiNodeModule;
  try {
    mod = (await import(name)) as UndiNodeModule;
  } catch (e) {
    throw new LinkOpenError(`the TAP backend (${name}) is not installed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (!mod.TapLink) throw new LinkOpenError(`${name} has no TapLink`);
  return mod.TapLink.create({ ifname: spec.ifname, pcapFile: spec.pcap });
};

/** Said at once when `--tap` created the device: nothing is wired to it, so DHCP and the rest would only time out. */
export function newTapNotice(ifname: string): string {
  return (
    `pxe: ${ifname} did not exist: created it as a new TAP device, attached to nothing (no bridge, no address\n` +
    `     on the Linux side), so nothing will answer on it until you wire it, e.g. to a bridge:\n` +
    `       ip link set ${ifname} master BRIDGE up     (see pxe --help)\n`
  );
}

/**
 * The `pxe` command: parses `argv` (without node and script), opens the
 * link, and runs the same console as pxehttp.0 on the terminal. Returns
 * the exit status (0 after quit/poweroff/Ctrl-D, 2 for bad arguments,
 * 1 when the link cannot be opened).
 */
export async function runCli(argv: readonly string[], opts: CliOptions = {}): Promise<number> {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (e) {
    if (!(e instanceof CliUsageError)) throw e;
    stderr.write(`pxe: ${e.message}\n`);
    return 2;
  }
  if (args.help) {
    stdout.write(CLI_USAGE);
    return 0;
  }
  const platform = nodePlatform((t) => void stdout.write(t));
  let link: LinkLike | undefined;
  if (args.link.kind !== "none") {
    const spec: LinkSpec = args.link.kind === "tap" ? { kind: "tap", ifname: args.link.ifname, pcap: args.pcap } : { kind: "sim", pcap: args.pcap };
    try {
      link = await (opts.openLink ?? defaultLinkFactory)(spec, platform);
      link.open();
    } catch (e) {
      stderr.write(`pxe: cannot open ${spec.kind === "tap" ? `TAP device ${spec.ifname}` : "the simulated link"}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    if (spec.kind === "tap" && (link as { created?: boolean }).created === true) stderr.write(newTapNotice(spec.ifname));
  }

  const registry = createRegistry().use(nodeFacts).use(nodeMemory).add(exitCommand);
  if (link) registry.use(linkProviders(link));
  for (const p of opts.plugins ?? []) registry.use(p);
  const setup = opts.setup !== undefined ? opts.setup : link && (args.link.kind === "tap" || args.net.given) ? networkSetup({ env: opts.env }) : null;
  let wired: CliWired | undefined;
  try {
    wired = (await setup?.({ link, registry, platform, args })) ?? undefined;
  } catch (e) {
    stderr.write(`pxe: cannot set up the network stack: ${e instanceof Error ? e.message : String(e)}\n`);
    link?.close();
    await link?.dispose?.();
    return 1;
  }
  const openLink = link;
  const poll = wired?.poll ?? (openLink ? (now: number) => void openLink.poll(now, () => {}) : undefined);

  const keys = new StdinKeys(opts.stdin ?? process.stdin);
  // Wake the idle wait when frames arrive, so the stack sees them at once.
  const unwatch = openLink?.onReadable?.(() => keys.poke());
  const ansi = keys.raw && stdout.isTTY === true;
  // A pty may report 0 columns (no window size set): assume 80 then.
  const columns = (): number => (stdout.columns !== undefined && stdout.columns >= 20 ? stdout.columns : 80);
  const session: ConsoleSession = new ConsoleSession({
    platform,
    registry,
    readKey: keys.read,
    prompt: args.prompt,
    poll,
    terminal: {
      write: (t) => void stdout.write(t),
      ansi,
      // libuv's raw mode keeps the tty's output processing (ONLCR): "\n" suffices.
      newline: "\n",
      columns: columns(),
    },
    system: { poweroff: (ctx) => ctx.exit(0) },
    banner: ansi ? `pxe console${link ? ` on ${link.info.name}` : ""} \u2014 'help' lists commands, 'quit' leaves` : undefined,
    idle: async (now, busy) => {
      if (busy) return void (await nextTurn());
      let ms = openLink && !openLink.onReadable ? 2 : 50;
      const due = session.nextTimer();
      if (due !== undefined) ms = Math.min(ms, Math.max(0, due - now));
      await keys.wait(ms);
    },
  });
  const onResize = (): void => session.editor.setColumns(columns());
  if (ansi) stdout.on("resize", onResize);
  try {
    const result = await session.run();
    return result.code;
  } finally {
    if (ansi) stdout.off("resize", onResize);
    keys.close();
    unwatch?.();
    wired?.close?.();
    link?.close();
    await link?.dispose?.();
  }
}
