// "@pxe/console/node": the `pxe` CLI — the same console over the TAP
// backend on Node — and its Node-only parts.
export { runCli, defaultLinkFactory, LinkOpenError } from "./node/run-cli.js";
export type { CliOptions, CliSetup, CliSetupContext, CliWired, LinkFactory, LinkSpec } from "./node/run-cli.js";
export { networkSetup } from "./node/network-setup.js";
export type { NetworkSetupOptions } from "./node/network-setup.js";
export { parseCliArgs, CliUsageError, CLI_USAGE } from "./node/args.js";
export type { CliArgs, CliNetArgs } from "./node/args.js";
export { nodePlatform } from "./node/platform.js";
export { StdinKeys } from "./node/stdin-keys.js";
export type { InputStream } from "./node/stdin-keys.js";
export { NullLink } from "./node/null-link.js";
export { nodeMemory, nodeFacts, exitCommand } from "./node/providers.js";
