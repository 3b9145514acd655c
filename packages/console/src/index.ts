// @pxe/console: the shared console of pxehttp.0 and the Node CLI.
// Core code: no Node built-ins, ES2020, runs on QuickJS.
export { ConsoleError, UnknownCommandError, UsageError, ParseError, SettingError, RegistryError, InterruptedError, HostError } from "./errors.js";

export type { Key, KeyName } from "./terminal/keys.js";
export { KeyDecoder } from "./terminal/keys.js";
export { CR, LF, BS, ERASE_EOL, cursorLeft, cursorRight, cursorMove, toAscii } from "./terminal/ansi.js";
export type { Terminal, TerminalOptions } from "./terminal/terminal.js";
export { platformTerminal, withNewlines } from "./terminal/terminal.js";

export { History } from "./editor/history.js";
export type { EditorEvent, Completer, LineEditorOptions } from "./editor/line-editor.js";
export { LineEditor } from "./editor/line-editor.js";

export { tokenize, quoteArg } from "./commands/tokenize.js";
export type { SettingSpec, SettingListener } from "./commands/settings.js";
export { Settings } from "./commands/settings.js";
export type { Output, TableOptions, Align } from "./commands/output.js";
export { textOutput, formatTable, formatPairs } from "./commands/output.js";
export type {
  Command,
  CommandContext,
  RegistryView,
  SystemHooks,
  Fact,
  FactsProvider,
  MemoryRegion,
  MemoryReport,
  MemoryProvider,
  StatsProvider,
  CounterTree,
} from "./commands/types.js";
export type { ConsolePlugin, Invocation } from "./commands/registry.js";
export { CommandRegistry } from "./commands/registry.js";

export { builtinCommands, builtins, createRegistry } from "./builtins/index.js";
export { helpCommand } from "./builtins/help.js";
export { showCommand } from "./builtins/show.js";
export { setCommand, unsetCommand } from "./builtins/settings-commands.js";
export { memCommand, e820TypeName, hex64 } from "./builtins/mem.js";
export { statsCommand } from "./builtins/stats.js";
export { rebootCommand, poweroffCommand } from "./builtins/power.js";

export { formatBytes, formatRate, formatDuration, formatPercent } from "./progress/format.js";
export type { ProgressOptions, ProgressFigures } from "./progress/progress-bar.js";
export { ProgressBar, formatProgressLine } from "./progress/progress-bar.js";

export type { KeyInput, ReadKey } from "./loop/input.js";
export { EOF } from "./loop/input.js";
export type { ConsoleOptions, ConsoleResult } from "./loop/session.js";
export { ConsoleSession, runConsole } from "./loop/session.js";

export { linkProviders } from "./providers/link.js";
export type { LinkLike } from "./providers/link-like.js";

export { networkCommands } from "./commands/net/plugin.js";
export type { NetworkPlugin } from "./commands/net/plugin.js";
export { NetState } from "./commands/net/state.js";
export type { NetworkCommandsOptions, NetworkHttpOptions, NetResolver } from "./commands/net/state.js";
export { NetCommandError, ChecksumMismatchError } from "./commands/net/errors.js";
export { NET_SETTINGS, NET_DEFAULTS, defineNetSettings, parseDuration, parseSize, parseServerList } from "./commands/net/settings.js";
export { printableText } from "./commands/net/cat.js";

export { kbootCommands } from "./commands/kboot/plugin.js";
export type { KbootPlugin } from "./commands/kboot/plugin.js";
export { LoaderState, BOOT_BASE } from "./commands/kboot/state.js";
export type { KbootCommandsOptions, BootMemory, LoadedEntry } from "./commands/kboot/state.js";
export { LoaderCommandError, FileNotFoundError, NoBooterError } from "./commands/kboot/errors.js";
export { autobootDelay, DEFAULT_AUTOBOOT_DELAY } from "./commands/kboot/countdown.js";
