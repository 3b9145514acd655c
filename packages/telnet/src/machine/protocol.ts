import { AYT, BRK, IP, Option, optionName } from "../wire/constants.js";
import { TelnetDecoder, DEFAULT_MAX_SUBNEGOTIATION } from "../wire/decoder.js";
import { encodeCommand, encodeData, encodeNegotiation, encodeSubnegotiation } from "../wire/encoder.js";
import { envIs, isTerminalTypeSend, nawsParams, parseEnvSend, terminalTypeIs } from "../wire/subneg.js";
import { QMethod, type Side } from "./q-method.js";

/** Window size for NAWS. */
export interface WindowSize {
  /** Columns. */
  readonly columns: number;
  /** Rows. */
  readonly rows: number;
}

/** Options of {@link TelnetProtocol}. */
export interface TelnetProtocolOptions {
  /** Terminal type sent for TERMINAL-TYPE (RFC 1091); default "VT100". */
  readonly terminalType?: string;
  /** Window size sent for NAWS (RFC 1073); without it NAWS is refused. */
  readonly windowSize?: WindowSize;
  /** Value of USER sent for NEW-ENVIRON (RFC 1572); without it NEW-ENVIRON is refused. */
  readonly user?: string;
  /** Longest subnegotiation kept (default 1024 bytes). */
  readonly maxSubnegotiation?: number;
}

/** Something the protocol reports besides data, for a status display or a log. */
export type TelnetNotice =
  | { readonly kind: "option"; readonly side: Side; readonly option: number; readonly enabled: boolean }
  | { readonly kind: "violation"; readonly side: Side; readonly option: number; readonly detail: string }
  | { readonly kind: "command"; readonly command: number }
  | { readonly kind: "subnegotiation"; readonly option: number; readonly handled: boolean };

/** What one call of {@link TelnetProtocol.receive} produced. */
export interface ReceiveResult {
  /** Application data for the terminal, in order. */
  readonly data: Uint8Array[];
  /** Bytes to send back to the server (negotiation answers, subnegotiations), in order. */
  readonly reply: Uint8Array[];
  /** What changed. */
  readonly notices: TelnetNotice[];
}

/** The commands `send` accepts by name. */
export type CommandName = "brk" | "ayt" | "ip";

const COMMANDS: Record<CommandName, number> = { brk: BRK, ayt: AYT, ip: IP };

/**
 * The client side of telnet, sans I/O: the decoder, the RFC 1143 option
 * machine and the answers to subnegotiations. We perform BINARY, SGA,
 * TERMINAL-TYPE, NAWS (with a window size) and NEW-ENVIRON (with a user);
 * we let the server perform ECHO, SGA and BINARY; everything else is refused.
 * Feed `receive` what the server sent and write out `reply`; `encodeInput`
 * turns the user's keys into wire bytes.
 */
export class TelnetProtocol {
  /** The option machine (read its state for a status display). */
  readonly options: QMethod;
  private readonly decoder: TelnetDecoder;
  private readonly terminalType: string;
  private windowSize: WindowSize | undefined;
  private readonly user: string | undefined;

  constructor(opts: TelnetProtocolOptions = {}) {
    this.terminalType = opts.terminalType ?? "VT100";
    this.windowSize = opts.windowSize;
    this.user = opts.user;
    this.decoder = new TelnetDecoder(opts.maxSubnegotiation ?? DEFAULT_MAX_SUBNEGOTIATION);
    this.options = new QMethod({
      us: (o) => o === Option.BINARY || o === Option.SGA || o === Option.TERMINAL_TYPE || (o === Option.NAWS && this.windowSize !== undefined) || (o === Option.NEW_ENVIRON && this.user !== undefined),
      him: (o) => o === Option.ECHO || o === Option.SGA || o === Option.BINARY,
    });
  }

