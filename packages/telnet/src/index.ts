// @pxe/telnet: a telnet client (RFC 854/855, options by RFC 1143's Q method).
// Core code: no Node built-ins, ES2020, runs on QuickJS.
export { IAC, DONT, DO, WONT, WILL, SB, GA, EL, EC, AYT, AO, IP, BRK, DM, NOP, SE, Option, SubVerb, Env, isVerb, optionName, commandName } from "./wire/constants.js";
export type { Verb } from "./wire/constants.js";
export { TelnetDecoder, DEFAULT_MAX_SUBNEGOTIATION } from "./wire/decoder.js";
export type { TelnetEvent } from "./wire/decoder.js";
export { encodeData, encodeNegotiation, encodeCommand, encodeSubnegotiation } from "./wire/encoder.js";
export { terminalTypeIs, isTerminalTypeSend, nawsParams, parseNaws, parseEnvSend, envIs } from "./wire/subneg.js";
export type { EnvRequest } from "./wire/subneg.js";
export { QMethod } from "./machine/q-method.js";
export type { QState, Side, QAction, QPolicy } from "./machine/q-method.js";
export { TelnetProtocol } from "./machine/protocol.js";
export type { TelnetProtocolOptions, TelnetNotice, ReceiveResult, CommandName, WindowSize } from "./machine/protocol.js";
export { TelnetSession } from "./session/session.js";
export type { TelnetSessionOptions, CloseReason, TelnetCounters } from "./session/session.js";
export { TelnetError } from "./errors.js";
