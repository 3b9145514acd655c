import type { Platform } from "@pxe/core";
import type { CommandRegistry } from "../commands/registry.js";
import type { LinkLike } from "../providers/link-like.js";
import type { CliArgs } from "./args.js";

/** What the CLI gives a setup hook once the link is open. */
export interface CliSetupContext {
  /** The open link, or undefined with --no-link. */
  readonly link: LinkLike | undefined;
  /** The registry: add commands and providers here. */
  readonly registry: CommandRegistry;
  /** The Node platform. */
  readonly platform: Platform;
  /** The parsed arguments. */
  readonly args: CliArgs;
}

/**
 * Wires a network stack (or anything else) to the CLI: register commands,
 * and return the background `poll(now)` the console loop should call
 * (e.g. `stack.poll`). Without one, the CLI just drains the link.
 */
export type CliSetup = (ctx: CliSetupContext) => CliWired | void | Promise<CliWired | void>;

/** What a {@link CliSetup} hands back: the background poll and a clean-up. */
export interface CliWired {
  /** Called on every console step (e.g. `stack.poll`). */
  poll?: (now: number) => void;
  /** Called when the console ends. */
  close?: () => void;
}