  /**
   * What a client offers when it connects: WILL TERMINAL-TYPE, WILL NAWS
   * (with a size), WILL NEW-ENVIRON (with a user), DO SGA, DO ECHO.
   */
  start(): Uint8Array[] {
    const out: Uint8Array[] = [];
    const notices: TelnetNotice[] = [];
    this.apply(this.options.request("us", Option.TERMINAL_TYPE, true), out, notices);
    if (this.windowSize) this.apply(this.options.request("us", Option.NAWS, true), out, notices);
    if (this.user !== undefined) this.apply(this.options.request("us", Option.NEW_ENVIRON, true), out, notices);
    this.apply(this.options.request("him", Option.SGA, true), out, notices);
    this.apply(this.options.request("him", Option.ECHO, true), out, notices);
    return out;
  }

  /** Decodes bytes from the server; answers negotiations and subnegotiations. */
  receive(bytes: Uint8Array): ReceiveResult {
    const data: Uint8Array[] = [];
    const reply: Uint8Array[] = [];
    const notices: TelnetNotice[] = [];
    for (const ev of this.decoder.feed(bytes)) {
      if (ev.kind === "data") data.push(ev.data);
      else if (ev.kind === "negotiate") this.apply(this.options.receive(ev.verb, ev.option), reply, notices);
      else if (ev.kind === "command") notices.push({ kind: "command", command: ev.command });
      else notices.push({ kind: "subnegotiation", option: ev.option, handled: this.subnegotiation(ev.option, ev.data, reply) });
    }
    return { data, reply, notices };
  }

  /** Wire bytes for what the user typed (IAC doubled; CR NUL rules unless we send BINARY). */
  encodeInput(keys: Uint8Array): Uint8Array {
    return encodeData(keys, this.options.enabled("us", Option.BINARY));
  }

  /** IAC BRK, IAC AYT or IAC IP. */
  encodeCommand(name: CommandName): Uint8Array {
    return encodeCommand(COMMANDS[name]);
  }

  /** A new window size: the NAWS subnegotiation to send when NAWS is in effect (else nothing). */
  resize(size: WindowSize): Uint8Array[] {
    this.windowSize = size;
    return this.options.enabled("us", Option.NAWS) ? [encodeSubnegotiation(Option.NAWS, nawsParams(size.columns, size.rows))] : [];
  }

  /** "character" when the server echoes and suppresses go-ahead (keys go out one by one), else "line" (we echo, a line at a time). */
  get mode(): "character" | "line" {
    return this.options.enabled("him", Option.ECHO) ? "character" : "line";
  }

  /** True when the server echoes what we send. */
  get remoteEcho(): boolean {
    return this.options.enabled("him", Option.ECHO);
  }

  /** Options in effect, e.g. "us: TERMINAL-TYPE NAWS; him: ECHO SGA". */
  describeOptions(): string {
    const names = (side: Side) => this.options.enabledOptions(side).map(optionName).join(" ") || "none";
    return `we do: ${names("us")}; server does: ${names("him")}`;
  }

  private apply(actions: ReturnType<QMethod["receive"]>, out: Uint8Array[], notices: TelnetNotice[]): void {
    for (const a of actions) {
      if (a.kind === "send") out.push(encodeNegotiation(a.verb, a.option));
      else if (a.kind === "violation") notices.push(a);
      else {
        notices.push({ kind: "option", side: a.side, option: a.option, enabled: a.enabled });
        if (a.side === "him" && a.option === Option.BINARY) this.decoder.binary = a.enabled;
        if (a.side === "us" && a.option === Option.NAWS && a.enabled && this.windowSize) {
          out.push(encodeSubnegotiation(Option.NAWS, nawsParams(this.windowSize.columns, this.windowSize.rows)));
        }
      }
    }
  }

  private subnegotiation(option: number, params: Uint8Array, reply: Uint8Array[]): boolean {
    if (option === Option.TERMINAL_TYPE && this.options.enabled("us", option) && isTerminalTypeSend(params)) {
      reply.push(encodeSubnegotiation(option, terminalTypeIs(this.terminalType)));
      return true;
    }
    if (option === Option.NEW_ENVIRON && this.options.enabled("us", option) && this.user !== undefined) {
      const wanted = parseEnvSend(params);
      if (wanted === null) return false;
      const wantsUser = wanted.length === 0 || wanted.some((w) => w.type === 0 && (w.name === "" || w.name === "USER"));
      reply.push(encodeSubnegotiation(option, envIs(wantsUser ? [["USER", this.user]] : [])));
      return true;
    }
    return false;
  }
}
