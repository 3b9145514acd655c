import { IAC, SB, SE, isVerb, type Verb } from "./constants.js";

/** What the decoder finds in the byte stream from the server. */
export type TelnetEvent =
  /** Application data (IAC IAC undone, NVT CR NUL turned into CR). */
  | { readonly kind: "data"; readonly data: Uint8Array }
  /** WILL/WONT/DO/DONT option. */
  | { readonly kind: "negotiate"; readonly verb: Verb; readonly option: number }
  /** SB option ... IAC SE, with the parameters unescaped. `truncated` when it was longer than the limit (the rest was dropped). */
  | { readonly kind: "subnegotiation"; readonly option: number; readonly data: Uint8Array; readonly truncated: boolean }
  /** Any other command byte after IAC (NOP, DM, GA, AYT, ...). */
  | { readonly kind: "command"; readonly command: number };

/** Longest subnegotiation kept (parameters beyond it are dropped; the event says `truncated`). */
export const DEFAULT_MAX_SUBNEGOTIATION = 1024;

const enum St {
  Data,
  Iac,
  Verb,
  SbOption,
  SbData,
  SbIac,
}

const CR = 13;
const LF = 10;
const NUL = 0;

/**
 * Incremental decoder of the telnet command stream (RFC 854/855): feed it
 * what the connection delivers, cut anywhere, and it returns the events
 * complete so far. In NVT mode (`binary` false) a CR NUL becomes CR; CR LF
 * stays CR LF. Never throws: malformed sequences (IAC SE outside a
 * subnegotiation, IAC + unknown byte) come out as `command` events, an
 * oversized subnegotiation is cut at `maxSubnegotiation` bytes.
 */
export class TelnetDecoder {
  /** True when the server sends in BINARY (CR NUL is then data). */
  binary = false;
  private st = St.Data;
  private verb: Verb = 251;
  private sbOption = 0;
  private sb: number[] = [];
  private sbTruncated = false;
  private crPending = false;

  /** @param maxSubnegotiation longest subnegotiation kept, in bytes. */
  constructor(private readonly maxSubnegotiation = DEFAULT_MAX_SUBNEGOTIATION) {}

  /** Decodes the next bytes; returns the events they complete, in order. */
  feed(bytes: Uint8Array): TelnetEvent[] {
    const events: TelnetEvent[] = [];
    let out = new Uint8Array(bytes.length);
    let n = 0;
    const flush = () => {
      if (n > 0) {
        events.push({ kind: "data", data: out.slice(0, n) });
        out = new Uint8Array(bytes.length);
        n = 0;
      }
    };
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      switch (this.st) {
        case St.Data:
          if (b === IAC) {
            this.st = St.Iac;
            break;
          }
          if (this.crPending) {
            this.crPending = false;
            if (b === NUL) break; // CR NUL means CR alone
          }
          out[n++] = b;
          if (b === CR && !this.binary) this.crPending = true;
          break;
        case St.Iac:
          if (b === IAC) {
            this.crPending = false;
            out[n++] = IAC;
            this.st = St.Data;
          } else if (isVerb(b)) {
            this.verb = b;
            this.st = St.Verb;
          } else if (b === SB) {
            this.st = St.SbOption;
          } else {
            flush();
            events.push({ kind: "command", command: b });
            this.st = St.Data;
          }
          break;
        case St.Verb:
          flush();
          events.push({ kind: "negotiate", verb: this.verb, option: b });
          this.st = St.Data;
          break;
        case St.SbOption:
          this.sbOption = b;
          this.sb = [];
          this.sbTruncated = false;
          this.st = St.SbData;
          break;
        case St.SbData:
          if (b === IAC) this.st = St.SbIac;
          else this.sbByte(b);
          break;
        case St.SbIac:
          if (b === IAC) {
            this.sbByte(IAC);
            this.st = St.SbData;
          } else if (b === SE) {
            flush();
            events.push({ kind: "subnegotiation", option: this.sbOption, data: Uint8Array.from(this.sb), truncated: this.sbTruncated });
            this.sb = [];
            this.st = St.Data;
          } else {
            // RFC 855 leaves this undefined: end the subnegotiation here and
            // treat the byte as the command it would be outside one.
            flush();
            events.push({ kind: "subnegotiation", option: this.sbOption, data: Uint8Array.from(this.sb), truncated: true });
            this.sb = [];
            this.st = St.Iac;
            i--;
          }
          break;
      }
    }
    flush();
    return events;
  }

  /** True while a command or subnegotiation is incomplete. */
  get midCommand(): boolean {
    return this.st !== St.Data;
  }

  private sbByte(b: number): void {
    if (this.sb.length < this.maxSubnegotiation) this.sb.push(b);
    else this.sbTruncated = true;
  }
}


