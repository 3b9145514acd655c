// Telnet command and option codes (RFC 854, 855, 856, 857, 858, 1073, 1091, 1572).

/** "Interpret as command": starts every command; doubled to send a data byte 255. */
export const IAC = 255;
/** Demand that the peer stop performing an option. */
export const DONT = 254;
/** Ask the peer to perform an option. */
export const DO = 253;
/** Refuse to perform (or stop performing) an option. */
export const WONT = 252;
/** Offer to perform (or confirm performing) an option. */
export const WILL = 251;
/** Subnegotiation begin. */
export const SB = 250;
/** Go ahead. */
export const GA = 249;
/** Erase line. */
export const EL = 248;
/** Erase character. */
export const EC = 247;
/** Are you there. */
export const AYT = 246;
/** Abort output. */
export const AO = 245;
/** Interrupt process. */
export const IP = 244;
/** Break. */
export const BRK = 243;
/** Data mark (the data part of a Synch). */
export const DM = 242;
/** No operation. */
export const NOP = 241;
/** Subnegotiation end. */
export const SE = 240;

/** The four negotiation verbs. */
export type Verb = typeof WILL | typeof WONT | typeof DO | typeof DONT;

/** True for WILL, WONT, DO and DONT. */
export function isVerb(b: number): b is Verb {
  return b >= WILL && b <= DONT;
}

/** Option codes this client knows by name. */
export const Option = {
  /** RFC 856: 8-bit data, no NVT rules. */
  BINARY: 0,
  /** RFC 857: the side that WILL ECHO echoes what it receives. */
  ECHO: 1,
  /** RFC 858: no GA after each transmission (character-at-a-time with ECHO). */
  SGA: 3,
  /** RFC 859. */
  STATUS: 5,
  /** RFC 860. */
  TIMING_MARK: 6,
  /** RFC 1091: the client's terminal type. */
  TERMINAL_TYPE: 24,
  /** RFC 1073: negotiate about window size. */
  NAWS: 31,
  /** RFC 1079. */
  TERMINAL_SPEED: 32,
  /** RFC 1372. */
  TOGGLE_FLOW_CONTROL: 33,
  /** RFC 1184. */
  LINEMODE: 34,
  /** RFC 1096. */
  X_DISPLAY_LOCATION: 35,
  /** RFC 1408 (obsolete). */
  OLD_ENVIRON: 36,
  /** RFC 1572: environment variables (we send USER). */
  NEW_ENVIRON: 39,
} as const;

const OPTION_NAMES: Record<number, string> = {};
for (const k of Object.keys(Option) as (keyof typeof Option)[]) OPTION_NAMES[Option[k]] = k.replace(/_/g, "-");

/** "ECHO", "NAWS", ... or "option 42". */
export function optionName(option: number): string {
  return OPTION_NAMES[option] ?? `option ${option}`;
}

const COMMAND_NAMES: Record<number, string> = {
  [DONT]: "DONT", [DO]: "DO", [WONT]: "WONT", [WILL]: "WILL", [SB]: "SB", [GA]: "GA", [EL]: "EL", [EC]: "EC",
  [AYT]: "AYT", [AO]: "AO", [IP]: "IP", [BRK]: "BRK", [DM]: "DM", [NOP]: "NOP", [SE]: "SE", [IAC]: "IAC",
};

/** "WILL", "AYT", ... or "command 239". */
export function commandName(cmd: number): string {
  return COMMAND_NAMES[cmd] ?? `command ${cmd}`;
}

/** RFC 1091 / RFC 1572 subnegotiation verbs. */
export const SubVerb = {
  /** Here is the value. */
  IS: 0,
  /** Please send the value. */
  SEND: 1,
  /** (NEW-ENVIRON) the value changed. */
  INFO: 2,
} as const;

/** RFC 1572 NEW-ENVIRON type codes. */
export const Env = {
  /** A well-known variable name follows. */
  VAR: 0,
  /** The value follows. */
  VALUE: 1,
  /** The next byte is literal. */
  ESC: 2,
  /** A user-defined variable name follows. */
  USERVAR: 3,
} as const;
